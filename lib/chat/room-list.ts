/**
 * "My rooms" for the sidebar, framework-free: loaded from GET /me/rooms (counts derived by the server at
 * read time), then kept current from live frames — a message bumps the room's unread/mention counts,
 * preview and activity; a readState frame (from any of the user's tabs) clears them. When a frame cannot
 * be applied exactly (read up to the middle of what arrived), the list asks to be reloaded.
 *
 * Counts are exact however frames and reloads interleave: unread = the server's count up to its newest
 * message (the boundary) + the distinct live messages after that boundary. A frame that arrives late or out
 * of order is counted once, and a reload never drops a message it had not seen yet.
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

/** The preview of a message as the server derives it (amplify/chat/unread.ts toPreview): no text once deleted. */
export function previewOf(message: ChatMessage): MessagePreview {
  const deleted = !!message.deletedAt;
  const body = deleted ? '' : [...message.body].slice(0, PREVIEW_MAX_CHARS).join('');
  return { messageId: message.messageId, authorId: message.authorId, authorName: message.authorName, body, createdAt: message.createdAt, ...(deleted ? { deleted: true } : {}) };
}

/**
 * The newer of a reload's preview and the one live frames made: a reload answered before a live message or a
 * delete reached this tab must not bring the older one back. A deleted message is never undeleted; an edit of the
 * same message is not ordered here (the server's is taken).
 */
function newerPreview(server: MessagePreview | null, local: MessagePreview | null | undefined): MessagePreview | null {
  if (!local) return server;
  if (!server || local.messageId > server.messageId) return local;
  return local.messageId === server.messageId && local.deleted ? local : server;
}

/** The display name of a room: a DM shows the other person. */
export function roomName(entry: Pick<MyRoom, 'room' | 'peer'>): string {
  return entry.room.kind === 'dm' ? (entry.peer?.displayName ?? entry.room.name) : entry.room.name;
}

const byActivity = (a: MyRoom, b: MyRoom) =>
  b.room.lastActivityAt.localeCompare(a.room.lastActivityAt) || roomName(a).localeCompare(roomName(b));

/** How a room's counts are made up (see the file comment). */
interface Counts {
  base: number;
  baseMentions: number;
  /** The newest message the server's counts include (null: none). */
  boundary: string | null;
  /** Live messages after the boundary that count: id → mentions me. */
  live: Map<string, boolean>;
}

/** The signed-in user's rooms. Mutations return true when something visible changed. */
export class RoomList {
  private readonly rooms = new Map<string, MyRoom>();
  private readonly counts = new Map<string, Counts>();
  /** True once the first list arrived. */
  loaded = false;
  /**
   * Bumped by every local change of membership or read state: a reload that was in flight across one may carry
   * older server state (a room just left, a position just read) and is read again instead of applied.
   */
  version = 0;
  /**
   * Set when a live message could not be placed exactly: it would count, but its id is not above the newest
   * message of the server's count (ids are taken before storing, so the server may or may not have counted
   * it). Only a reload can tell; the owner reloads and clears it.
   */
  uncertain = false;

  constructor(private readonly selfId: string) {}

  /** Replaces everything with a fresh GET /me/rooms answer. */
  replace(rooms: readonly MyRoom[]): void {
    const before = new Map(this.counts);
    const shown = new Map([...this.rooms].map(([roomId, entry]) => [roomId, entry.lastMessage]));
    this.rooms.clear();
    this.counts.clear();
    for (const entry of rooms) {
      const boundary = entry.lastMessage?.messageId ?? null;
      const lastRead = entry.membership.lastReadMessageId;
      // Live messages the server had not stored yet when it counted still count.
      const live = new Map([...(before.get(entry.room.roomId)?.live ?? [])].filter(([id]) => (boundary === null || id > boundary) && (lastRead === null || id > lastRead)));
      this.counts.set(entry.room.roomId, { base: entry.unread, baseMentions: entry.mentions, boundary, live });
      this.rooms.set(entry.room.roomId, this.withCounts({ ...entry, lastMessage: newerPreview(entry.lastMessage, shown.get(entry.room.roomId)) }));
    }
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
    if (!this.counts.has(room.roomId)) this.counts.set(room.roomId, { base: 0, baseMentions: 0, boundary: null, live: new Map() });
    this.version++;
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
    this.counts.delete(roomId);
    this.version++;
    return this.rooms.delete(roomId);
  }

