/** One room's messages as a client holds them: unique by messageId, ordered by messageId. */
import type { ChatMessage } from '../protocol';

// Stryker disable next-line all: equivalent — reset() sorts only so add() appends; add() finds each position itself.
const byId = (a: ChatMessage, b: ChatMessage) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0);

/** A message's revision (edits, deletes and reaction changes each raise it; absent = as sent). */
export const revOf = (message: ChatMessage): number => message.rev ?? 0;

/**
 * Messages keyed by messageId and kept sorted by it. Stored messages change (edit, delete, reactions): a copy
 * with a higher `rev` replaces the held one in place, any other copy is ignored, so frames and pages arriving
 * late, twice or out of order can never roll a message back.
 * since ULIDs sort by creation time. Live frames almost always land at the end, so inserting is a binary
 * search plus (usually) an append, not a re-sort: a client in a busy room merges thousands of frames.
 */
export class MessageLog {
  private readonly sorted: ChatMessage[] = [];
  private readonly ids = new Map<string, ChatMessage>();
  private snapshot: readonly ChatMessage[] | undefined;

  /** Adds what is new (and takes newer revisions of held messages); returns how many messages were new. */
  add(incoming: readonly ChatMessage[]): number {
    let added = 0;
    for (const message of incoming) {
      if (this.ids.has(message.messageId)) {
        this.update(message);
        continue;
      }
      this.ids.set(message.messageId, message);
      this.sorted.splice(this.insertionPoint(message.messageId), 0, message);
      added++;
    }
    if (added) this.snapshot = undefined;
    return added;
  }

  /** Replaces a held message with a newer revision of it; false when not held or not newer. */
  update(message: ChatMessage): boolean {
    const held = this.ids.get(message.messageId);
    if (!held || revOf(message) <= revOf(held)) return false;
    this.ids.set(message.messageId, message);
    this.sorted[this.insertionPoint(message.messageId)] = message;
    this.snapshot = undefined;
    return true;
  }

  /** The held copy of a message. */
  get(messageId: string): ChatMessage | undefined {
    return this.ids.get(messageId);
  }

  /** The oldest message held, if any. */
  oldest(): ChatMessage | undefined {
    return this.sorted[0];
  }

  /** Replaces everything (used when a gap could not be closed, so the log stays contiguous). */
  reset(messages: readonly ChatMessage[]): void {
    this.sorted.length = 0;
    this.ids.clear();
    this.snapshot = undefined;
    // Stryker disable next-line MethodExpression: equivalent — add() places each message by binary search (the sort saves time only).
    this.add([...messages].sort(byId));
  }

  has(messageId: string): boolean {
    return this.ids.has(messageId);
  }

  get size(): number {
    return this.sorted.length;
  }

  /** The newest message held, if any. */
  newest(): ChatMessage | undefined {
    return this.sorted.at(-1);
  }

  /** The messages, oldest first; the same array until something changes (cheap for React to compare). */
  list(): readonly ChatMessage[] {
    return (this.snapshot ??= this.sorted.slice());
  }

  private insertionPoint(messageId: string): number {
    let low = 0;
    let high = this.sorted.length;
    // Stryker disable next-line ConditionalExpression: equivalent — the fast path only skips a search that returns the same index.
    if (high === 0 || this.sorted[high - 1]!.messageId < messageId) return high;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.sorted[mid]!.messageId < messageId) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
