/** Which messages a screen reader hears: only ones that arrive while the room is open, never history. */
import type { ChatMessage } from '../../lib/protocol';

/** At most this many messages are announced at once (a reconnect may bring a burst). */
export const MAX_ANNOUNCED = 3;

/**
 * Messages from others newer than `baseline` (the newest message when announcing started, or the newest
 * already announced), oldest first, at most `max` (the newest ones). Older pages prepended by scrolling and
 * windows of history around a reply are older than the baseline, so they are never announced.
 */
export function arrivals(messages: readonly ChatMessage[], baseline: string | undefined, selfId: string, max = MAX_ANNOUNCED): ChatMessage[] {
  const fresh: ChatMessage[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (baseline !== undefined && message.messageId <= baseline) break;
    if (message.authorId !== selfId) fresh.push(message);
  }
  return fresh.slice(0, max).reverse();
}

/** One announced message: the body it was announced with, and what was said. */
export interface Announcement {
  id: string;
  body: string;
  text: string;
}

/**
 * The announcements whose message is still in the log, not deleted and not edited since: a deleted body is
 * removed from the page everywhere, this region included. Looks each id up from the newest end (recent ones).
 */
export function stillTrue(entries: readonly Announcement[], messages: readonly ChatMessage[]): Announcement[] {
  return entries.filter((entry) => {
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i]!;
      if (message.messageId === entry.id) return !message.deletedAt && message.body === entry.body;
      if (message.messageId < entry.id) return false;
    }
    return false;
  });
}
