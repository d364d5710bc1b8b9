/**
 * Connection rows: one per open socket, written on $connect, deleted on $disconnect or on a 410 from
 * `@connections`. Rows carry a TTL because $disconnect is best effort; reads ignore expired rows since
 * DynamoDB deletes them lazily.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '../../lib/protocol';
import { CONNECTIONS_TABLE, requiredEnv } from './tables';
import { db, nowSeconds } from './db';
import type { ChatUser } from './identity';

/** A connection row. */
export interface Connection {
  readonly connectionId: string;
  readonly roomId: string;
  readonly userId: string;
  readonly displayName: string;
  readonly connectedAt: string;
  readonly expiresAt: number;
}

/** API Gateway ends every socket after 2 h; keep rows a little longer so a live socket never loses its row. */
const CONNECTION_TTL_SECONDS = LIMITS.maxConnectionMs / 1000 + 5 * 60;

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

/** Deletes exactly this connection's row. */
export async function removeConnection(connectionId: string): Promise<void> {
  await db().send(new DeleteCommand({ TableName: table(), Key: { connectionId } }));
}

/** Ids of the live connections in a room, via the `byRoom` index (no Scan), all pages. */
export async function listRoomConnectionIds(roomId: string, now = Date.now()): Promise<string[]> {
  const ids: string[] = [];
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
    for (const item of page.Items ?? []) ids.push(String(item.connectionId));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return ids;
}
