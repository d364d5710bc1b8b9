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

/** Open sockets: PK connectionId; `byRoom` fans a message out to a room without a Scan. */
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

/** Composite key values, built here so every key pattern lives in this one file. */
export const Keys = {
  /** SendReceipts PK: client ids are only unique per user, so the user is part of it. */
  receipt: (userId: string, clientMessageId: string) => `${userId}#${clientMessageId}`,
  /** RateLimits PK: one counter per user per fixed window (window start in epoch ms). */
  rateWindow: (userId: string, windowStart: number) => `${userId}#${windowStart}`,
} as const;

/** All tables, for code that creates them. */
export const ALL_TABLES: readonly TableDefinition[] = [MESSAGES_TABLE, CONNECTIONS_TABLE, TICKETS_TABLE, SEND_RECEIPTS_TABLE, RATE_LIMITS_TABLE];

/** Env var carrying the `@connections` management endpoint (https://{api}.execute-api.{region}.amazonaws.com/{stage}). */
export const CALLBACK_URL_ENV = 'WS_CALLBACK_URL';

/** Reads a required env var with an error that says what to set. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}; the backend (or the local stack) must set it`);
  return value;
}
