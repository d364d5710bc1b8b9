/**
 * The quote above a reply: the original's author and a snippet (as the original is NOW when this tab holds it,
 * else as the server derived it). Choosing it jumps to the original. Plain text only.
 */
import { cut, DELETED_TEXT, plainText } from '../../lib/chat/message-text';
import type { ChatMessage, ReplyQuote as Quote } from '../../lib/protocol';

export interface ReplyQuoteProps {
  quote: Quote;
  /** The original as held by this tab, if it is. */
  original?: ChatMessage;
  nameOf: (userId: string) => string | undefined;
  onJump?: (messageId: string) => void;
}

export function ReplyQuote({ quote, original, nameOf, onJump }: ReplyQuoteProps) {
  const deleted = original ? !!original.deletedAt : !!quote.deleted;
  const author = original?.authorName ?? quote.authorName;
  const snippet = deleted ? DELETED_TEXT : cut(plainText(original?.body ?? quote.snippet, nameOf));
  const content = (
    <>
      <span className="reply-quote-author" data-testid="reply-quote-author">
        {deleted ? 'Original message' : (author ?? 'Someone')}
      </span>{' '}
      <span className="reply-quote-snippet" data-testid="reply-quote-snippet">
        {snippet}
      </span>
    </>
  );
  return onJump ? (
    <button
      type="button"
      className="reply-quote"
      data-testid="reply-quote"
      aria-label={deleted ? 'Reply to a deleted message — go to the original' : `Reply to ${author ?? 'someone'}: ${snippet} — go to the original message`}
      onClick={() => onJump(quote.messageId)}
    >
      {content}
    </button>
  ) : (
    <div className="reply-quote" data-testid="reply-quote">
      {content}
    </div>
  );
}
