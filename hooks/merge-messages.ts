/** Merging history pages and live frames into one ordered, duplicate-free list. */
import type { ChatMessage } from '../lib/protocol';

/**
 * Adds `incoming` to `current` by messageId (first copy wins: messages never change) and sorts by
 * messageId, since ULIDs sort by creation time. Returns `current` itself when nothing is new, so
 * React can skip a render.
 */
export function mergeMessages(current: readonly ChatMessage[], incoming: readonly ChatMessage[]): readonly ChatMessage[] {
  const byId = new Map(current.map((m) => [m.messageId, m] as const));
  let added = false;
  for (const message of incoming) {
    if (byId.has(message.messageId)) continue;
    byId.set(message.messageId, message);
    added = true;
  }
  if (!added) return current;
  return [...byId.values()].sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
}
