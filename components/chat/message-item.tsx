/** One chat message: author, time and body. The body is plain text; React escapes it. */
import type { ChatMessage } from '../../lib/protocol';

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Today's messages show only the time; older ones add the date. */
function shortTime(date: Date, now = new Date()): string {
  return date.toDateString() === now.toDateString() ? timeOnly.format(date) : dateAndTime.format(date);
}

/** A list item; `own` styles the signed-in user's messages. */
export function MessageItem({ message, own }: { message: ChatMessage; own: boolean }) {
  const date = new Date(message.createdAt);
  const valid = !Number.isNaN(date.getTime());
  return (
    <li className={own ? 'message message-own' : 'message'} data-testid="message" data-message-id={message.messageId}>
      <div className="message-meta">
        <span className="message-author" data-testid="message-author">
          {message.authorName}
          {own && <span className="visually-hidden"> (you)</span>}
        </span>
        {valid && (
          <time dateTime={message.createdAt} title={date.toLocaleString()}>
            {shortTime(date)}
          </time>
        )}
      </div>
      <p className="message-body" data-testid="message-body">
        {message.body}
      </p>
    </li>
  );
}
