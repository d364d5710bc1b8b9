/**
 * The screen-reader voice of the timeline, separate from the virtualized list (whose rows mount and unmount as
 * the reader scrolls and must never be read out): "Author: text" for each message that arrives while the room
 * is open, nothing for history, nothing for the reader's own messages, no timestamps or buttons.
 */
import { useEffect, useRef, useState } from 'react';
import { bodyAsText } from '../../lib/chat/mentions';
import type { ChatMessage } from '../../lib/protocol';
import { arrivals } from './announcements';

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
  const [entries, setEntries] = useState<Array<{ id: string; text: string }>>([]);
  const baseline = useRef<{ started: boolean; newest?: string }>({ started: false });

  useEffect(() => {
    if (!ready) return;
    const newest = messages.at(-1)?.messageId;
    const state = baseline.current;
    if (!state.started) {
      baseline.current = { started: true, newest };
      return;
    }
    const fresh = arrivals(messages, state.newest, selfId);
    if (newest !== undefined && (state.newest === undefined || newest > state.newest)) state.newest = newest;
    if (fresh.length === 0) return;
    const added = fresh.map((m) => ({ id: m.messageId, text: `${m.authorName}: ${bodyAsText(m.body, nameOf)}` }));
    setEntries((previous) => [...previous, ...added].slice(-KEEP));
  }, [messages, ready, selfId, nameOf]);

  return (
    <div className="visually-hidden" role="log" aria-live="polite" aria-relevant="additions" aria-label="New messages" data-testid="announcer">
      {entries.map((entry) => (
        <p key={entry.id}>{entry.text}</p>
      ))}
    </div>
  );
}
