/**
 * Connection rows: one per open socket, written on $connect, kept fresh by the client's pings, deleted
 * on $disconnect or on a 410 from `@connections`. $disconnect is best effort, so a row also dies on its
 * own: it expires `LIMITS.connectionFreshMs` after the last ping, and every read ignores expired rows
 * (DynamoDB's TTL deletes them lazily, dynalite never).
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '../../lib/protocol';
import { CONNECTIONS_TABLE, requiredEnv } from './tables';
import { conditionally, db, nowSeconds } from './db';
import { ANONYMOUS_NAME, type ChatUser } from './identity';

/** A connection row. */
export interface Connection {
  readonly connectionId: string;
  readonly roomId: string;
  readonly userId: string;
  readonly displayName: string;
  readonly connectedAt: string;
  readonly expiresAt: number;
}

/** What the `byRoom` index gives back for each live socket of a room. */
export type RoomConnection = Pick<Connection, 'connectionId' | 'userId' | 'displayName'>;

/** A few heartbeats: one or two lost pings do not kill a live socket's row, a dead socket's goes soon. */
const CONNECTION_TTL_SECONDS = LIMITS.connectionFreshMs / 1000;

/**
 * API Gateway gives up on $connect after 29 s. Until $connect returns, `@connections` answers 410 for the
 * new socket although it is about to open, so a 410 only proves a row dead once it is older than this.
 */
export const CONNECT_GRACE_MS = 30_000;

const [BY_ROOM] = CONNECTIONS_TABLE.indexes;

const table = () => requiredEnv(CONNECTIONS_TABLE.envVar);

/** Records a new connection of `user` in `roomId`. */
export async function saveConnection(connectionId: string, roomId: string, user: ChatUser, now = Date.now()): Promise<Connection> {
  const row: Connection = {
    connectionId,
    roomId,
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

/** After a 410: deletes the row unless its socket may still be inside $connect (see CONNECT_GRACE_MS). */
export function removeGoneConnection(connectionId: string, now = Date.now()): Promise<boolean> {
  return conditionally(
    db().send(
      new DeleteCommand({
        TableName: table(),
        Key: { connectionId },
        // ISO-8601 UTC timestamps of one format compare correctly as strings.
        ConditionExpression: 'connectedAt <= :cutoff',
        ExpressionAttributeValues: { ':cutoff': new Date(now - CONNECT_GRACE_MS).toISOString() },
      }),
    ),
  );
}

/** The live connections of a room, via the `byRoom` index (no Scan), all pages. */
export async function listRoomConnections(roomId: string, now = Date.now()): Promise<RoomConnection[]> {
  const rows: RoomConnection[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: table(),
        IndexName: BY_ROOM.indexName,
        KeyConditionExpression: '#room = :room',
        FilterExpression: '#exp > :now',
        ExpressionAttributeNames: { '#room': BY_ROOM.partitionKey.name, '#exp': 'expiresAt' },
        ExpressionAttributeValues: { ':room': roomId, ':now': nowSeconds(now) },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      // A local table created before displayName was projected lacks it; a placeholder beats a crash.
      rows.push({ connectionId: String(item.connectionId), userId: String(item.userId), displayName: String(item.displayName ?? ANONYMOUS_NAME) });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return rows;
}
