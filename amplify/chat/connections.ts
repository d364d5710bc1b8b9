/**
 * Connection rows: one per open socket, written on $connect, kept fresh by the client's pings, deleted
 * on $disconnect or on a 410 from `@connections`. $disconnect is best effort, so a row also dies on its
 * own: it expires `LIMITS.connectionFreshMs` after the last ping, and every read ignores expired rows
 * (DynamoDB's TTL deletes them lazily, dynalite never).
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '../../lib/protocol';
import { CONNECTIONS_TABLE, requiredEnv } from './tables';
import { batchGet, conditionally, db, isConditionFailure, nowSeconds } from './db';
import type { ChatUser } from './identity';

/** A connection row (one socket, any number of rooms: see subscriptions.ts). */
export interface Connection {
  readonly connectionId: string;
  readonly userId: string;
  readonly displayName: string;
  readonly connectedAt: string;
  readonly expiresAt: number;
}

/** A few heartbeats: one or two lost pings do not kill a live socket's row, a dead socket's goes soon. */
const CONNECTION_TTL_SECONDS = LIMITS.connectionFreshMs / 1000;

/**
 * API Gateway gives up on $connect after 29 s. Until $connect returns, `@connections` answers 410 for the
 * new socket although it is about to open, so a 410 only proves a row dead once it is older than this.
 */
export const CONNECT_GRACE_MS = 30_000;

const table = () => requiredEnv(CONNECTIONS_TABLE.envVar);

/** Records a new connection of `user` (no room: the socket subscribes to rooms once open). */
export async function saveConnection(connectionId: string, user: ChatUser, now = Date.now()): Promise<Connection> {
  const row: Connection = {
    connectionId,
    userId: user.userId,
    displayName: user.displayName,
    connectedAt: new Date(now).toISOString(),
    expiresAt: nowSeconds(now) + CONNECTION_TTL_SECONDS,
  };
  await db().send(new PutCommand({ TableName: table(), Item: row }));
  return row;
}

/** The live row for `connectionId`, or undefined when missing or expired. */
export async function getConnection(connectionId: string, now = Date.now()): Promise<Connection | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: table(), Key: { connectionId }, ConsistentRead: true }));
  const row = Item as Connection | undefined;
  return row && row.expiresAt > nowSeconds(now) ? row : undefined;
}

/**
 * Heartbeat: pushes the row's expiry out by another TTL. Returns false when the row is missing or already
 * expired; an expired row is never revived, because the room may already have been told this user left.
 */
export function refreshConnection(connectionId: string, now = Date.now()): Promise<boolean> {
  return conditionally(
    db().send(
      new UpdateCommand({
        TableName: table(),
        Key: { connectionId },
        UpdateExpression: 'SET expiresAt = :exp',
        ConditionExpression: 'attribute_exists(connectionId) AND expiresAt > :now',
        ExpressionAttributeValues: { ':exp': nowSeconds(now) + CONNECTION_TTL_SECONDS, ':now': nowSeconds(now) },
      }),
    ),
  );
}

/** Deletes exactly this connection's row ($disconnect); returns the row it held, if any. */
export async function removeConnection(connectionId: string): Promise<Connection | undefined> {
  const { Attributes } = await db().send(new DeleteCommand({ TableName: table(), Key: { connectionId }, ReturnValues: 'ALL_OLD' }));
  return Attributes as Connection | undefined;
}

/**
 * After a 410: deletes the row unless its socket may still be inside $connect (see CONNECT_GRACE_MS) and returns
 * what it held; the caller then closes the socket's subscriptions like a $disconnect (socket-rooms `closeSocket`).
 * Undefined when there was no row or it is too young to be proven dead.
 */
export async function removeGoneConnection(connectionId: string, now = Date.now()): Promise<Connection | undefined> {
  try {
    const { Attributes } = await db().send(
      new DeleteCommand({
        TableName: table(),
        Key: { connectionId },
        // ISO-8601 UTC timestamps of one format compare correctly as strings.
        ConditionExpression: 'connectedAt <= :cutoff',
        ExpressionAttributeValues: { ':cutoff': new Date(now - CONNECT_GRACE_MS).toISOString() },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes as Connection | undefined;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** The live connection rows among `connectionIds` (one BatchGet per 100): presence counts only live sockets. */
export async function liveConnectionIds(connectionIds: readonly string[], now = Date.now()): Promise<Set<string>> {
  const rows = await batchGet(
    table(),
    [...new Set(connectionIds)].map((connectionId) => ({ connectionId })),
    { projection: 'connectionId, expiresAt' },
  );
  return new Set(rows.filter((r) => Number(r.expiresAt) > nowSeconds(now)).map((r) => String(r.connectionId)));
}
