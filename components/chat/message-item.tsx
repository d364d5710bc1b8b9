/** One chat message: author (choose it to send a direct message), time and body. Plain text; React escapes it. */
import type { ChatMessage } from '../../lib/protocol';
import { MessageBody } from './message-body';
import { PersonName } from './person-name';

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Today's messages show only the time; older ones add the date. */
function shortTime(date: Date, now = new Date()): string {
  return date.toDateString() === now.toDateString() ? timeOnly.format(date) : dateAndTime.format(date);
}

const unknownName = () => undefined;

/** A list item; `own` styles the signed-in user's messages. */
export function MessageItem({ message, own, nameOf = unknownName, selfId }: { message: ChatMessage; own: boolean; nameOf?: (userId: string) => string | undefined; selfId?: string }) {
  const date = new Date(message.createdAt);
  const valid = !Number.isNaN(date.getTime());
  const mentionsMe = selfId !== undefined && (message.mentions ?? []).includes(selfId);
  return (
    <li className={own ? 'message message-own' : 'message'} data-testid="message" data-message-id={message.messageId} data-mentions-me={mentionsMe ? 'true' : undefined}>
      <div className="message-meta">
        <span className="message-author" data-testid="message-author">
          <PersonName userId={message.authorId} name={message.authorName} />
          {own && <span className="visually-hidden"> (you)</span>}
        </span>
        {valid && (
          <time dateTime={message.createdAt} title={date.toLocaleString()}>
            {shortTime(date)}
          </time>
        )}
      </div>
      <p className="message-body" data-testid="message-body">
        <MessageBody body={message.body} nameOf={nameOf} selfId={selfId} />
      </p>
    </li>
  );
}
