/**
 * The screen-reader voice of the timeline, separate from the virtualized list (whose rows mount and unmount as
 * the reader scrolls and must never be read out): "Author: text" for each message that arrives while the room
 * is open, nothing for history, nothing for the reader's own messages, no timestamps or buttons.
 */
import { useEffect, useRef, useState } from 'react';
import { messageText } from '../../lib/chat/message-text';
import type { ChatMessage } from '../../lib/protocol';
import { arrivals, stillTrue, type Announcement } from './announcements';

/** Entries kept in the region (older ones are removed; screen readers only read additions). */
const KEEP = 5;

export interface AnnouncerProps {
  messages: readonly ChatMessage[];
  /** History is loaded: what is there now is the baseline, not news. */
  ready: boolean;
  selfId: string;
  nameOf?: (userId: string) => string | undefined;
}

const noNames = () => undefined;

/** A visually hidden polite live region. */
export function Announcer({ messages, ready, selfId, nameOf = noNames }: AnnouncerProps) {
  const [entries, setEntries] = useState<Announcement[]>([]);
  const baseline = useRef<{ started: boolean; newest?: string }>({ started: false });

  useEffect(() => {
    if (!ready) return;
    const newest = messages.at(-1)?.messageId;
    const state = baseline.current;
    if (!state.started) {
      baseline.current = { started: true, newest };
      return;
    }
    const fresh = arrivals(messages, state.newest, selfId).filter((m) => !m.deletedAt);
    if (newest !== undefined && (state.newest === undefined || newest > state.newest)) state.newest = newest;
    const added = fresh.map((m) => ({ id: m.messageId, body: m.body, text: `${m.authorName}: ${messageText(m, nameOf)}` }));
    // A deleted or edited message's old words must not linger here: the region keeps only what is still true.
    setEntries((previous) => {
      const kept = stillTrue(previous, messages);
      if (added.length === 0 && kept.length === previous.length) return previous;
      return [...kept, ...added].slice(-KEEP);
    });
  }, [messages, ready, selfId, nameOf]);

  return (
    <div className="visually-hidden" role="log" aria-live="polite" aria-relevant="additions" aria-label="New messages" data-testid="announcer">
      {entries.map((entry) => (
        <p key={entry.id}>{entry.text}</p>
      ))}
    </div>
  );
}
