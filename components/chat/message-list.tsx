/**
 * The conversation, oldest at the top. Keeps the view pinned to the newest message while the reader
 * is at the bottom, and keeps their place when older messages are prepended.
 */
import { Fragment, useLayoutEffect, useRef } from 'react';
import type { OutgoingMessage } from '../../lib/chat/outgoing';
import type { ChatMessage } from '../../lib/protocol';
import { MessageItem } from './message-item';
import { OutgoingItem } from './outgoing-item';

export interface MessageListProps {
  roomId: string;
  messages: readonly ChatMessage[];
  currentUserId: string;
  historyLoaded: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  /** Own messages not confirmed yet, shown after the stored ones. */
  outgoing?: readonly OutgoingMessage[];
  /** The signed-in user's display name, for outgoing messages. */
  currentUserName?: string;
  onRetry?: (clientMessageId: string) => void;
  onDiscard?: (clientMessageId: string) => void;
  /** The read position when the room was opened with unread messages: "New messages" goes before the next one. */
  dividerAfter?: string | null;
  /** Names for mention tokens. */
  nameOf?: (userId: string) => string | undefined;
}

/** A stable empty list, so the default does not re-run the scroll effect on every render. */
const NONE: readonly OutgoingMessage[] = [];

/** Within this many pixels of the bottom counts as "reading the newest messages". */
const STICK_PX = 64;

/** A scrollable, keyboard-focusable region whose list is a polite live region. */
export function MessageList(props: MessageListProps) {
  const { roomId, messages, currentUserId, historyLoaded, hasOlder, loadingOlder, onLoadOlder } = props;
  const { outgoing = NONE, currentUserName = 'You', onRetry = () => {}, onDiscard = () => {}, dividerAfter, nameOf } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const divider = useRef<HTMLLIElement>(null);
  const atBottom = useRef(true);
  const landed = useRef(false);
  const previous = useRef<{ first?: string; last?: string; sending?: string; height: number }>({ height: 0 });
  // The first message after the read position (undefined: no divider).
  const firstUnread = dividerAfter === undefined ? undefined : messages.find((m) => dividerAfter === null || m.messageId > dividerAfter)?.messageId;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const first = messages[0]?.messageId;
    const newest = messages.at(-1);
    const before = previous.current;
    const sending = outgoing.at(-1)?.clientMessageId;
    if (!landed.current && divider.current) {
      // Opened with unread messages: land on the first of them, not at the bottom.
      landed.current = true;
      divider.current.scrollIntoView({ block: 'start' });
      atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    } else if (sending !== undefined && sending !== before.sending) {
      el.scrollTop = el.scrollHeight; // The person just sent something: show it.
    } else if (newest?.messageId !== before.last && (atBottom.current || newest?.authorId === currentUserId)) {
      el.scrollTop = el.scrollHeight; // New message at the bottom: follow it (always for our own).
    } else if (first !== before.first && newest?.messageId === before.last) {
      el.scrollTop += el.scrollHeight - before.height; // Older page above: stay on what the reader was reading.
    }
    if (newest) landed.current = true;
    previous.current = { first, last: newest?.messageId, sending, height: el.scrollHeight };
  }, [messages, outgoing, currentUserId]);

  useLayoutEffect(() => {
    // The button disappears after the last page; keep keyboard focus inside the conversation.
    if (!hasOlder && document.activeElement === document.body) scroller.current?.focus();
  }, [hasOlder]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
  };

  return (
    <div className="message-scroller" ref={scroller} onScroll={onScroll} tabIndex={0} role="region" aria-label={`Messages in #${roomId}`}>
      {hasOlder && (
        <button type="button" className="load-older button-quiet" data-testid="load-older" onClick={onLoadOlder} aria-disabled={loadingOlder}>
          {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
        </button>
      )}
      {historyLoaded && !hasOlder && messages.length > 0 && <p className="history-start">This is the beginning of #{roomId}.</p>}
      {!historyLoaded && <p className="history-start">Loading messages…</p>}
      {historyLoaded && messages.length === 0 && outgoing.length === 0 && <p className="history-start">No messages yet. Say hello!</p>}
      <ol className="message-list" data-testid="message-list" aria-live="polite" aria-relevant="additions" aria-busy={loadingOlder || !historyLoaded}>
        {messages.map((message) => (
          <Fragment key={message.messageId}>
            {message.messageId === firstUnread && (
              <li className="new-divider" ref={divider} data-testid="new-messages-divider">
                New messages
              </li>
            )}
            <MessageItem message={message} own={message.authorId === currentUserId} nameOf={nameOf} selfId={currentUserId} />
          </Fragment>
        ))}
        {outgoing.map((message) => (
          <OutgoingItem key={message.clientMessageId} message={message} authorName={currentUserName} onRetry={onRetry} onDiscard={onDiscard} />
        ))}
      </ol>
    </div>
  );
}
