/**
 * The chat wire protocol, defined once: WebSocket frames in both directions, REST shapes, room id rules,
 * limits and typed error codes. Imported by the browser client, the Lambda handlers and the local
 * gateway, so the three can never disagree. Rooms: one socket per tab carries every room the tab
 * subscribes to; every room frame names its room. Key design and access patterns: docs/rooms.md.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { LIMITS } from './protocol/limits';
import { ErrorCode } from './protocol/error-codes';
import { ROOM_ID_MAX_LENGTH, isRoomId } from './protocol/room-ids';
import { Action } from './protocol/routes';
import { codePoints, isOneEmoji, isVisibleText, looksEmpty } from './protocol/text';

// The zod-free parts (limits, error codes, room id rules, text rules, routes) live in lib/protocol/*.ts so the page
// can import them without a validator; they are re-exported here so every import of lib/protocol keeps working.
export * from './protocol-constants';

// `/*#__PURE__*/` marks each schema's construction as side-effect free, so a bundle keeps only the schemas it uses
// (a handler never parses server frames or REST answers: ~6 KB less per handler, and less work at cold start).
// zod/mini (tree-shakable: a handler bundles only the checks it uses) ships no locale: English is what the full
// build used, and its words reach people (e.g. `Invalid "roomIds": Too big: expected array to have <=100 items`).
z.config(en());

/**
 * Builds a schema in the bundles that use it and nowhere else. esbuild drops an unused call marked pure only when
 * its arguments are side-effect free too, and a property read (`LIMITS.x`, `Action.x`, `ErrorCode.x`, `z.coerce`)
 * might run a getter as far as it knows, so such a schema was built in every bundle that imports this module (a
 * handler's cold start paid ~10 ms of CPU for frames it never parses); a function argument is always side-effect free.
 */
const schema = <T>(build: () => T): T => build();

/** Inputs are trimmed before their rules apply. */
const trim = (s: string) => s.trim();

// ---------------------------------------------------------------- room ids

/** The kind of a room (`RoomKind`). */
export const roomKindSchema = /*#__PURE__*/ z.enum(['public', 'private', 'dm']);

/** Any room id: a public slug, a private `p_…` id or a DM `dm_…_…` id. */
export const roomIdSchema = /*#__PURE__*/ z.string().check(
  /*#__PURE__*/ z.maxLength(ROOM_ID_MAX_LENGTH),
  /*#__PURE__*/ z.refine(isRoomId, { message: 'Room names use 1-40 lowercase letters, digits and inner dashes' }),
);

/**
 * A room name as typed at creation. Public: it IS the id, so it must be a slug (Slack-style; the UI lowercases and
 * turns spaces into dashes before sending). Private: display-only, any 1-40 visible characters of one line.
 */
export const roomNameSchema = /*#__PURE__*/ schema(() => z.pipe(/*#__PURE__*/ z.string(), /*#__PURE__*/ z.transform(trim)).check(
  /*#__PURE__*/ z.refine(isVisibleText, { message: 'Room names cannot contain control or invisible characters' }),
  /*#__PURE__*/ z.refine((s: string) => codePoints(s) >= 1 && codePoints(s) <= LIMITS.roomNameMaxChars, {
    message: `Room names are 1-${LIMITS.roomNameMaxChars} characters`,
  }),
));

/** A room topic: one line, at most `topicMaxChars` characters (empty = no topic). */
export const topicSchema = /*#__PURE__*/ schema(() => z.pipe(/*#__PURE__*/ z.string(), /*#__PURE__*/ z.transform(trim)).check(
  /*#__PURE__*/ z.refine(isVisibleText, { message: 'Topics are one line of visible text' }),
  /*#__PURE__*/ z.refine((s: string) => codePoints(s) <= LIMITS.topicMaxChars, { message: `Topics are limited to ${LIMITS.topicMaxChars} characters` }),
));

// ---------------------------------------------------------------- messages

/** A message body: trimmed, non-empty, at most `bodyMaxChars` code points. */
export const messageBodySchema = /*#__PURE__*/ schema(() => z.pipe(/*#__PURE__*/ z.string(), /*#__PURE__*/ z.transform(trim)).check(
  // Lone UTF-16 surrogates are valid JSON but not text: DynamoDB and other clients would choke on them.
  /*#__PURE__*/ z.refine((s: string) => s.isWellFormed(), { message: 'Messages must be valid Unicode text', params: { code: ErrorCode.BadFrame } }),
  // Only zero-width / invisible characters would be an empty-looking message.
  /*#__PURE__*/ z.refine((s: string) => !looksEmpty(s), {
    message: 'Type something before sending',
    params: { code: ErrorCode.EmptyBody },
  }),
  /*#__PURE__*/ z.refine((s: string) => codePoints(s) <= LIMITS.bodyMaxChars, {
    message: `Messages are limited to ${LIMITS.bodyMaxChars} characters`,
    params: { code: ErrorCode.BodyTooLong },
  }),
));

/** Client-chosen id that lets a retried send be recognised. */
export const clientMessageIdSchema = /*#__PURE__*/ z.string().check(/*#__PURE__*/ z.regex(/^[A-Za-z0-9_-]{8,64}$/));

/** A message id: a ULID (sorts by time). */
export const messageIdSchema = /*#__PURE__*/ z.string().check(/*#__PURE__*/ z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a message id'));

/** One emoji on a message: who reacted (user ids, in the order they reacted is NOT kept: sorted), count = userIds.length. */
export const reactionSchema = /*#__PURE__*/ z.object({
  emoji: /*#__PURE__*/ z.string(),
  userIds: /*#__PURE__*/ z.array(/*#__PURE__*/ z.string()),
});
export type Reaction = z.infer<typeof reactionSchema>;

/**
 * What a reply shows of the message it quotes. Derived when read (history, changes, live frames) from the quoted
 * message as it is NOW — never stored on the reply — so an edit shows up and a delete leaves no text behind.
 */
export const replyQuoteSchema = /*#__PURE__*/ z.object({
  messageId: /*#__PURE__*/ z.string(),
  /** Absent when the quoted message is deleted (or gone). */
  authorId: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string()),
  authorName: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string()),
  /** The quoted body cut to `LIMITS.replySnippetMaxChars` code points; '' when deleted. */
  snippet: /*#__PURE__*/ z.string(),
  deleted: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.boolean()),
});
export type ReplyQuote = z.infer<typeof replyQuoteSchema>;

/** A stored chat message as every client sees it. */
export const chatMessageSchema = /*#__PURE__*/ z.object({
  roomId: roomIdSchema,
  messageId: /*#__PURE__*/ z.string(),
  authorId: /*#__PURE__*/ z.string(),
  authorName: /*#__PURE__*/ z.string(),
  /** '' once deleted (the text is removed from storage, not hidden). */
  body: /*#__PURE__*/ z.string(),
  createdAt: /*#__PURE__*/ z.string(),
  clientMessageId: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string()),
  /** User ids mentioned in the body (`<@id>` tokens), derived by the server; absent when none. */
  mentions: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.array(/*#__PURE__*/ z.string())),
  /** Revision: 0/absent as sent, +1 per edit, delete or reaction change. Clients keep the copy with the higher rev. */
  rev: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.number().check(/*#__PURE__*/ z.int(), /*#__PURE__*/ z.nonnegative())),
  /** Set by the last edit (the UI shows "(edited)"). */
  editedAt: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string()),
  /** Set by delete (the UI shows "This message was deleted"); body, mentions and reactions are gone. */
  deletedAt: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string()),
  /** Reactions, emoji sorted by first appearance is not kept: sorted by emoji; absent when none. */
  reactions: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.array(reactionSchema)),
  /** The message this one replies to (same room), with its snippet as it is now. */
  replyTo: /*#__PURE__*/ z.optional(replyQuoteSchema),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/**
 * One emoji, as a reaction: a single grapheme made only of emoji code points (pictographs, regional-indicator
 * flags, keycaps, ZWJ sequences, skin tones, tags), at most `LIMITS.emojiMaxLength` UTF-16 units. Structural rather
 * than a fixed list so emoji newer than the server's Unicode tables (the picker ships Emoji 17) still work.
 */
export const emojiSchema = /*#__PURE__*/ schema(() => z.string().check(
  /*#__PURE__*/ z.minLength(1),
  /*#__PURE__*/ z.maxLength(LIMITS.emojiMaxLength),
  /*#__PURE__*/ z.refine(isOneEmoji, { message: 'Reactions are a single emoji', params: { code: ErrorCode.BadEmoji } }),
));

// ---------------------------------------------------------------- rooms (REST and frames share these)

/** A room as lists show it. `name` is display-only for private rooms and DMs (for a DM: the other person's name). */
export const roomSummarySchema = /*#__PURE__*/ z.object({
  roomId: roomIdSchema,
  kind: roomKindSchema,
  name: /*#__PURE__*/ z.string(),
  topic: /*#__PURE__*/ z.string(),
  memberCount: /*#__PURE__*/ z.number().check(/*#__PURE__*/ z.int(), /*#__PURE__*/ z.nonnegative()),
  createdAt: /*#__PURE__*/ z.string(),
  /** Time of the last message (or of creation when there is none yet); ISO-8601. */
  lastActivityAt: /*#__PURE__*/ z.string(),
});
export type RoomSummary = z.infer<typeof roomSummarySchema>;

/** The caller's own state in a room. */
export const membershipSchema = /*#__PURE__*/ z.object({
  role: /*#__PURE__*/ z.enum(['owner', 'member']),
  joinedAt: /*#__PURE__*/ z.string(),
  /** The newest message the caller has read; null = nothing read yet. */
  lastReadMessageId: /*#__PURE__*/ z.nullable(/*#__PURE__*/ z.string()),
  muted: /*#__PURE__*/ z.boolean(),
});
export type Membership = z.infer<typeof membershipSchema>;

/** One person (presence, members, DM peer). */
export const presenceUserSchema = /*#__PURE__*/ z.object({ userId: /*#__PURE__*/ z.string(), displayName: /*#__PURE__*/ z.string() });
export type PresenceUser = z.infer<typeof presenceUserSchema>;

/** The last message of a room as a sidebar shows it (derived at read time, so an edited/deleted message never lingers). */
export const messagePreviewSchema = /*#__PURE__*/ z.object({
  messageId: /*#__PURE__*/ z.string(),
  authorId: /*#__PURE__*/ z.string(),
  authorName: /*#__PURE__*/ z.string(),
  /** The body, cut to `PREVIEW_MAX_CHARS` code points (mention tokens left in for the client to render); '' once deleted. */
  body: /*#__PURE__*/ z.string(),
  createdAt: /*#__PURE__*/ z.string(),
  /** The last message was deleted: show "This message was deleted". */
  deleted: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.boolean()),
});
export type MessagePreview = z.infer<typeof messagePreviewSchema>;

/** One entry of "my rooms". */
export const myRoomSchema = /*#__PURE__*/ z.object({
  room: roomSummarySchema,
  membership: membershipSchema,
  /** Messages after `lastReadMessageId`, exact up to `LIMITS.unreadCountCap`; `unreadCountCap + 1` means "99+". */
  unread: /*#__PURE__*/ z.number().check(/*#__PURE__*/ z.int(), /*#__PURE__*/ z.nonnegative()),
  /** Of those, messages that mention the caller (same cap). */
  mentions: /*#__PURE__*/ z.number().check(/*#__PURE__*/ z.int(), /*#__PURE__*/ z.nonnegative()),
  lastMessage: /*#__PURE__*/ z.nullable(messagePreviewSchema),
  /** DMs only: the other person. */
  peer: /*#__PURE__*/ z.optional(presenceUserSchema),
});
export type MyRoom = z.infer<typeof myRoomSchema>;

// ---------------------------------------------------------------- client → server frames

/** Client-chosen id echoed on the error frame of an edit/delete/react, so the client can match the refusal. */
export const requestIdSchema = /*#__PURE__*/ z.string().check(/*#__PURE__*/ z.regex(/^[A-Za-z0-9_-]{8,64}$/));

/**
 * Each client frame's schema, by its action. A server parses one frame per call and builds only the schema that
 * frame names (`clientFrameSchemaOf`, memoized): building all ten at a cold start cost ws-message ~7 ms of CPU for
 * frames a call never sees. Every frame's named schema below and `clientFrameSchema` are built from these too.
 */
const CLIENT_FRAMES = {
  /**
   * Sends a message to a room. Sending in a public room one is not a member of joins it. `replyToMessageId` quotes a
   * message of the SAME room (MESSAGE_NOT_FOUND / MESSAGE_DELETED otherwise, nothing stored).
   */
  sendMessage: () =>
    z.object({
      action: /*#__PURE__*/ z.literal(Action.SendMessage),
      roomId: /*#__PURE__*/ z.string(),
      body: /*#__PURE__*/ z.string(),
      clientMessageId: /*#__PURE__*/ z.optional(clientMessageIdSchema),
      replyToMessageId: /*#__PURE__*/ z.optional(messageIdSchema),
    }),
  ping: () => z.object({ action: /*#__PURE__*/ z.literal(Action.Ping) }),
  /**
   * Asks for one page of a room's presence (who has a live socket subscribed to it), answered with `presenceList`
   * to the asker only. Pass the previous page's `nextCursor` to continue.
   */
  presence: () =>
    z.object({
      action: /*#__PURE__*/ z.literal(Action.Presence),
      roomId: /*#__PURE__*/ z.string(),
      cursor: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string().check(/*#__PURE__*/ z.maxLength(200))),
    }),
  /**
   * Starts live frames (messages, presence deltas, typing) for these rooms on this socket: members for any room,
   * anyone for a public room (preview). Answered with one `subscribed` frame. Subscriptions live as long as the socket.
   */
  subscribe: () =>
    z.object({
      action: /*#__PURE__*/ z.literal(Action.Subscribe),
      roomIds: /*#__PURE__*/ z.array(/*#__PURE__*/ z.string()).check(/*#__PURE__*/ z.minLength(1), /*#__PURE__*/ z.maxLength(LIMITS.subscribeMaxRooms)),
    }),
  /** Stops live frames for these rooms on this socket. Answered with `unsubscribed`. */
  unsubscribe: () =>
    z.object({
      action: /*#__PURE__*/ z.literal(Action.Unsubscribe),
      roomIds: /*#__PURE__*/ z.array(/*#__PURE__*/ z.string()).check(/*#__PURE__*/ z.minLength(1), /*#__PURE__*/ z.maxLength(LIMITS.subscribeMaxRooms)),
    }),
  /** Moves the caller's read position in a room forward (never back) and syncs it to their other sockets (`readState`). */
  markRead: () =>
    z.object({
      action: /*#__PURE__*/ z.literal(Action.MarkRead),
      roomId: /*#__PURE__*/ z.string(),
      messageId: messageIdSchema,
    }),
  /** "I am typing" in a room (members only; sent at most every `LIMITS.typingIntervalMs`). */
  typing: () => z.object({ action: /*#__PURE__*/ z.literal(Action.Typing), roomId: /*#__PURE__*/ z.string() }),
  /**
   * Replaces the body of one's OWN message (FORBIDDEN for anyone else's, WINDOW_CLOSED after `MESSAGE_WINDOWS.editMs`,
   * MESSAGE_DELETED once deleted). Everyone subscribed gets `messageChanged` (the editor too: that is the answer).
   */
  editMessage: () =>
    z.object({
      action: /*#__PURE__*/ z.literal(Action.EditMessage),
      roomId: /*#__PURE__*/ z.string(),
      messageId: messageIdSchema,
      body: /*#__PURE__*/ z.string(),
      requestId: /*#__PURE__*/ z.optional(requestIdSchema),
    }),
  /**
   * Deletes one's OWN message: body, mentions and reactions are removed from storage (and its send receipt scrubbed);
   * a placeholder stays. Deleting an already deleted message is a no-op answered with its current state.
   */
  deleteMessage: () =>
    z.object({
      action: /*#__PURE__*/ z.literal(Action.DeleteMessage),
      roomId: /*#__PURE__*/ z.string(),
      messageId: messageIdSchema,
      requestId: /*#__PURE__*/ z.optional(requestIdSchema),
    }),
  /**
   * Sets or unsets the caller's reaction `emoji` on a message: idempotent (set twice = set once; unset of nothing =
   * nothing), never a toggle, so retries and duplicate delivery cannot flip it. Members only.
   */
  react: () =>
    z.object({
      action: /*#__PURE__*/ z.literal(Action.React),
      roomId: /*#__PURE__*/ z.string(),
      messageId: messageIdSchema,
      emoji: /*#__PURE__*/ z.string().check(/*#__PURE__*/ z.maxLength(64)),
      op: /*#__PURE__*/ z.enum(['set', 'unset']),
      requestId: /*#__PURE__*/ z.optional(requestIdSchema),
    }),
} satisfies { [A in (typeof Action)[keyof typeof Action]]: () => z.ZodMiniObject<{ action: z.ZodMiniLiteral<A> }> };

/** A client frame's `action` (a WebSocket route key). */
export type ClientAction = keyof typeof CLIENT_FRAMES;
/** The schema of the client frame with action `A`. */
export type ClientFrameSchema<A extends ClientAction> = ReturnType<(typeof CLIENT_FRAMES)[A]>;
const builtClientFrames: { [A in ClientAction]?: z.ZodMiniType } = {};

/** The schema of the frame with `action`, built the first time it is asked for (the same object every time). */
export function clientFrameSchemaOf<A extends ClientAction>(action: A): ClientFrameSchema<A> {
  return (builtClientFrames[action] ??= CLIENT_FRAMES[action]()) as ClientFrameSchema<A>;
}

export const sendMessageFrameSchema = /*#__PURE__*/ schema(() => clientFrameSchemaOf('sendMessage'));
export const pingFrameSchema = /*#__PURE__*/ schema(() => clientFrameSchemaOf('ping'));
export const presenceRequestFrameSchema = /*#__PURE__*/ schema(() => clientFrameSchemaOf('presence'));
export const subscribeFrameSchema = /*#__PURE__*/ schema(() => clientFrameSchemaOf('subscribe'));
export const unsubscribeFrameSchema = /*#__PURE__*/ schema(() => clientFrameSchemaOf('unsubscribe'));
export const markReadFrameSchema = /*#__PURE__*/ schema(() => clientFrameSchemaOf('markRead'));
export const typingFrameSchema = /*#__PURE__*/ schema(() => clientFrameSchemaOf('typing'));
export const editMessageFrameSchema = /*#__PURE__*/ schema(() => clientFrameSchemaOf('editMessage'));
export const deleteMessageFrameSchema = /*#__PURE__*/ schema(() => clientFrameSchemaOf('deleteMessage'));
export const reactFrameSchema = /*#__PURE__*/ schema(() => clientFrameSchemaOf('react'));

export const clientFrameSchema = /*#__PURE__*/ z.discriminatedUnion('action', [
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
export const messageFrameSchema = /*#__PURE__*/ z.object({ type: /*#__PURE__*/ z.literal('message'), message: chatMessageSchema });
export const ackFrameSchema = /*#__PURE__*/ z.object({
  type: /*#__PURE__*/ z.literal('ack'),
  clientMessageId: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string()),
  message: chatMessageSchema,
});
export const pongFrameSchema = /*#__PURE__*/ z.object({ type: /*#__PURE__*/ z.literal('pong') });
export const errorFrameSchema = /*#__PURE__*/ z.object({
  type: /*#__PURE__*/ z.literal('error'),
  code: /*#__PURE__*/ z.string(),
  message: /*#__PURE__*/ z.string(),
  clientMessageId: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string()),
  /** The room the failed frame named, when it named one. */
  roomId: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string()),
  /** RATE_LIMITED only: wait at least this long before sending again. */
  retryAfterMs: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.number().check(/*#__PURE__*/ z.int(), /*#__PURE__*/ z.nonnegative())),
  /** The `requestId` of the edit/delete/react frame that failed. */
  requestId: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string()),
  /** The message an edit/delete/react/reply named. */
  messageId: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string()),
  /** Error reference: shown in the UI's error text and logged with the error (docs/operations.md). */
  ref: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string().check(/*#__PURE__*/ z.maxLength(16))),
});
/**
 * A presence DELTA in a subscribed room: `user` got their first live socket subscribed to it (`joined`) or lost
 * their last one (`left`). Apply to the list from `presenceList`.
 */
export const presenceDeltaFrameSchema = /*#__PURE__*/ z.object({
  type: /*#__PURE__*/ z.literal('presenceDelta'),
  roomId: roomIdSchema,
  joined: /*#__PURE__*/ z.array(presenceUserSchema),
  left: /*#__PURE__*/ z.array(presenceUserSchema),
});
export type PresenceDeltaFrame = z.infer<typeof presenceDeltaFrameSchema>;
/** One page of a room's presence, sorted by user id within the page; merge pages by userId. */
export const presenceListFrameSchema = /*#__PURE__*/ z.object({
  type: /*#__PURE__*/ z.literal('presenceList'),
  roomId: roomIdSchema,
  users: /*#__PURE__*/ z.array(presenceUserSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: /*#__PURE__*/ z.nullable(/*#__PURE__*/ z.string()),
});
export type PresenceListFrame = z.infer<typeof presenceListFrameSchema>;
/** Answer to `subscribe`: rooms now live on this socket, and the refused ones (NOT_FOUND for missing or private-not-member). */
export const subscribedFrameSchema = /*#__PURE__*/ z.object({
  type: /*#__PURE__*/ z.literal('subscribed'),
  roomIds: /*#__PURE__*/ z.array(roomIdSchema),
  refused: /*#__PURE__*/ z.array(/*#__PURE__*/ z.object({ roomId: /*#__PURE__*/ z.string(), code: /*#__PURE__*/ z.string(), message: /*#__PURE__*/ z.string() })),
});
export const unsubscribedFrameSchema = /*#__PURE__*/ z.object({ type: /*#__PURE__*/ z.literal('unsubscribed'), roomIds: /*#__PURE__*/ z.array(/*#__PURE__*/ z.string()) });
/** The user's read position in a room changed (from any of their tabs/devices, or HTTP). Sent to all their sockets. */
export const readStateFrameSchema = /*#__PURE__*/ z.object({
  type: /*#__PURE__*/ z.literal('readState'),
  roomId: roomIdSchema,
  lastReadMessageId: /*#__PURE__*/ z.nullable(/*#__PURE__*/ z.string()),
  muted: /*#__PURE__*/ z.boolean(),
});
export type ReadStateFrame = z.infer<typeof readStateFrameSchema>;
/**
 * The user's membership changed (sent to all their sockets): `added` (by someone else, by creating, joining or a
 * new DM — `room` is set; subscribe to it) or `removed` (removed by a member or left in another tab — the server
 * has already stopped the room's frames on every socket of the user).
 */
export const membershipFrameSchema = /*#__PURE__*/ z.object({
  type: /*#__PURE__*/ z.literal('membership'),
  roomId: roomIdSchema,
  change: /*#__PURE__*/ z.enum(['added', 'removed']),
  room: /*#__PURE__*/ z.optional(roomSummarySchema),
});
export type MembershipFrame = z.infer<typeof membershipFrameSchema>;
/** Someone (never the receiver) is typing in a subscribed room; show it for ~`2 × LIMITS.typingIntervalMs`. */
export const typingEventFrameSchema = /*#__PURE__*/ z.object({ type: /*#__PURE__*/ z.literal('typing'), roomId: roomIdSchema, user: presenceUserSchema });

/** What kind of change a `messageChanged` frame records (and a changes entry, see `changeEntryKindSchema`). */
const CHANGE_KINDS = ['edited', 'deleted', 'reaction'] as const;
export const changeKindSchema = /*#__PURE__*/ z.enum(CHANGE_KINDS);
export type ChangeKind = z.infer<typeof changeKindSchema>;
/**
 * What a changes entry records: a change, or `stored` — a message stored (or re-stored by a retry) more than
 * `LIMITS.lateStoreMs` after its id's time. A read-back by time (newest held minus the gap-fill overlap) could
 * miss such a message, so it is also in the change order; a client adds it if its log's range should hold it.
 * Never a `messageChanged` frame: the room gets the usual `message` frame.
 */
export const changeEntryKindSchema = /*#__PURE__*/ z.enum([...CHANGE_KINDS, 'stored']);
export type ChangeEntryKind = z.infer<typeof changeEntryKindSchema>;

/**
 * A stored message changed (edit, delete, reaction set/unset), sent to the room's subscribers. `message` is its
 * whole state AFTER the change (carry ids and current state, never old text); `seq` is the room's change order
 * (1, 2, 3, … per room): remember the highest seen and fetch `GET /rooms/{id}/changes?since=` after a reconnect.
 * Apply only when `message.rev` is higher than the copy held (frames can arrive out of order or twice).
 */
export const messageChangedFrameSchema = /*#__PURE__*/ z.object({
  type: /*#__PURE__*/ z.literal('messageChanged'),
  roomId: roomIdSchema,
  /** Absent only on the actor's answer to a repeat that changed nothing (set twice): keep your `since` as it is. */
  seq: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.number().check(/*#__PURE__*/ z.int(), /*#__PURE__*/ z.positive())),
  change: changeKindSchema,
  message: chatMessageSchema,
  /** The `requestId` of the frame that made the change (the actor's own answer). */
  requestId: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string()),
});
export type MessageChangedFrame = z.infer<typeof messageChangedFrameSchema>;

export const serverFrameSchema = /*#__PURE__*/ z.discriminatedUnion('type', [
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
export const ticketResponseSchema = /*#__PURE__*/ z.object({ ticket: /*#__PURE__*/ z.string(), expiresAt: /*#__PURE__*/ z.string() });
export type TicketResponse = z.infer<typeof ticketResponseSchema>;

const cursorId = (name: string) => /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string().check(/*#__PURE__*/ z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, `${name} must be a message id`)));

/**
 * GET /rooms/{roomId}/messages?limit&before&after → newest first. `after` (exclusive) fetches only what a cached
 * room is missing: page with `before=nextBefore` keeping `after` until `nextBefore` is null.
 * `around=<messageId>` (alone) → the message's neighbourhood: it, up to ⌊limit/2⌋ older and the rest newer
 * (MESSAGE_NOT_FOUND when it is not in this room); continue older with `before=nextBefore`, newer with
 * `from=nextAfter`. `from=<messageId>` (alone) → the `limit` messages just NEWER than it (exclusive), still newest
 * first; `nextAfter` continues towards the present (null = reached the newest).
 * Public rooms: anyone signed in; private rooms and DMs: members only (else NOT_FOUND).
 */
const historyQueryShape = /*#__PURE__*/ schema(() => z.object({
  limit: /*#__PURE__*/ z._default(/*#__PURE__*/ z.coerce.number().check(/*#__PURE__*/ z.int(), /*#__PURE__*/ z.minimum(1), /*#__PURE__*/ z.maximum(LIMITS.historyMaxLimit)), LIMITS.historyDefaultLimit),
  before: /*#__PURE__*/ cursorId('before'),
  after: /*#__PURE__*/ cursorId('after'),
  around: /*#__PURE__*/ cursorId('around'),
  from: /*#__PURE__*/ cursorId('from'),
}));
export const historyQuerySchema = /*#__PURE__*/ historyQueryShape.check(
  /*#__PURE__*/ z.refine((q: z.infer<typeof historyQueryShape>) => !(q.around || q.from) || (!q.before && !q.after && !(q.around && q.from)), {
    message: '`around` and `from` cannot be combined with each other or with `before`/`after`',
  }),
);
export type HistoryQuery = z.infer<typeof historyQuerySchema>;
export const historyResponseSchema = /*#__PURE__*/ z.object({
  messages: /*#__PURE__*/ z.array(chatMessageSchema),
  /** Pass as `before` to get the next (older) page; null when there is none. */
  nextBefore: /*#__PURE__*/ z.nullable(/*#__PURE__*/ z.string()),
  /** `around` / `from` only: pass as `from` to get the next NEWER page; null when these are the newest. */
  nextAfter: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.nullable(/*#__PURE__*/ z.string())),
  /**
   * The room's change order when this page was read: start `GET /rooms/{id}/changes?since=` from here (every
   * edit/delete/reaction after it has a higher seq). Present on every answer of the real server.
   */
  changeSeq: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.number().check(/*#__PURE__*/ z.int(), /*#__PURE__*/ z.nonnegative())),
});
export type HistoryResponse = z.infer<typeof historyResponseSchema>;

/** POST /rooms/{roomId}/messages — for clients without a socket (same rules as the `sendMessage` frame). */
export const storeMessageRequestSchema = /*#__PURE__*/ z.object({
  body: /*#__PURE__*/ z.string(),
  clientMessageId: /*#__PURE__*/ z.optional(clientMessageIdSchema),
  replyToMessageId: /*#__PURE__*/ z.optional(messageIdSchema),
});

/**
 * GET /rooms/{roomId}/changes?since=N&limit → the messages changed (edited, deleted, reactions) or stored late after
 * change `since` in this room, oldest change first, each as its CURRENT state (so several changes of one message come once).
 * Reconnect recipe: subscribe first, then fetch since the highest `seq` held, page while `hasMore`; apply each
 * message when its `rev` is higher than the held copy. Same access rules as history. Change entries hold ids only
 * and are kept (no expiry), so any `since` works.
 */
export const changesQuerySchema = /*#__PURE__*/ schema(() => z.object({
  /** The highest `seq` already applied; 0 (the default) = from the room's first change. */
  since: /*#__PURE__*/ z._default(/*#__PURE__*/ z.coerce.number().check(/*#__PURE__*/ z.int(), /*#__PURE__*/ z.nonnegative()), 0),
  limit: /*#__PURE__*/ z._default(/*#__PURE__*/ z.coerce.number().check(/*#__PURE__*/ z.int(), /*#__PURE__*/ z.minimum(1), /*#__PURE__*/ z.maximum(LIMITS.changesPageMax)), LIMITS.changesPageDefault),
}));
export const changesResponseSchema = /*#__PURE__*/ z.object({
  changes: /*#__PURE__*/ z.array(/*#__PURE__*/ z.object({ seq: /*#__PURE__*/ z.number().check(/*#__PURE__*/ z.int(), /*#__PURE__*/ z.positive()), change: changeEntryKindSchema, message: chatMessageSchema })),
  /** The highest seq covered by this answer: pass as `since` next time. */
  nextSince: /*#__PURE__*/ z.number().check(/*#__PURE__*/ z.int(), /*#__PURE__*/ z.nonnegative()),
  /** More changes after `nextSince` right now: fetch again. */
  hasMore: /*#__PURE__*/ z.boolean(),
});
export type ChangesResponse = z.infer<typeof changesResponseSchema>;
export const storeMessageResponseSchema = /*#__PURE__*/ z.object({ message: chatMessageSchema });

/** GET /me/rooms → every room the caller is a member of, most recent activity first (DMs included; `kind` tells). */
export const myRoomsResponseSchema = /*#__PURE__*/ z.object({ rooms: /*#__PURE__*/ z.array(myRoomSchema) });
export type MyRoomsResponse = z.infer<typeof myRoomsResponseSchema>;

/** Cursor paging of lists (browse, members): `limit` items, continue with `cursor=nextCursor`. */
export const listQuerySchema = /*#__PURE__*/ schema(() => z.object({
  limit: /*#__PURE__*/ z._default(/*#__PURE__*/ z.coerce.number().check(/*#__PURE__*/ z.int(), /*#__PURE__*/ z.minimum(1), /*#__PURE__*/ z.maximum(LIMITS.listPageMax)), LIMITS.listPageDefault),
  cursor: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string().check(/*#__PURE__*/ z.maxLength(400))),
}));

/** GET /rooms?limit&cursor → public rooms, most recent activity first (a sparse index, no Scan). */
export const browseRoomsResponseSchema = /*#__PURE__*/ z.object({
  rooms: /*#__PURE__*/ z.array(roomSummarySchema),
  nextCursor: /*#__PURE__*/ z.nullable(/*#__PURE__*/ z.string()),
});
export type BrowseRoomsResponse = z.infer<typeof browseRoomsResponseSchema>;

/** POST /rooms → create. Public: `name` is the slug and id (NAME_TAKEN if it exists). Private: generated id, name display-only. */
export const createRoomRequestSchema = /*#__PURE__*/ z.object({
  name: /*#__PURE__*/ z.string(),
  topic: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string()),
  visibility: /*#__PURE__*/ z.enum(['public', 'private']),
});
export type CreateRoomRequest = z.infer<typeof createRoomRequestSchema>;
/** POST /rooms (201), PUT /rooms/{roomId}/membership (200), POST /dms (200/201) → the room and the caller's membership. */
export const roomWithMembershipResponseSchema = /*#__PURE__*/ z.object({
  room: roomSummarySchema,
  membership: /*#__PURE__*/ z.nullable(membershipSchema),
  /** DMs only: the other person. */
  peer: /*#__PURE__*/ z.optional(presenceUserSchema),
});
export type RoomWithMembershipResponse = z.infer<typeof roomWithMembershipResponseSchema>;

/** GET /rooms/{roomId} → room info; `membership` null for a public room the caller has not joined (show "Join"). */
export const roomInfoResponseSchema = roomWithMembershipResponseSchema;
export type RoomInfoResponse = RoomWithMembershipResponse;

/** One member of a room. */
export const memberSchema = /*#__PURE__*/ z.object({
  userId: /*#__PURE__*/ z.string(),
  displayName: /*#__PURE__*/ z.string(),
  role: /*#__PURE__*/ z.enum(['owner', 'member']),
  joinedAt: /*#__PURE__*/ z.string(),
});
export type Member = z.infer<typeof memberSchema>;
/** GET /rooms/{roomId}/members?limit&cursor → members sorted by user id (the mention autocomplete reads this). */
export const membersResponseSchema = /*#__PURE__*/ z.object({ members: /*#__PURE__*/ z.array(memberSchema), nextCursor: /*#__PURE__*/ z.nullable(/*#__PURE__*/ z.string()) });
export type MembersResponse = z.infer<typeof membersResponseSchema>;

/** POST /rooms/{roomId}/members {userId} → adds someone who shares a room with the caller (members only; not DMs). */
export const addMemberRequestSchema = /*#__PURE__*/ z.object({ userId: /*#__PURE__*/ z.string().check(/*#__PURE__*/ z.minLength(1), /*#__PURE__*/ z.maxLength(128)) });
export const addMemberResponseSchema = /*#__PURE__*/ z.object({ member: memberSchema });

/** POST /dms {userId} → the one DM of the caller and that person (created on first use; both become members). */
export const openDmRequestSchema = /*#__PURE__*/ z.object({ userId: /*#__PURE__*/ z.string().check(/*#__PURE__*/ z.minLength(1), /*#__PURE__*/ z.maxLength(128)) });

/** PUT /rooms/{roomId}/read {messageId} → the read position (forward only; an older id leaves it unchanged). */
export const markReadRequestSchema = /*#__PURE__*/ z.object({ messageId: messageIdSchema });
/** PUT /rooms/{roomId}/mute {muted} → mute or unmute (muted: no bold, no count; mentions still count). */
export const muteRequestSchema = /*#__PURE__*/ z.object({ muted: /*#__PURE__*/ z.boolean() });
/** Answer of PUT read / PUT mute: the caller's membership afterwards. */
export const membershipResponseSchema = /*#__PURE__*/ z.object({ roomId: roomIdSchema, membership: membershipSchema });
export type MembershipResponse = z.infer<typeof membershipResponseSchema>;

/** Every HTTP error body (`retryAfterMs` on 429 RATE_LIMITED, with a `Retry-After` header in seconds). */
export const httpErrorSchema = /*#__PURE__*/ z.object({
  error: /*#__PURE__*/ z.object({
    code: /*#__PURE__*/ z.string(),
    message: /*#__PURE__*/ z.string(),
    retryAfterMs: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.number().check(/*#__PURE__*/ z.int(), /*#__PURE__*/ z.nonnegative())),
    /** Error reference: shown in the UI's error text and logged with the error (docs/operations.md). */
    ref: /*#__PURE__*/ z.optional(/*#__PURE__*/ z.string().check(/*#__PURE__*/ z.maxLength(16))),
  }),
});
export type HttpError = z.infer<typeof httpErrorSchema>;
