/**
 * Writes and sends a message. Enter sends, Shift+Enter adds a line. A sent message moves into the
 * conversation as "Sending…" (the client re-sends it across reconnects until the server confirms it,
 * and offers Retry if it fails for good), so sending also works while the connection is coming back.
 * Typing "@" offers the room's members; a chosen one shows as "@Name" and is sent as a user-id token.
 */
import { useId, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ConnectionStatus } from '../../lib/chat-client';
import { mentionLabel, mentionQuery, withMentionLabels, withMentionTokens } from '../../lib/chat/mentions';
import { cut, plainText } from '../../lib/chat/message-text';
import { LIMITS, type ChatMessage, type PresenceUser } from '../../lib/protocol';

/** The counter appears once fewer than this many characters remain. */
const WARN_AT = 200;
/** The textarea grows with its content up to this height (px), then scrolls. */
const MAX_HEIGHT = 160;
/** Most members offered at once. */
const MAX_OPTIONS = 8;

const WHY_NOT: Record<Exclude<ConnectionStatus, 'open'>, string> = {
  connecting: 'Connecting to the chat… messages you send now go out once connected.',
  reconnecting: 'Connection lost. Reconnecting… messages you send now go out once it is back.',
  closed: 'Disconnected. Reload the page to reconnect.',
};

export interface ComposerProps {
  roomId: string;
  /** How the room is named in the placeholder, e.g. "#general" or "Ada". */
  roomLabel?: string;
  status: ConnectionStatus;
  /** Resolves true when the message was queued for sending (false: it cannot be sent, and why is shown). */
  onSend: (body: string) => Promise<boolean>;
  autoFocus?: boolean;
  /** Members offered after "@" (loaded on first use through `onWantMembers`). */
  members?: readonly PresenceUser[];
  onWantMembers?: () => void;
  selfId?: string;
  /** Called on every edit (the session throttles the "typing" frames). */
  onTyping?: () => void;
  /** Editing one's own message, or replying to a message: shown above the input with Cancel (Esc). */
  mode?: ComposerMode;
  onCancelMode?: () => void;
  /** ↑ in an empty composer: start editing one's last message; true when there was one. */
  onEditLast?: () => boolean;
  /** Names for mention tokens (edit mode shows "@Name"). */
  nameOf?: (userId: string) => string | undefined;
}

/** What the composer is doing besides writing a new message. */
export type ComposerMode = { readonly kind: 'edit' | 'reply'; readonly message: ChatMessage };

const noName = () => undefined;

