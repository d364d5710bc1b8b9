/**
 * Who is typing where, framework-free. A notice lasts `LIMITS.typingExpiryMs` after that person's last `typing`
 * frame and ends at once when their message arrives. The reader is never listed (their other tabs' frames
 * included). Senders throttle to one frame per `LIMITS.typingIntervalMs` per room (`TypingThrottle`).
 */
import { LIMITS, type PresenceUser } from '../protocol';

/** "Ada is typing…" / "Ada and Bob are typing…" / "Several people are typing…" ('' for nobody). */
export function typingText(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

/** Typing notices per room, each until a moment in time. */
export class Typists {
  private readonly rooms = new Map<string, Map<string, { name: string; until: number }>>();

  constructor(
    private readonly selfId: string,
    private readonly expiryMs: number = LIMITS.typingExpiryMs,
  ) {}

  /** A `typing` frame: shows `user` in `roomId` until `now + expiry`. False for the reader themselves. */
  note(roomId: string, user: PresenceUser, now: number): boolean {
    if (user.userId === this.selfId) return false;
    let room = this.rooms.get(roomId);
    if (!room) this.rooms.set(roomId, (room = new Map()));
    room.delete(user.userId); // re-insert: names stay in order of their latest frame
    room.set(user.userId, { name: user.displayName, until: now + this.expiryMs });
    return true;
  }

  /** Their message arrived: no longer typing. True when a notice was removed. */
  clear(roomId: string, userId: string): boolean {
    return this.rooms.get(roomId)?.delete(userId) ?? false;
  }

  /** Names typing in `roomId` at `now`, in order of first… latest frame. */
  names(roomId: string, now: number): string[] {
    const room = this.rooms.get(roomId);
    if (!room) return [];
    for (const [userId, t] of room) if (t.until <= now) room.delete(userId);
    return [...room.values()].map((t) => t.name);
  }

  /** The next moment a notice expires (to re-render then), or undefined when none is shown. */
  nextExpiry(now: number): number | undefined {
    let next: number | undefined;
    for (const room of this.rooms.values()) for (const t of room.values()) if (t.until > now && (next === undefined || t.until < next)) next = t.until;
    return next;
  }
}

/** At most one `typing` frame per room per interval. */
export class TypingThrottle {
  private readonly sent = new Map<string, number>();

  constructor(private readonly intervalMs: number = LIMITS.typingIntervalMs) {}

  /** Whether a frame may go out now; call `sent` when it did. */
  due(roomId: string, now: number): boolean {
    const last = this.sent.get(roomId);
    return last === undefined || now - last >= this.intervalMs;
  }

  markSent(roomId: string, now: number): void {
    this.sent.set(roomId, now);
  }

  /** After sending a message the next keystroke may announce typing again at once. */
  reset(roomId: string): void {
    this.sent.delete(roomId);
  }
}
