/**
 * Every DynamoDB key pattern, defined once. The CDK stack builds its tables from these definitions
 * and the local stack creates the very same tables in dynalite, so the two cannot drift.
 */

/** One key attribute (all keys here are strings). */
export interface KeyAttribute {
  readonly name: string;
}

/** A global secondary index. */
export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** Non-key attributes copied into the index (INCLUDE projection). */
  readonly nonKeyAttributes: readonly string[];
}

/** A table's keys, indexes and TTL attribute, plus the env var its name is passed in. */
export interface TableDefinition {
  readonly id: string;
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly ttlAttribute?: string;
  readonly indexes: readonly IndexDefinition[];
}

/** Messages of a room, newest last by ULID: PK roomId, SK messageId. */
export const MESSAGES_TABLE = {
  id: 'Messages',
  envVar: 'MESSAGES_TABLE',
  partitionKey: { name: 'roomId' },
  sortKey: { name: 'messageId' },
  indexes: [],
} as const satisfies TableDefinition;

/**
 * Open sockets: PK connectionId; liveness (`expiresAt`, pushed out by each heartbeat) lives here only, so a ping is
 * one write however many rooms the socket carries. `byRoom` is LEGACY (one room per socket, before rooms): nothing
 * writes `roomId` any more, so the index is empty; it stays so this deploy changes no index of an existing table.
 */
export const CONNECTIONS_TABLE = {
  id: 'Connections',
  envVar: 'CONNECTIONS_TABLE',
  partitionKey: { name: 'connectionId' },
  ttlAttribute: 'expiresAt',
  indexes: [
    {
      indexName: 'byRoom',
      partitionKey: { name: 'roomId' },
      sortKey: { name: 'connectionId' },
      // What fan-out and presence read: liveness, and who (name included, so presence needs no extra reads).
      nonKeyAttributes: ['expiresAt', 'userId', 'displayName'],
    },
  ],
} as const satisfies TableDefinition;

/** One-time WebSocket tickets, stored by SHA-256 hash only. */
export const TICKETS_TABLE = {
  id: 'Tickets',
  envVar: 'TICKETS_TABLE',
  partitionKey: { name: 'ticketHash' },
  ttlAttribute: 'expiresAt',
  indexes: [],
} as const satisfies TableDefinition;

/**
 * Idempotent-send receipts: PK `receiptKey` = `${userId}#${clientMessageId}`, holding the whole message
 * that id stands for. Written (conditionally) before the message itself, so a retry always finds it.
 */
export const SEND_RECEIPTS_TABLE = {
  id: 'SendReceipts',
  envVar: 'SEND_RECEIPTS_TABLE',
  partitionKey: { name: 'receiptKey' },
  ttlAttribute: 'expiresAt',
  indexes: [],
} as const satisfies TableDefinition;

/** Per-user send counters: PK `limitKey` = `${userId}#${windowStart}`, one item per fixed window. */
export const RATE_LIMITS_TABLE = {
  id: 'RateLimits',
  envVar: 'RATE_LIMITS_TABLE',
  partitionKey: { name: 'limitKey' },
  ttlAttribute: 'expiresAt',
  indexes: [],
} as const satisfies TableDefinition;

/**
 * Rooms: PK roomId. `byActivity` is SPARSE: only public rooms carry `browse` (= BROWSE_PUBLIC), so Browse is one
 * Query of that partition ordered by `lastActivityAt` — no Scan, and private rooms / DMs are never in it.
 */
export const ROOMS_TABLE = {
  id: 'Rooms',
  envVar: 'ROOMS_TABLE',
  partitionKey: { name: 'roomId' },
  indexes: [
    {
      indexName: 'byActivity',
      partitionKey: { name: 'browse' },
      sortKey: { name: 'lastActivityAt' },
      nonKeyAttributes: ['kind', 'name', 'topic', 'memberCount', 'createdAt'],
    },
  ],
} as const satisfies TableDefinition;

/** The `browse` value of every public room (the sparse index's one partition). */
export const BROWSE_PUBLIC = 'public';

/**
 * Memberships: PK roomId, SK userId (members of a room, authorization = one GetItem); `byUser` lists a user's rooms
 * with what "my rooms" needs, without touching each room.
 */
export const MEMBERSHIPS_TABLE = {
  id: 'Memberships',
  envVar: 'MEMBERSHIPS_TABLE',
  partitionKey: { name: 'roomId' },
  sortKey: { name: 'userId' },
  indexes: [
    {
      indexName: 'byUser',
      partitionKey: { name: 'userId' },
      sortKey: { name: 'roomId' },
      nonKeyAttributes: ['role', 'joinedAt', 'lastReadMessageId', 'muted', 'kind', 'displayName'],
    },
  ],
} as const satisfies TableDefinition;

