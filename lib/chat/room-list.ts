/**
 * "My rooms" for the sidebar, framework-free: loaded from GET /me/rooms (counts derived by the server at
 * read time), then kept current from live frames — a message bumps the room's unread/mention counts,
 * preview and activity; a readState frame (from any of the user's tabs) clears them. When a frame cannot
 * be applied exactly (read up to the middle of what arrived), the list asks to be reloaded.
 */
import {
  LIMITS,
  PREVIEW_MAX_CHARS,
  type ChatMessage,
  type Membership,
  type MessagePreview,
  type MyRoom,
  type PresenceUser,
  type ReadStateFrame,
  type RoomSummary,
} from '../protocol';

/** The server's "99+" value: counts never grow past it. */
const COUNT_CAP = LIMITS.unreadCountCap + 1;

/** A membership for a room just joined/created/added, until the next reload brings the stored one. */
export function freshMembership(now = new Date()): Membership {
  return { role: 'member', joinedAt: now.toISOString(), lastReadMessageId: null, muted: false };
}

/** The preview of a message as the server would derive it. */
export function previewOf(message: ChatMessage): MessagePreview {
  const body = [...message.body].slice(0, PREVIEW_MAX_CHARS).join('');
  return { messageId: message.messageId, authorId: message.authorId, authorName: message.authorName, body, createdAt: message.createdAt };
}

/** The display name of a room: a DM shows the other person. */
export function roomName(entry: Pick<MyRoom, 'room' | 'peer'>): string {
  return entry.room.kind === 'dm' ? (entry.peer?.displayName ?? entry.room.name) : entry.room.name;
}

const byActivity = (a: MyRoom, b: MyRoom) =>
  b.room.lastActivityAt.localeCompare(a.room.lastActivityAt) || roomName(a).localeCompare(roomName(b));

/** The signed-in user's rooms. Mutations return true when something visible changed. */
export class RoomList {
  private readonly rooms = new Map<string, MyRoom>();
  /** True once the first list arrived. */
  loaded = false;

  constructor(private readonly selfId: string) {}

  /** Replaces everything with a fresh GET /me/rooms answer. */
  replace(rooms: readonly MyRoom[]): void {
    this.rooms.clear();
    for (const entry of rooms) this.rooms.set(entry.room.roomId, entry);
    this.loaded = true;
  }

  get(roomId: string): MyRoom | undefined {
    return this.rooms.get(roomId);
  }

  has(roomId: string): boolean {
    return this.rooms.has(roomId);
  }

  ids(): string[] {
    return [...this.rooms.keys()];
  }

  /** Adds (or updates the summary of) a room the user is now a member of. */
  upsert(room: RoomSummary, membership: Membership | null, peer?: PresenceUser): void {
    const old = this.rooms.get(room.roomId);
    this.rooms.set(room.roomId, {
      room,
      membership: membership ?? old?.membership ?? freshMembership(),
      unread: old?.unread ?? 0,
      mentions: old?.mentions ?? 0,
      lastMessage: old?.lastMessage ?? null,
      ...((peer ?? old?.peer) ? { peer: peer ?? old?.peer } : {}),
    });
  }

  remove(roomId: string): boolean {
    return this.rooms.delete(roomId);
  }

  /**
   * A live message: preview and activity always; unread (and mention) count unless it is the user's own or
   * `seen` (the room is on screen and will be marked read).
   */
  onMessage(message: ChatMessage, seen: boolean): boolean {
    const entry = this.rooms.get(message.roomId);
    if (!entry) return false;
    if (entry.lastMessage && message.messageId <= entry.lastMessage.messageId) return false;
    const lastRead = entry.membership.lastReadMessageId;
    const counts = message.authorId !== this.selfId && !seen && (lastRead === null || message.messageId > lastRead);
    const mentioned = counts && (message.mentions ?? []).includes(this.selfId);
    this.rooms.set(message.roomId, {
      ...entry,
      room: { ...entry.room, lastActivityAt: message.createdAt > entry.room.lastActivityAt ? message.createdAt : entry.room.lastActivityAt },
      lastMessage: previewOf(message),
      unread: counts ? Math.min(entry.unread + 1, COUNT_CAP) : entry.unread,
      mentions: mentioned ? Math.min(entry.mentions + 1, COUNT_CAP) : entry.mentions,
    });
    return true;
  }

  /** A stored message changed: the preview follows an edit or delete of the room's last message (never old text). */
  onChanged(message: ChatMessage): boolean {
    const entry = this.rooms.get(message.roomId);
    if (!entry?.lastMessage || entry.lastMessage.messageId !== message.messageId) return false;
    const preview = previewOf(message);
    if (preview.body === entry.lastMessage.body) return false;
    this.rooms.set(message.roomId, { ...entry, lastMessage: preview });
    return true;
  }

  /**
   * The read position moved (this tab, another tab, another device) or mute changed. Returns 'exact' when the
   * counts are known afterwards, 'reload' when only the server can tell (read up to a message in the middle).
   */
  onReadState(frame: Pick<ReadStateFrame, 'roomId' | 'lastReadMessageId' | 'muted'>): 'exact' | 'reload' | 'unknown' {
    const entry = this.rooms.get(frame.roomId);
    if (!entry) return 'unknown';
    const before = entry.membership.lastReadMessageId;
    const lastRead = before !== null && (frame.lastReadMessageId === null || before > frame.lastReadMessageId) ? before : frame.lastReadMessageId;
    const readAll = !entry.lastMessage || (lastRead !== null && lastRead >= entry.lastMessage.messageId);
    const moved = lastRead !== before;
    this.rooms.set(frame.roomId, {
      ...entry,
      membership: { ...entry.membership, lastReadMessageId: lastRead, muted: frame.muted },
      unread: readAll ? 0 : entry.unread,
      mentions: readAll ? 0 : entry.mentions,
    });
    return readAll || !moved ? 'exact' : 'reload';
  }

  /** Public and private rooms, then DMs, each most recent activity first. */
  sections(): { rooms: MyRoom[]; dms: MyRoom[] } {
    const all = [...this.rooms.values()].sort(byActivity);
    return { rooms: all.filter((e) => e.room.kind !== 'dm'), dms: all.filter((e) => e.room.kind === 'dm') };
  }

  /** Room ids in sidebar order (Alt+↑/↓). */
  order(): string[] {
    const { rooms, dms } = this.sections();
    return [...rooms, ...dms].map((e) => e.room.roomId);
  }
}
