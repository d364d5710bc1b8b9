/**
 * One own message the server has not confirmed: "Sending…", or the reason it failed with Retry/Discard. A reply
 * shows its quote at once, from the original this tab holds (the outgoing message carries only its id).
 */
import type { OutgoingMessage } from '../../lib/chat/outgoing';
import { useMessageActions } from '../message/message-actions';
import { ReplyQuote } from '../message/reply-quote';

export interface OutgoingItemProps {
  message: OutgoingMessage;
  authorName: string;
  onRetry: (clientMessageId: string) => void;
  onDiscard: (clientMessageId: string) => void;
  nameOf?: (userId: string) => string | undefined;
}

const unknownName = () => undefined;

/** A row styled like an own message (the timeline supplies the list item); replaced by the stored message once acked. */
export function OutgoingItem({ message, authorName, onRetry, onDiscard, nameOf = unknownName }: OutgoingItemProps) {
  const failed = message.error !== undefined;
  const actions = useMessageActions();
  const replyTo = message.replyToMessageId;
  return (
    <div className={`message message-own ${failed ? 'message-failed' : 'message-pending'}`} data-testid="outgoing-message" data-state={failed ? 'failed' : 'sending'}>
      <div className="message-meta">
        <span className="message-author">
          {authorName}
          <span className="visually-hidden"> (you)</span>
        </span>
      </div>
      {replyTo && (
        // No snippet of our own: ReplyQuote reads the held original (author, current text, or deleted).
        <ReplyQuote quote={{ messageId: replyTo, snippet: '' }} original={actions?.held(replyTo)} nameOf={nameOf} onJump={actions?.jumpTo} />
      )}
      <p className="message-body" data-testid="outgoing-body">
        {message.body}
      </p>
      {failed ? (
        <div className="message-state" role="alert">
          <span>Not sent: {message.error}</span>
          <button type="button" className="button-quiet" onClick={() => onRetry(message.clientMessageId)}>
            Retry
          </button>
          <button type="button" className="button-quiet" onClick={() => onDiscard(message.clientMessageId)}>
            Discard
          </button>
        </div>
      ) : (
        <p className="message-state">Sending…</p>
      )}
    </div>
  );
}
