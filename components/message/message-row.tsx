'use client';
/**
 * One stored message as the timeline shows it: author and time (hidden when grouped under the previous message of
 * the same author), the reply quote, the rich-text body with "(edited)" — or "This message was deleted" — the
 * reaction chips and the "Message actions" menu (Edit and Delete on one's own messages within their windows,
 * Reply, Add reaction). The root is a div: the timeline supplies the list item around it.
 */
import { lazy, memo, Suspense, useRef, useState } from 'react';
import { DELETED_TEXT } from '../../lib/chat/message-text';
import { MESSAGE_WINDOWS, describeWindow, withinWindow, type ChatMessage } from '../../lib/protocol';
import { PersonName } from '../chat/person-name';
import { ActionsMenu, type MenuAction } from './actions-menu';
import { DeleteConfirm } from './delete-confirm';
import { MessageBody } from './message-body';
import { useMessageActions } from './message-actions';
import { ReactionChips } from './reaction-chips';
import { ReplyQuote } from './reply-quote';

// The picker (and its emoji data) loads the first time someone adds a reaction.
const EmojiPicker = lazy(() => import('./emoji-picker'));

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
// Tooltips: one formatter made once. `toLocaleString()` builds a new formatter on every call, and rows mount by
// the dozen while scrolling a long history (it was the row's costliest line in the scroll profile).
const fullDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** Today's messages show only the time; older ones add the date. */
function shortTime(date: Date, now = new Date()): string {
  return date.toDateString() === now.toDateString() ? timeOnly.format(date) : dateAndTime.format(date);
}

/** A timestamp for a tooltip ('' when unreadable: formatting an invalid date throws). */
function formatWhen(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : fullDateTime.format(date);
}

export interface MessageRowProps {
  message: ChatMessage;
  own: boolean;
  selfId?: string;
  nameOf?: (userId: string) => string | undefined;
  /** Same author as the message above within the grouping window: no header. */
  grouped?: boolean;
}

const unknownName = () => undefined;

function MessageRowView({ message, own, selfId, nameOf = unknownName, grouped = false }: MessageRowProps) {
  const actions = useMessageActions();
  const [confirming, setConfirming] = useState(false);
  const [picking, setPicking] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  // After the confirmation or the picker closes, keyboard focus goes back where it came from.
  const refocus = () => requestAnimationFrame(() => root.current?.querySelector<HTMLElement>('[data-testid="message-actions"]')?.focus());
  const date = new Date(message.createdAt);
  const valid = !Number.isNaN(date.getTime());
  const deleted = !!message.deletedAt;
  const mentionsMe = selfId !== undefined && (message.mentions ?? []).includes(selfId);

  const menu: MenuAction[] = [];
  if (actions && !deleted) {
    if (own && withinWindow('edit', message.createdAt)) menu.push({ label: 'Edit', run: () => actions.edit(message) });
    if (own && withinWindow('delete', message.createdAt)) menu.push({ label: 'Delete', run: () => setConfirming(true), danger: true });
    menu.push({ label: 'Reply', run: () => actions.reply(message) });
    menu.push({ label: 'Add reaction', run: () => setPicking(true) });
  }

  return (
    <div
      className={['message', own ? 'message-own' : '', grouped ? 'message-grouped' : '', deleted ? 'message-is-deleted' : ''].filter(Boolean).join(' ')}
      data-testid="message"
      data-message-id={message.messageId}
      data-grouped={grouped ? 'true' : undefined}
      data-deleted={deleted ? 'true' : undefined}
      data-mentions-me={mentionsMe ? 'true' : undefined}
      tabIndex={-1}
      ref={root}
    >
      {grouped ? (
        <span className="visually-hidden">{message.authorName}</span>
      ) : (
        <div className="message-meta">
          <span className="message-author" data-testid="message-author">
            <PersonName userId={message.authorId} name={message.authorName} />
            {own && <span className="visually-hidden"> (you)</span>}
          </span>
          {valid && (
            <time dateTime={message.createdAt} title={fullDateTime.format(date)}>
              {shortTime(date)}
            </time>
          )}
        </div>
      )}
      {message.replyTo && (
        <ReplyQuote quote={message.replyTo} original={actions?.held(message.replyTo.messageId)} nameOf={nameOf} onJump={actions?.jumpTo} />
      )}
      {deleted ? (
        <p className="message-deleted" data-testid="message-deleted">
          {DELETED_TEXT}
        </p>
      ) : (
        <>
          <MessageBody body={message.body} nameOf={nameOf} selfId={selfId} />
          {message.editedAt && (
            <span className="message-edited" data-testid="message-edited" title={`Edited ${formatWhen(message.editedAt)}`}>
              (edited)
            </span>
          )}
        </>
      )}
      {!deleted && message.reactions && actions && (
        <ReactionChips reactions={message.reactions} selfId={selfId} nameOf={nameOf} onReact={(emoji, op) => actions.react(message, emoji, op)} />
      )}
      <ActionsMenu actions={menu} />
      {confirming && actions && (
        <DeleteConfirm
          window={describeWindow(MESSAGE_WINDOWS.deleteMs)}
          onConfirm={() => {
            setConfirming(false);
            actions.remove(message);
          }}
          onCancel={() => {
            setConfirming(false);
            refocus();
          }}
        />
      )}
      {picking && actions && (
        <Suspense fallback={<p className="picker-loading" role="status">Loading emoji…</p>}>
          <EmojiPicker
            onPick={(emoji) => {
              setPicking(false);
              refocus();
              actions.react(message, emoji, 'set');
            }}
            onClose={() => {
              setPicking(false);
              refocus();
            }}
          />
        </Suspense>
      )}
    </div>
  );
}

/** Re-renders only when its message (a new object on every change), ownership, grouping or names change. */
export const MessageRow = memo(MessageRowView);