/**
 * Subscriptions: which socket receives which room. PK roomId, SK connectionId: a room's fan-out is one Query per
 * page. `byUser` (PK userId, SK roomId) finds a user's sockets (readState / membership frames, removal, presence
 * deltas). Rows go on unsubscribe, $disconnect and 410; TTL (2 h 10 min: API Gateway closes every socket within 2 h)
 * is the backstop.
 */
export const SUBSCRIPTIONS_TABLE = {
  id: 'Subscriptions',
  envVar: 'SUBSCRIPTIONS_TABLE',
  partitionKey: { name: 'roomId' },
  sortKey: { name: 'connectionId' },
  ttlAttribute: 'expiresAt',
  indexes: [
    {
      indexName: 'byUser',
      partitionKey: { name: 'userId' },
      sortKey: { name: 'roomId' },
      nonKeyAttributes: ['displayName', 'expiresAt'],
    },
  ],
} as const satisfies TableDefinition;

/**
 * MessageChanges: the per-room change order (docs/messages.md). PK roomId, SK `seq` (zero-padded so string order =
 * number order). Entries `{seq, messageId, change, at}` carry ids only, never text; the item with SK
 * `CHANGE_COUNTER_SEQ` holds the room's counter (`last`), which sorts before every entry and is never returned by
 * `seq > :since`. New table: no existing table is re-keyed.
 */
export const MESSAGE_CHANGES_TABLE = {
  id: 'MessageChanges',
  envVar: 'MESSAGE_CHANGES_TABLE',
  partitionKey: { name: 'roomId' },
  sortKey: { name: 'seq' },
  indexes: [],
} as const satisfies TableDefinition;

/**
 * Mentions: a small index written with the message, one item per mentioned member (at most
 * `LIMITS.mentionsMaxPerMessage`; never the author). PK `mentionKey` = `${roomId}#${userId}`, SK messageId (ULID), so
 * "mentions of me after my read position" is one exact COUNT Query however many messages are unread. Edit and delete
 * keep it in step (items of names no longer mentioned are deleted). New table: no existing table is re-keyed.
 */
export const MENTIONS_TABLE = {
  id: 'Mentions',
  envVar: 'MENTIONS_TABLE',
  partitionKey: { name: 'mentionKey' },
  sortKey: { name: 'messageId' },
  indexes: [],
} as const satisfies TableDefinition;

/** SK of a room's change counter item ('#' sorts before every digit). */
export const CHANGE_COUNTER_SEQ = '#counter';

/** Composite key values, built here so every key pattern lives in this one file. */
export const Keys = {
  /** SendReceipts PK: client ids are only unique per user, so the user is part of it. */
  receipt: (userId: string, clientMessageId: string) => `${userId}#${clientMessageId}`,
  /** RateLimits PK: one counter per user per fixed window (window start in epoch ms). */
  rateWindow: (userId: string, windowStart: number) => `${userId}#${windowStart}`,
  /** RateLimits PK for room creation: its own counter per user per window. */
  createWindow: (userId: string, windowStart: number) => `${userId}#create#${windowStart}`,
  /** RateLimits PK for edits + deletes (their own allowance, not the send one). */
  editWindow: (userId: string, windowStart: number) => `${userId}#edit#${windowStart}`,
  /** RateLimits PK for reaction set/unset (reactions do not spend the send allowance). */
  reactWindow: (userId: string, windowStart: number) => `${userId}#react#${windowStart}`,
  /** MessageChanges SK for change number `seq`: 15 digits, so string order is number order. */
  changeSeq: (seq: number) => String(seq).padStart(15, '0'),
  /** Mentions PK: one partition per member of a room ('#' never occurs in a room id). */
  mention: (roomId: string, userId: string) => `${roomId}#${userId}`,
} as const;

/** All tables, for code that creates them. */
export const ALL_TABLES: readonly TableDefinition[] = [
  MESSAGES_TABLE,
  CONNECTIONS_TABLE,
  TICKETS_TABLE,
  SEND_RECEIPTS_TABLE,
  RATE_LIMITS_TABLE,
  ROOMS_TABLE,
  MEMBERSHIPS_TABLE,
  SUBSCRIPTIONS_TABLE,
  MESSAGE_CHANGES_TABLE,
  MENTIONS_TABLE,
];

/** Env var carrying the `@connections` management endpoint (https://{api}.execute-api.{region}.amazonaws.com/{stage}). */
export const CALLBACK_URL_ENV = 'WS_CALLBACK_URL';

/** Reads a required env var with an error that says what to set. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}; the backend (or the local stack) must set it`);
  return value;
}
