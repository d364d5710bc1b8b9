/**
 * The chat wire protocol, defined once: WebSocket frames in both directions, REST shapes, room id rules,
 * limits and typed error codes. Imported by the browser client, the Lambda handlers and the local
 * gateway, so the three can never disagree. Rooms: one socket per tab carries every room the tab
 * subscribes to; every room frame names its room. Key design and access patterns: docs/rooms.md.
 */
import * as z from 'zod';
import { LIMITS } from './protocol/limits';
import { ErrorCode } from './protocol/error-codes';
import { ROOM_ID_MAX_LENGTH, isRoomId } from './protocol/room-ids';
import { Action } from './protocol/routes';
import { codePoints, isOneEmoji, isVisibleText, looksEmpty } from './protocol/text';

// The zod-free parts (limits, error codes, room id rules, text rules, routes) live in lib/protocol/*.ts so the page
// can import them without a validator; they are re-exported here so every import of lib/protocol keeps working.
export * from './protocol-constants';

// ---------------------------------------------------------------- room ids

/** The kind of a room (`RoomKind`). */
export const roomKindSchema = z.enum(['public', 'private', 'dm']);

/** Any room id: a public slug, a private `p_…` id or a DM `dm_…_…` id. */
export const roomIdSchema = z
  .string()
  .max(ROOM_ID_MAX_LENGTH)
  .refine(isRoomId, {
    message: 'Room names use 1-40 lowercase letters, digits and inner dashes',
  });

/**
 * A room name as typed at creation. Public: it IS the id, so it must be a slug (Slack-style; the UI lowercases and
 * turns spaces into dashes before sending). Private: display-only, any 1-40 visible characters of one line.
 */
export const roomNameSchema = z
  .string()
  .transform((s) => s.trim())
  .refine(isVisibleText, { message: 'Room names cannot contain control or invisible characters' })
  .refine((s) => codePoints(s) >= 1 && codePoints(s) <= LIMITS.roomNameMaxChars, {
    message: `Room names are 1-${LIMITS.roomNameMaxChars} characters`,
  });

/** A room topic: one line, at most `topicMaxChars` characters (empty = no topic). */
export const topicSchema = z
  .string()
  .transform((s) => s.trim())
  .refine(isVisibleText, { message: 'Topics are one line of visible text' })
  .refine((s) => codePoints(s) <= LIMITS.topicMaxChars, { message: `Topics are limited to ${LIMITS.topicMaxChars} characters` });

// ---------------------------------------------------------------- messages

/** A message body: trimmed, non-empty, at most `bodyMaxChars` code points. */
export const messageBodySchema = z
  .string()
  .transform((s) => s.trim())
  // Lone UTF-16 surrogates are valid JSON but not text: DynamoDB and other clients would choke on them.
  .refine((s) => s.isWellFormed(), { message: 'Messages must be valid Unicode text', params: { code: ErrorCode.BadFrame } })
  // Only zero-width / invisible characters would be an empty-looking message.
  .refine((s) => !looksEmpty(s), {
    message: 'Type something before sending',
    params: { code: ErrorCode.EmptyBody },
  })
  .refine((s) => codePoints(s) <= LIMITS.bodyMaxChars, {
    message: `Messages are limited to ${LIMITS.bodyMaxChars} characters`,
    params: { code: ErrorCode.BodyTooLong },
  });

/** Client-chosen id that lets a retried send be recognised. */
export const clientMessageIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** A message id: a ULID (sorts by time). */
export const messageIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a message id');

/** One emoji on a message: who reacted (user ids, in the order they reacted is NOT kept: sorted), count = userIds.length. */
export const reactionSchema = z.object({
  emoji: z.string(),
  userIds: z.array(z.string()),
});
export type Reaction = z.infer<typeof reactionSchema>;

/**
 * What a reply shows of the message it quotes. Derived when read (history, changes, live frames) from the quoted
 * message as it is NOW — never stored on the reply — so an edit shows up and a delete leaves no text behind.
 */
export const replyQuoteSchema = z.object({
  messageId: z.string(),
  /** Absent when the quoted message is deleted (or gone). */
  authorId: z.string().optional(),
  authorName: z.string().optional(),
  /** The quoted body cut to `LIMITS.replySnippetMaxChars` code points; '' when deleted. */
  snippet: z.string(),
  deleted: z.boolean().optional(),
});
export type ReplyQuote = z.infer<typeof replyQuoteSchema>;

