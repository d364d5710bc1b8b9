/**
 * Writes and sends a message. Enter sends, Shift+Enter adds a line. A sent message moves into the
 * conversation as "Sending…" (the client re-sends it across reconnects until the server confirms it,
 * and offers Retry if it fails for good), so sending also works while the connection is coming back.
 */
import { useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ConnectionStatus } from '../../lib/chat-client';
import { LIMITS } from '../../lib/protocol';

/** The counter appears once fewer than this many characters remain. */
const WARN_AT = 200;
/** The textarea grows with its content up to this height (px), then scrolls. */
const MAX_HEIGHT = 160;

const WHY_NOT: Record<Exclude<ConnectionStatus, 'open'>, string> = {
  connecting: 'Connecting to the chat… messages you send now go out once connected.',
  reconnecting: 'Connection lost. Reconnecting… messages you send now go out once it is back.',
  closed: 'Disconnected. Reload the page to reconnect.',
};

export interface ComposerProps {
  roomId: string;
  status: ConnectionStatus;
  /** Resolves true when the message was queued for sending (false: it cannot be sent, and why is shown). */
  onSend: (body: string) => Promise<boolean>;
  autoFocus?: boolean;
}

/** The message form at the bottom of the room. */
export function Composer({ roomId, status, onSend, autoFocus }: ComposerProps) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const connected = status === 'open';
  // Only a closed client refuses messages; while (re)connecting they wait in the outbox.
  const accepting = status !== 'closed';
  // Code points of the trimmed text: the same count the server enforces.
  const remaining = LIMITS.bodyMaxChars - [...text.trim()].length;
  const canSend = accepting && !sending && text.trim().length > 0 && remaining >= 0;
  const reason = connected ? undefined : WHY_NOT[status];

  useLayoutEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT)}px`;
  }, [text]);

  useLayoutEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    const sent = text;
    setSending(true);
    const accepted = await onSend(sent);
    setSending(false);
    // Clear only what was sent: anything typed meanwhile stays.
    if (accepted) setText((current) => (current === sent ? '' : current));
    input.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  }

  const describedBy = [reason ? `${id}-reason` : `${id}-hint`, remaining <= WARN_AT ? `${id}-count` : ''].filter(Boolean).join(' ');
  return (
    <form className="composer" onSubmit={submit} aria-label="Send a message">
      <label htmlFor={`${id}-input`} className="visually-hidden">
        Message #{roomId}
      </label>
      <div className="composer-row">
        <textarea
          id={`${id}-input`}
          ref={input}
          data-testid="composer-input"
          className="composer-input"
          rows={1}
          value={text}
          placeholder={`Message #${roomId}`}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          aria-describedby={describedBy}
          aria-invalid={remaining < 0}
          enterKeyHint="send"
        />
        <button type="submit" className="button-primary" data-testid="send-button" disabled={!canSend}>
          {sending ? 'Sending…' : 'Send'}
        </button>
      </div>
      <div className="composer-notes">
        {reason ? (
          <p id={`${id}-reason`} className="composer-reason" data-testid="composer-reason">
            {reason}
          </p>
        ) : (
          <p id={`${id}-hint`} className="composer-hint">
            Enter to send · Shift+Enter for a new line
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