  /**
   * A live message: preview and activity always; unread (and mention) count unless it is the user's own or
   * `seen` (the room is on screen and will be marked read).
   */
  onMessage(message: ChatMessage, seen: boolean): boolean {
    const entry = this.rooms.get(message.roomId);
    const counts = this.counts.get(message.roomId);
    if (!entry || !counts) return false;
    const lastRead = entry.membership.lastReadMessageId;
    const newer = !entry.lastMessage || message.messageId > entry.lastMessage.messageId;
    const counted =
      message.authorId !== this.selfId &&
      !seen &&
      (lastRead === null || message.messageId > lastRead) &&
      (counts.boundary === null || message.messageId > counts.boundary || ((this.uncertain = true), false)) &&
      !counts.live.has(message.messageId);
    if (counted) counts.live.set(message.messageId, (message.mentions ?? []).includes(this.selfId));
    if (!newer && !counted) return false;
    this.rooms.set(
      message.roomId,
      this.withCounts({
        ...entry,
        ...(newer
          ? {
              room: { ...entry.room, lastActivityAt: message.createdAt > entry.room.lastActivityAt ? message.createdAt : entry.room.lastActivityAt },
              lastMessage: previewOf(message),
            }
          : {}),
      }),
    );
    return true;
  }

  /** A stored message changed: the preview follows an edit or delete of the room's last message (never old text). */
  onChanged(message: ChatMessage): boolean {
    const entry = this.rooms.get(message.roomId);
    if (!entry?.lastMessage || entry.lastMessage.messageId !== message.messageId) return false;
    const preview = previewOf(message);
    if (preview.body === entry.lastMessage.body && !!preview.deleted === !!entry.lastMessage.deleted) return false;
    this.rooms.set(message.roomId, { ...entry, lastMessage: preview });
    return true;
  }

  /**
   * The read position moved (this tab, another tab, another device) or mute changed. Returns 'exact' when the
   * counts are known afterwards, 'reload' when only the server can tell (read up to a message in the middle).
   */
  onReadState(frame: Pick<ReadStateFrame, 'roomId' | 'lastReadMessageId' | 'muted'>): 'exact' | 'reload' | 'unknown' {
    const entry = this.rooms.get(frame.roomId);
    const counts = this.counts.get(frame.roomId);
    if (!entry || !counts) return 'unknown';
    const before = entry.membership.lastReadMessageId;
    const lastRead = before !== null && (frame.lastReadMessageId === null || before > frame.lastReadMessageId) ? before : frame.lastReadMessageId;
    const readAll = !entry.lastMessage || (lastRead !== null && lastRead >= entry.lastMessage.messageId);
    const moved = lastRead !== before;
    if (moved || frame.muted !== entry.membership.muted) this.version++;
    if (readAll) {
      counts.base = counts.baseMentions = 0;
      counts.boundary = lastRead !== null && (counts.boundary === null || lastRead > counts.boundary) ? lastRead : counts.boundary;
      counts.live.clear();
    } else if (lastRead !== null) {
      for (const id of counts.live.keys()) if (id <= lastRead) counts.live.delete(id);
    }
    this.rooms.set(frame.roomId, this.withCounts({ ...entry, membership: { ...entry.membership, lastReadMessageId: lastRead, muted: frame.muted } }));
    // Live messages are counted one by one; only a server count (base) cannot be split at a read position.
    return readAll || !moved || counts.base === 0 ? 'exact' : 'reload';
  }

  /** Public and private rooms, then DMs, each most recent activity first. */
  sections(): { rooms: MyRoom[]; dms: MyRoom[] } {
    const all = [...this.rooms.values()].sort(byActivity);
    return { rooms: all.filter((e) => e.room.kind !== 'dm'), dms: all.filter((e) => e.room.kind === 'dm') };
  }

  /** The entry with its counts recomputed from the base and the live messages. */
  private withCounts(entry: MyRoom): MyRoom {
    const counts = this.counts.get(entry.room.roomId);
    if (!counts) return entry;
    const liveMentions = [...counts.live.values()].filter(Boolean).length;
    return { ...entry, unread: Math.min(counts.base + counts.live.size, COUNT_CAP), mentions: Math.min(counts.baseMentions + liveMentions, COUNT_CAP) };
  }

  /** Room ids in sidebar order (Alt+↑/↓). */
  order(): string[] {
    const { rooms, dms } = this.sections();
    return [...rooms, ...dms].map((e) => e.room.roomId);
  }
}