/** A stored chat message as every client sees it. */
export const chatMessageSchema = z.object({
  roomId: roomIdSchema,
  messageId: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  /** '' once deleted (the text is removed from storage, not hidden). */
  body: z.string(),
  createdAt: z.string(),
  clientMessageId: z.string().optional(),
  /** User ids mentioned in the body (`<@id>` tokens), derived by the server; absent when none. */
  mentions: z.array(z.string()).optional(),
  /** Revision: 0/absent as sent, +1 per edit, delete or reaction change. Clients keep the copy with the higher rev. */
  rev: z.number().int().nonnegative().optional(),
  /** Set by the last edit (the UI shows "(edited)"). */
  editedAt: z.string().optional(),
  /** Set by delete (the UI shows "This message was deleted"); body, mentions and reactions are gone. */
  deletedAt: z.string().optional(),
  /** Reactions, emoji sorted by first appearance is not kept: sorted by emoji; absent when none. */
  reactions: z.array(reactionSchema).optional(),
  /** The message this one replies to (same room), with its snippet as it is now. */
  replyTo: replyQuoteSchema.optional(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/**
 * One emoji, as a reaction: a single grapheme made only of emoji code points (pictographs, regional-indicator
 * flags, keycaps, ZWJ sequences, skin tones, tags), at most `LIMITS.emojiMaxLength` UTF-16 units. Structural rather
 * than a fixed list so emoji newer than the server's Unicode tables (the picker ships Emoji 17) still work.
 */
export const emojiSchema = z
  .string()
  .min(1)
  .max(LIMITS.emojiMaxLength)
  .refine(isOneEmoji, {
    message: 'Reactions are a single emoji',
    params: { code: ErrorCode.BadEmoji },
  });

// ---------------------------------------------------------------- rooms (REST and frames share these)

/** A room as lists show it. `name` is display-only for private rooms and DMs (for a DM: the other person's name). */
export const roomSummarySchema = z.object({
  roomId: roomIdSchema,
  kind: roomKindSchema,
  name: z.string(),
  topic: z.string(),
  memberCount: z.number().int().nonnegative(),
  createdAt: z.string(),
  /** Time of the last message (or of creation when there is none yet); ISO-8601. */
  lastActivityAt: z.string(),
});
export type RoomSummary = z.infer<typeof roomSummarySchema>;

/** The caller's own state in a room. */
export const membershipSchema = z.object({
  role: z.enum(['owner', 'member']),
  joinedAt: z.string(),
  /** The newest message the caller has read; null = nothing read yet. */
  lastReadMessageId: z.string().nullable(),
  muted: z.boolean(),
});
export type Membership = z.infer<typeof membershipSchema>;

/** One person (presence, members, DM peer). */
export const presenceUserSchema = z.object({ userId: z.string(), displayName: z.string() });
export type PresenceUser = z.infer<typeof presenceUserSchema>;

/** The last message of a room as a sidebar shows it (derived at read time, so an edited/deleted message never lingers). */
export const messagePreviewSchema = z.object({
  messageId: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  /** The body, cut to `PREVIEW_MAX_CHARS` code points (mention tokens left in for the client to render); '' once deleted. */
  body: z.string(),
  createdAt: z.string(),
  /** The last message was deleted: show "This message was deleted". */
  deleted: z.boolean().optional(),
});
export type MessagePreview = z.infer<typeof messagePreviewSchema>;

/** One entry of "my rooms". */
export const myRoomSchema = z.object({
  room: roomSummarySchema,
  membership: membershipSchema,
  /** Messages after `lastReadMessageId`, exact up to `LIMITS.unreadCountCap`; `unreadCountCap + 1` means "99+". */
  unread: z.number().int().nonnegative(),
  /** Of those, messages that mention the caller (same cap). */
  mentions: z.number().int().nonnegative(),
  lastMessage: messagePreviewSchema.nullable(),
  /** DMs only: the other person. */
  peer: presenceUserSchema.optional(),
});
export type MyRoom = z.infer<typeof myRoomSchema>;

// ---------------------------------------------------------------- client → server frames

/** Client-chosen id echoed on the error frame of an edit/delete/react, so the client can match the refusal. */
export const requestIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/**
 * Sends a message to a room. Sending in a public room one is not a member of joins it. `replyToMessageId` quotes a
 * message of the SAME room (MESSAGE_NOT_FOUND / MESSAGE_DELETED otherwise, nothing stored).
 */
export const sendMessageFrameSchema = z.object({
  action: z.literal(Action.SendMessage),
  roomId: z.string(),
  body: z.string(),
  clientMessageId: clientMessageIdSchema.optional(),
  replyToMessageId: messageIdSchema.optional(),
});
export const pingFrameSchema = z.object({ action: z.literal(Action.Ping) });
/**
 * Asks for one page of a room's presence (who has a live socket subscribed to it), answered with `presenceList`
 * to the asker only. Pass the previous page's `nextCursor` to continue.
 */
export const presenceRequestFrameSchema = z.object({
  action: z.literal(Action.Presence),
  roomId: z.string(),
  cursor: z.string().max(200).optional(),
});
/**
 * Starts live frames (messages, presence deltas, typing) for these rooms on this socket: members for any room,
 * anyone for a public room (preview). Answered with one `subscribed` frame. Subscriptions live as long as the socket.
 */
export const subscribeFrameSchema = z.object({
  action: z.literal(Action.Subscribe),
  roomIds: z.array(z.string()).min(1).max(LIMITS.subscribeMaxRooms),
});
/** Stops live frames for these rooms on this socket. Answered with `unsubscribed`. */
export const unsubscribeFrameSchema = z.object({
  action: z.literal(Action.Unsubscribe),
  roomIds: z.array(z.string()).min(1).max(LIMITS.subscribeMaxRooms),
});
/** Moves the caller's read position in a room forward (never back) and syncs it to their other sockets (`readState`). */
export const markReadFrameSchema = z.object({
  action: z.literal(Action.MarkRead),
  roomId: z.string(),
  messageId: messageIdSchema,
});
/** "I am typing" in a room (members only; sent at most every `LIMITS.typingIntervalMs`). */
export const typingFrameSchema = z.object({ action: z.literal(Action.Typing), roomId: z.string() });
/**
 * Replaces the body of one's OWN message (FORBIDDEN for anyone else's, WINDOW_CLOSED after `MESSAGE_WINDOWS.editMs`,
 * MESSAGE_DELETED once deleted). Everyone subscribed gets `messageChanged` (the editor too: that is the answer).
 */
export const editMessageFrameSchema = z.object({
  action: z.literal(Action.EditMessage),
  roomId: z.string(),
  messageId: messageIdSchema,
  body: z.string(),
  requestId: requestIdSchema.optional(),
});
/**
 * Deletes one's OWN message: body, mentions and reactions are removed from storage (and its send receipt scrubbed);
 * a placeholder stays. Deleting an already deleted message is a no-op answered with its current state.
 */
export const deleteMessageFrameSchema = z.object({
  action: z.literal(Action.DeleteMessage),
  roomId: z.string(),
  messageId: messageIdSchema,
  requestId: requestIdSchema.optional(),
});
/**
 * Sets or unsets the caller's reaction `emoji` on a message: idempotent (set twice = set once; unset of nothing =
 * nothing), never a toggle, so retries and duplicate delivery cannot flip it. Members only.
 */
export const reactFrameSchema = z.object({
  action: z.literal(Action.React),
  roomId: z.string(),
  messageId: messageIdSchema,
  emoji: z.string().max(64),
  op: z.enum(['set', 'unset']),
  requestId: requestIdSchema.optional(),
});
export const clientFrameSchema = z.discriminatedUnion('action', [
  sendMessageFrameSchema,
  pingFrameSchema,
  presenceRequestFrameSchema,
  subscribeFrameSchema,
  unsubscribeFrameSchema,
  markReadFrameSchema,
  typingFrameSchema,
  editMessageFrameSchema,
  deleteMessageFrameSchema,
  reactFrameSchema,
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

// ---------------------------------------------------------------- server → client frames

/** A new message in a subscribed room (`message.roomId`). */
export const messageFrameSchema = z.object({ type: z.literal('message'), message: chatMessageSchema });
export const ackFrameSchema = z.object({
  type: z.literal('ack'),
  clientMessageId: z.string().optional(),
  message: chatMessageSchema,
});
export const pongFrameSchema = z.object({ type: z.literal('pong') });
export const errorFrameSchema = z.object({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
  clientMessageId: z.string().optional(),
  /** The room the failed frame named, when it named one. */
  roomId: z.string().optional(),
  /** RATE_LIMITED only: wait at least this long before sending again. */
  retryAfterMs: z.number().int().nonnegative().optional(),
  /** The `requestId` of the edit/delete/react frame that failed. */
  requestId: z.string().optional(),
  /** The message an edit/delete/react/reply named. */
  messageId: z.string().optional(),
  /** Error reference: shown in the UI's error text and logged with the error (docs/operations.md). */
  ref: z.string().max(16).optional(),
});
/**
 * A presence DELTA in a subscribed room: `user` got their first live socket subscribed to it (`joined`) or lost
 * their last one (`left`). Apply to the list from `presenceList`.
 */
export const presenceDeltaFrameSchema = z.object({
  type: z.literal('presenceDelta'),
  roomId: roomIdSchema,
  joined: z.array(presenceUserSchema),
  left: z.array(presenceUserSchema),
});
export type PresenceDeltaFrame = z.infer<typeof presenceDeltaFrameSchema>;
/** One page of a room's presence, sorted by user id within the page; merge pages by userId. */
export const presenceListFrameSchema = z.object({
  type: z.literal('presenceList'),
  roomId: roomIdSchema,
  users: z.array(presenceUserSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type PresenceListFrame = z.infer<typeof presenceListFrameSchema>;
/** Answer to `subscribe`: rooms now live on this socket, and the refused ones (NOT_FOUND for missing or private-not-member). */
export const subscribedFrameSchema = z.object({
  type: z.literal('subscribed'),
  roomIds: z.array(roomIdSchema),
  refused: z.array(z.object({ roomId: z.string(), code: z.string(), message: z.string() })),
});
export const unsubscribedFrameSchema = z.object({ type: z.literal('unsubscribed'), roomIds: z.array(z.string()) });
/** The user's read position in a room changed (from any of their tabs/devices, or HTTP). Sent to all their sockets. */
export const readStateFrameSchema = z.object({
  type: z.literal('readState'),
  roomId: roomIdSchema,
  lastReadMessageId: z.string().nullable(),
  muted: z.boolean(),
});
export type ReadStateFrame = z.infer<typeof readStateFrameSchema>;
/**
 * The user's membership changed (sent to all their sockets): `added` (by someone else, by creating, joining or a
 * new DM — `room` is set; subscribe to it) or `removed` (removed by a member or left in another tab — the server
 * has already stopped the room's frames on every socket of the user).
 */
export const membershipFrameSchema = z.object({
  type: z.literal('membership'),
  roomId: roomIdSchema,
  change: z.enum(['added', 'removed']),
  room: roomSummarySchema.optional(),
});
export type MembershipFrame = z.infer<typeof membershipFrameSchema>;
/** Someone (never the receiver) is typing in a subscribed room; show it for ~`2 × LIMITS.typingIntervalMs`. */
export const typingEventFrameSchema = z.object({ type: z.literal('typing'), roomId: roomIdSchema, user: presenceUserSchema });

/** What kind of change a `messageChanged` frame / changes entry records. */
export const changeKindSchema = z.enum(['edited', 'deleted', 'reaction']);
export type ChangeKind = z.infer<typeof changeKindSchema>;

/**
 * A stored message changed (edit, delete, reaction set/unset), sent to the room's subscribers. `message` is its
 * whole state AFTER the change (carry ids and current state, never old text); `seq` is the room's change order
 * (1, 2, 3, … per room): remember the highest seen and fetch `GET /rooms/{id}/changes?since=` after a reconnect.
 * Apply only when `message.rev` is higher than the copy held (frames can arrive out of order or twice).
 */
export const messageChangedFrameSchema = z.object({
  type: z.literal('messageChanged'),
  roomId: roomIdSchema,
  /** Absent only on the actor's answer to a repeat that changed nothing (set twice): keep your `since` as it is. */
  seq: z.number().int().positive().optional(),
  change: changeKindSchema,
  message: chatMessageSchema,
  /** The `requestId` of the frame that made the change (the actor's own answer). */
  requestId: z.string().optional(),
});
export type MessageChangedFrame = z.infer<typeof messageChangedFrameSchema>;

export const serverFrameSchema = z.discriminatedUnion('type', [
  messageFrameSchema,
  ackFrameSchema,
  pongFrameSchema,
  errorFrameSchema,
  presenceDeltaFrameSchema,
  presenceListFrameSchema,
  subscribedFrameSchema,
  unsubscribedFrameSchema,
  readStateFrameSchema,
  membershipFrameSchema,
  typingEventFrameSchema,
  messageChangedFrameSchema,
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
export type ErrorFrame = z.infer<typeof errorFrameSchema>;

// ---------------------------------------------------------------- REST shapes

/** POST /tickets → a one-time WebSocket ticket. */
export const ticketResponseSchema = z.object({ ticket: z.string(), expiresAt: z.string() });
export type TicketResponse = z.infer<typeof ticketResponseSchema>;

const cursorId = (name: string) =>
  z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, `${name} must be a message id`)
    .optional();

/**
 * GET /rooms/{roomId}/messages?limit&before&after → newest first. `after` (exclusive) fetches only what a cached
 * room is missing: page with `before=nextBefore` keeping `after` until `nextBefore` is null.
 * `around=<messageId>` (alone) → the message's neighbourhood: it, up to ⌊limit/2⌋ older and the rest newer
 * (MESSAGE_NOT_FOUND when it is not in this room); continue older with `before=nextBefore`, newer with
 * `from=nextAfter`. `from=<messageId>` (alone) → the `limit` messages just NEWER than it (exclusive), still newest
 * first; `nextAfter` continues towards the present (null = reached the newest).
 * Public rooms: anyone signed in; private rooms and DMs: members only (else NOT_FOUND).
 */
export const historyQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(LIMITS.historyMaxLimit).default(LIMITS.historyDefaultLimit),
    before: cursorId('before'),
    after: cursorId('after'),
    around: cursorId('around'),
    from: cursorId('from'),
  })
  .refine((q) => !(q.around || q.from) || (!q.before && !q.after && !(q.around && q.from)), {
    message: '`around` and `from` cannot be combined with each other or with `before`/`after`',
  });
export type HistoryQuery = z.infer<typeof historyQuerySchema>;
export const historyResponseSchema = z.object({
  messages: z.array(chatMessageSchema),
  /** Pass as `before` to get the next (older) page; null when there is none. */
  nextBefore: z.string().nullable(),
  /** `around` / `from` only: pass as `from` to get the next NEWER page; null when these are the newest. */
  nextAfter: z.string().nullable().optional(),
  /**
   * The room's change order when this page was read: start `GET /rooms/{id}/changes?since=` from here (every
   * edit/delete/reaction after it has a higher seq). Present on every answer of the real server.
   */
  changeSeq: z.number().int().nonnegative().optional(),
});
export type HistoryResponse = z.infer<typeof historyResponseSchema>;

/** POST /rooms/{roomId}/messages — for clients without a socket (same rules as the `sendMessage` frame). */
export const storeMessageRequestSchema = z.object({
  body: z.string(),
  clientMessageId: clientMessageIdSchema.optional(),
  replyToMessageId: messageIdSchema.optional(),
});

/**
 * GET /rooms/{roomId}/changes?since=N&limit → the messages changed (edited, deleted, reactions) after change `since`
 * in this room, oldest change first, each as its CURRENT state (so several changes of one message come once).
 * Reconnect recipe: subscribe first, then fetch since the highest `seq` held, page while `hasMore`; apply each
 * message when its `rev` is higher than the held copy. Same access rules as history. Change entries hold ids only
 * and are kept (no expiry), so any `since` works.
 */
export const changesQuerySchema = z.object({
  /** The highest `seq` already applied; 0 (the default) = from the room's first change. */
  since: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(LIMITS.changesPageMax).default(LIMITS.changesPageDefault),
});
export const changesResponseSchema = z.object({
  changes: z.array(z.object({ seq: z.number().int().positive(), change: changeKindSchema, message: chatMessageSchema })),
  /** The highest seq covered by this answer: pass as `since` next time. */
  nextSince: z.number().int().nonnegative(),
  /** More changes after `nextSince` right now: fetch again. */
  hasMore: z.boolean(),
});
export type ChangesResponse = z.infer<typeof changesResponseSchema>;
export const storeMessageResponseSchema = z.object({ message: chatMessageSchema });

/** GET /me/rooms → every room the caller is a member of, most recent activity first (DMs included; `kind` tells). */
export const myRoomsResponseSchema = z.object({ rooms: z.array(myRoomSchema) });
export type MyRoomsResponse = z.infer<typeof myRoomsResponseSchema>;

/** Cursor paging of lists (browse, members): `limit` items, continue with `cursor=nextCursor`. */
export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.listPageMax).default(LIMITS.listPageDefault),
  cursor: z.string().max(400).optional(),
});

/** GET /rooms?limit&cursor → public rooms, most recent activity first (a sparse index, no Scan). */
export const browseRoomsResponseSchema = z.object({
  rooms: z.array(roomSummarySchema),
  nextCursor: z.string().nullable(),
});
export type BrowseRoomsResponse = z.infer<typeof browseRoomsResponseSchema>;

/** POST /rooms → create. Public: `name` is the slug and id (NAME_TAKEN if it exists). Private: generated id, name display-only. */
export const createRoomRequestSchema = z.object({
  name: z.string(),
  topic: z.string().optional(),
  visibility: z.enum(['public', 'private']),
});
export type CreateRoomRequest = z.infer<typeof createRoomRequestSchema>;
/** POST /rooms (201), PUT /rooms/{roomId}/membership (200), POST /dms (200/201) → the room and the caller's membership. */
export const roomWithMembershipResponseSchema = z.object({
  room: roomSummarySchema,
  membership: membershipSchema.nullable(),
  /** DMs only: the other person. */
  peer: presenceUserSchema.optional(),
});
export type RoomWithMembershipResponse = z.infer<typeof roomWithMembershipResponseSchema>;

/** GET /rooms/{roomId} → room info; `membership` null for a public room the caller has not joined (show "Join"). */
export const roomInfoResponseSchema = roomWithMembershipResponseSchema;
export type RoomInfoResponse = RoomWithMembershipResponse;

/** One member of a room. */
export const memberSchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  role: z.enum(['owner', 'member']),
  joinedAt: z.string(),
});
export type Member = z.infer<typeof memberSchema>;
/** GET /rooms/{roomId}/members?limit&cursor → members sorted by user id (the mention autocomplete reads this). */
export const membersResponseSchema = z.object({ members: z.array(memberSchema), nextCursor: z.string().nullable() });
export type MembersResponse = z.infer<typeof membersResponseSchema>;

/** POST /rooms/{roomId}/members {userId} → adds someone who shares a room with the caller (members only; not DMs). */
export const addMemberRequestSchema = z.object({ userId: z.string().min(1).max(128) });
export const addMemberResponseSchema = z.object({ member: memberSchema });

/** POST /dms {userId} → the one DM of the caller and that person (created on first use; both become members). */
export const openDmRequestSchema = z.object({ userId: z.string().min(1).max(128) });

/** PUT /rooms/{roomId}/read {messageId} → the read position (forward only; an older id leaves it unchanged). */
export const markReadRequestSchema = z.object({ messageId: messageIdSchema });
/** PUT /rooms/{roomId}/mute {muted} → mute or unmute (muted: no bold, no count; mentions still count). */
export const muteRequestSchema = z.object({ muted: z.boolean() });
/** Answer of PUT read / PUT mute: the caller's membership afterwards. */
export const membershipResponseSchema = z.object({ roomId: roomIdSchema, membership: membershipSchema });
export type MembershipResponse = z.infer<typeof membershipResponseSchema>;

/** Every HTTP error body (`retryAfterMs` on 429 RATE_LIMITED, with a `Retry-After` header in seconds). */
export const httpErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    retryAfterMs: z.number().int().nonnegative().optional(),
    /** Error reference: shown in the UI's error text and logged with the error (docs/operations.md). */
    ref: z.string().max(16).optional(),
  }),
});
export type HttpError = z.infer<typeof httpErrorSchema>;
