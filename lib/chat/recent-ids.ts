/** A bounded "seen recently" set, to drop frames the server legitimately sends twice. */

/**
 * Remembers the last `capacity` ids (oldest forgotten first). The same message can reach a client twice:
 * as its own ack and as the room broadcast, on both sockets during a rollover, or re-broadcast after an
 * idempotent retry. Bounded so a long session does not grow without limit.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** Records `id`; true when it was not seen before. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}
