/** Bookkeeping for the virtualized timeline: stable absolute indexes across prepends, and the "N new" count. */
import { useRef } from 'react';
import type { ChatMessage } from '../../lib/protocol';
import type { TimelineRow } from './timeline-rows';

/** Far from 0, so it stays positive however many rows are prepended (Virtuoso needs a positive index). */
export const FIRST_INDEX_BASE = 1_000_000_000;

/**
 * Virtuoso keeps the reader's place across a prepend when `firstItemIndex` drops by the number of rows added
 * above. Rows are counted relative to an anchor row (the first row ever shown): its absolute index never
 * changes, so every row below it keeps its index too. A lost anchor (a new window of history) re-anchors.
 */
export function firstItemIndexFor(rows: readonly TimelineRow[], anchor: string | undefined): { index: number; anchor: string | undefined } {
  const at = anchor === undefined ? -1 : rows.findIndex((r) => r.key === anchor);
  if (at >= 0) return { index: FIRST_INDEX_BASE - at, anchor };
  const first = rows.find((r) => r.kind === 'message') ?? rows[0];
  const index = first ? rows.indexOf(first) : 0;
  return { index: FIRST_INDEX_BASE - index, anchor: first?.key };
}

/** The hook form of firstItemIndexFor: remembers the anchor between renders. */
export function useFirstItemIndex(rows: readonly TimelineRow[]): number {
  const anchor = useRef<string>(undefined);
  const { index, anchor: next } = firstItemIndexFor(rows, anchor.current);
  anchor.current = next;
  return index;
}

/** Messages from others that arrived after `seen` (ids are ULIDs: they sort by time). Scans from the end. */
export function newSince(messages: readonly ChatMessage[], seen: string | undefined, selfId: string): number {
  let count = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (seen !== undefined && message.messageId <= seen) break;
    if (message.authorId !== selfId) count++;
  }
  return count;
}
