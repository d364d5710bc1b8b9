/**
 * Limits of the chat wire protocol and the message edit/delete windows: plain data, no validator, so the page can
 * import them without pulling zod. Part of lib/protocol.ts (which re-exports everything here).
 */

/** Limits enforced server-side (and mirrored in the UI for early feedback). */
export const LIMITS = {
  /** Longest message body, in characters (Unicode code points). */
  bodyMaxChars: 2000,
  /** API Gateway's WebSocket message cap; bigger frames are refused before parsing. */
  frameMaxBytes: 128 * 1024,
  /** API Gateway closes idle sockets after 10 minutes. */
  idleTimeoutMs: 10 * 60 * 1000,
  /** API Gateway closes any socket after 2 hours. */
  maxConnectionMs: 2 * 60 * 60 * 1000,
  /** A WebSocket ticket is valid this long and only once. */
  ticketTtlSeconds: 60,
  /** History page sizes. */
  historyDefaultLimit: 30,
  historyMaxLimit: 100,
  /** Display names chosen at sign-up. */
  displayNameMaxChars: 32,
  /** Clients send `{"action":"ping"}` this often; each ping keeps the socket's server-side row fresh (one write, however many rooms). */
  heartbeatIntervalMs: 60 * 1000,
  /**
   * A connection row not refreshed by a ping for this long (3 heartbeats) counts as dead: it drops out
   * of presence, and its socket's next frame gets NOT_CONNECTED (reconnect).
   */
  connectionFreshMs: 3 * 60 * 1000,
  /** Per-user send limit across all sockets, rooms and HTTP: this many messages per fixed window... */
  sendRateLimit: 20,
  /** ...of this length (windows start at multiples of it since the epoch). */
  sendRateWindowMs: 10 * 1000,
  /** A retried send with the same clientMessageId returns the original message for at least this long. */
  clientMessageIdRetentionMs: 24 * 60 * 60 * 1000,

  // ---------------------------------------------------------------- rooms
  /** Rooms (public, private and DMs together) one person can be a member of. */
  roomsPerUser: 100,
  /** Members of one private room (public rooms have no cap; a DM always has two). */
  membersPerPrivateRoom: 100,
  /** Rooms one person may create (public + private; DMs do not count) per window... */
  roomCreateLimit: 10,
  /** ...of this length. */
  roomCreateWindowMs: 60 * 60 * 1000,
  /** Room name: 1-40 characters (see `roomNameSchema`). */
  roomNameMaxChars: 40,
  /** Room topic: 0-250 characters of one line. */
  topicMaxChars: 250,
  /** Unread counts are exact up to this; above it the server answers `unreadCountCap + 1` and the UI shows "99+". */
  unreadCountCap: 99,
  /** Rooms one `subscribe` / `unsubscribe` frame may name (a tab subscribes to all its rooms at once). */
  subscribeMaxRooms: 100,
  /** Page size of browse, members and presence lists. */
  listPageDefault: 50,
  listPageMax: 100,
  /** Mentions kept per message (user-id tokens beyond this stay plain text). */
  mentionsMaxPerMessage: 20,
  /** Clients send `typing` at most this often per room while the person types. */
  typingIntervalMs: 3000,

  // ---------------------------------------------------------------- message actions (docs/messages.md)
  /** A typing indicator disappears this long after the last `typing` frame (or at once when that person's message arrives). */
  typingExpiryMs: 6000,
  /** `typing` is not fanned out in rooms with more than this many people online (a big room would be all noise). */
  typingMaxOnline: 100,
  /** Edits and deletes (together) per user per window, across all sockets and rooms... */
  editRateLimit: 30,
  /** ...of this length. Separate from the send allowance. */
  editRateWindowMs: 60 * 1000,
  /** Reaction set/unset operations per user per window (NOT counted against the send allowance)... */
  reactionRateLimit: 60,
  /** ...of this length. */
  reactionRateWindowMs: 60 * 1000,
  /** Different emoji on one message. */
  reactionsMaxEmojis: 20,
  /** People per emoji on one message (keeps a message item well under DynamoDB's 400 KB). */
  reactionsMaxUsersPerEmoji: 500,
  /** Longest emoji string accepted in a reaction, in UTF-16 units (ZWJ families with skin tones fit). */
  emojiMaxLength: 32,
  /** Longest quoted snippet a reply carries, in code points (derived at read time, never stored). */
  replySnippetMaxChars: 120,
  /** Changes (edits, deletes, reactions) per `changes` page. */
  changesPageDefault: 100,
  changesPageMax: 500,
  /**
   * A message whose store or fan-out starts this long after its id's time (a starved or retried send) is also put in
   * the room's change order (`stored`): clients read back by time with a 30 s overlap (GAP_OVERLAP_MS), and this
   * leaves 20 s of it for the fan-out itself.
   */
  lateStoreMs: 10_000,
} as const;

/**
 * How long after sending a person may edit or delete their own message. THE one place these windows are set: the
 * server enforces them (WINDOW_CLOSED) and the UI shows them (`describeWindow`). Defaults: edit 24 hours, delete
 * 7 days (documented in docs/messages.md).
 */
export const MESSAGE_WINDOWS = {
  editMs: 24 * 60 * 60 * 1000,
  deleteMs: 7 * 24 * 60 * 60 * 1000,
} as const;

/** A window as people read it: "24 hours", "7 days", "15 minutes". */
export function describeWindow(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  // "24 hours" reads better than "1 day"; whole days from 2 days up.
  if (ms % 86_400_000 === 0 && ms >= 2 * 86_400_000) return plural(ms / 86_400_000, 'day');
  if (ms % 3_600_000 === 0) return plural(ms / 3_600_000, 'hour');
  return plural(Math.max(1, Math.round(ms / 60_000)), 'minute');
}

/** Whether `action` on a message created at `createdAt` (ISO) is still inside its window at `now`. */
export function withinWindow(action: 'edit' | 'delete', createdAt: string, now = Date.now()): boolean {
  const window = action === 'edit' ? MESSAGE_WINDOWS.editMs : MESSAGE_WINDOWS.deleteMs;
  return now - Date.parse(createdAt) <= window;
}

/** How the UI shows an unread count: exact up to 99, then "99+". */
export function formatUnread(count: number): string {
  return count > LIMITS.unreadCountCap ? `${LIMITS.unreadCountCap}+` : String(count);
}

/** Longest preview body. */
export const PREVIEW_MAX_CHARS = 120;