/** The message form at the bottom of the room. */
export function Composer(props: ComposerProps) {
  const { roomId, roomLabel = `#${roomId}`, status, onSend, autoFocus, members, onWantMembers, selfId, onTyping } = props;
  const { mode, onCancelMode, onEditLast, nameOf = noName } = props;
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [sending, setSending] = useState(false);
  const [chosen, setChosen] = useState<ReadonlyMap<string, string>>(new Map());
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<number>();
  const input = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const connected = status === 'open';
  // Only a closed client refuses messages; while (re)connecting they wait in the outbox.
  const accepting = status !== 'closed';
  const body = withMentionTokens(text, chosen);
  // Code points of the trimmed text: the same count the server enforces.
  const remaining = LIMITS.bodyMaxChars - [...body.trim()].length;
  const canSend = accepting && !sending && text.trim().length > 0 && remaining >= 0;
  const reason = connected ? undefined : WHY_NOT[status];

  const query = mentionQuery(text, caret);
  const options = useMemo(() => {
    if (!query || query.start === dismissed) return [];
    const q = query.query.toLowerCase();
    return (members ?? []).filter((m) => m.userId !== selfId && m.displayName.toLowerCase().includes(q)).slice(0, MAX_OPTIONS);
  }, [query?.query, query?.start, dismissed, members, selfId]);
  const current = options[Math.min(active, options.length - 1)];

  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT)}px`;
  }, [text]);

  useLayoutEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);

  // Entering edit mode loads the message (mentions as "@Name"); any mode puts the caret at the end of the text.
  const editing = mode?.kind === 'edit' ? mode.message : undefined;
  const draft = useRef<{ text: string; chosen: ReadonlyMap<string, string> }>(undefined);
  useLayoutEffect(() => {
    if (editing) {
      draft.current ??= { text, chosen };
      const loaded = withMentionLabels(editing.body, nameOf);
      setText(loaded.text);
      setChosen(loaded.chosen);
    } else if (draft.current) {
      // Leaving edit mode gives back what was being written before.
      setText(draft.current.text);
      setChosen(draft.current.chosen);
      draft.current = undefined;
    }
  }, [editing?.messageId]); // only when the edited message changes, not on every keystroke
  useLayoutEffect(() => {
    if (!mode) return;
    // After the edited text has rendered.
    const frame = requestAnimationFrame(() => {
      const el = input.current;
      el?.focus();
      el?.setSelectionRange(el.value.length, el.value.length);
    });
    return () => cancelAnimationFrame(frame);
  }, [mode]);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    const sent = text;
    setSending(true);
    const accepted = await onSend(body);
    setSending(false);
    // Clear only what was sent: anything typed meanwhile stays.
    if (accepted) {
      setText((current) => (current === sent ? '' : current));
      setChosen(new Map());
    }
    input.current?.focus();
  }

  function choose(member: PresenceUser) {
    if (!query) return;
    const label = mentionLabel(member.displayName);
    const next = `${text.slice(0, query.start)}${label} ${text.slice(caret)}`;
    setText(next);
    setChosen(new Map(chosen).set(member.displayName, member.userId));
    const at = query.start + label.length + 1;
    setCaret(at);
    setActive(0);
    requestAnimationFrame(() => input.current?.setSelectionRange(at, at));
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'ArrowUp' && text === '' && !mode && options.length === 0 && !event.altKey && !event.shiftKey) {
      if (onEditLast?.()) event.preventDefault();
      return;
    }
    if (event.key === 'Escape' && mode && options.length === 0) {
      event.preventDefault(); // cancels the edit/reply; does not mark the room read
      onCancelMode?.();
      return;
    }
    if (options.length > 0 && current) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((i) => (Math.min(i, options.length - 1) + step + options.length) % options.length);
        return;
      }
      if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
        event.preventDefault();
        choose(current);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault(); // closes the list; does not mark the room read
        setDismissed(query?.start);
        return;
      }
    }
    // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  }

  const describedBy = [reason ? `${id}-reason` : `${id}-hint`, remaining <= WARN_AT ? `${id}-count` : ''].filter(Boolean).join(' ');
  return (
    <form className="composer" onSubmit={submit} aria-label="Send a message">
      {mode && (
        <div className="composer-mode" data-testid="composer-mode" data-mode={mode.kind}>
          <span className="composer-mode-text">
            {mode.kind === 'edit' ? (
              'Editing your message · Esc to cancel'
            ) : (
              <>
                Replying to <strong>{mode.message.authorName}</strong>: {cut(plainText(mode.message.body, nameOf), 80)}
              </>
            )}
          </span>
          <button type="button" className="button-quiet" onClick={() => onCancelMode?.()}>
            {mode.kind === 'edit' ? 'Cancel edit' : 'Cancel reply'}
          </button>
        </div>
      )}
      <label htmlFor={`${id}-input`} className="visually-hidden">
        Message {roomLabel}
      </label>
      <div className="composer-row">
        <div className="composer-field">
          {options.length > 0 && (
            <ul id={`${id}-mentions`} role="listbox" aria-label="Mention a member" className="mention-options" data-testid="mention-options">
              {options.map((m, i) => (
                <li
                  key={m.userId}
                  id={`${id}-mention-${i}`}
                  role="option"
                  aria-selected={m === current}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => choose(m)}
                >
                  {m.displayName}
                </li>
              ))}
            </ul>
          )}
          <textarea
            id={`${id}-input`}
            ref={input}
            data-testid="composer-input"
            className="composer-input"
            rows={1}
            value={text}
            placeholder={`Message ${roomLabel}`}
            onChange={(e) => {
              setText(e.target.value);
              setCaret(e.target.selectionStart ?? e.target.value.length);
              setActive(0);
              if (e.target.value.includes('@')) onWantMembers?.();
              if (e.target.value.trim() && mode?.kind !== 'edit') onTyping?.();
            }}
            onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
            onKeyDown={onKeyDown}
            aria-describedby={describedBy}
            aria-invalid={remaining < 0}
            aria-controls={options.length > 0 ? `${id}-mentions` : undefined}
            aria-activedescendant={options.length > 0 && current ? `${id}-mention-${options.indexOf(current)}` : undefined}
            enterKeyHint="send"
          />
        </div>
        <button type="submit" className="button-primary" data-testid="send-button" disabled={!canSend}>
          {sending ? 'Sending…' : editing ? 'Save' : 'Send'}
        </button>
      </div>
      <div className="composer-notes">
        {reason ? (
          <p id={`${id}-reason`} className="composer-reason" data-testid="composer-reason">
            {reason}
          </p>
        ) : (
          <p id={`${id}-hint`} className="composer-hint">
            Enter to send · Shift+Enter for a new line · @ to mention
          </p>
        )}
        {remaining <= WARN_AT && (
          <p id={`${id}-count`} className={remaining < 0 ? 'composer-count over' : 'composer-count'} data-testid="composer-count">
            {remaining < 0 ? `${-remaining} characters over the limit` : `${remaining} characters left`}
          </p>
        )}
      </div>
    </form>
  );
}
