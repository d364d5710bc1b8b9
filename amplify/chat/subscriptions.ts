/**
 * Subscriptions: which socket receives which room (PK roomId, SK connectionId). A room's fan-out is one Query per
 * page of this partition; `byUser` finds a user's sockets. Liveness is NOT kept here (a heartbeat writes only the
 * connection row): rows go on unsubscribe, $disconnect and a 410 during any post, with a TTL backstop.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '../../lib/protocol';
import { SUBSCRIPTIONS_TABLE, requiredEnv } from './tables';
import { batchDelete, batchPut, db, nowSeconds, queryAll } from './db';
import type { ChatUser } from './identity';

/** One subscription. */
export interface SubscriptionRow {
  readonly roomId: string;
  readonly connectionId: string;
  readonly userId: string;
  readonly displayName: string;
  readonly expiresAt: number;
}

const table = () => requiredEnv(SUBSCRIPTIONS_TABLE.envVar);
const [BY_USER] = SUBSCRIPTIONS_TABLE.indexes;

/** API Gateway closes every socket within 2 h; 10 more minutes cover $disconnect's own lag. */
const SUBSCRIPTION_TTL_SECONDS = LIMITS.maxConnectionMs / 1000 + 600;

/** Subscribes the socket to these rooms (idempotent: a repeat just rewrites the row). */
export async function putSubscriptions(connectionId: string, user: ChatUser, roomIds: readonly string[], now = Date.now()): Promise<void> {
  const expiresAt = nowSeconds(now) + SUBSCRIPTION_TTL_SECONDS;
  await batchPut(
    table(),
    roomIds.map((roomId) => ({ roomId, connectionId, userId: user.userId, displayName: user.displayName, expiresAt })),
  );
}

/** Removes these (roomId, connectionId) subscriptions. */
export async function deleteSubscriptions(keys: readonly { roomId: string; connectionId: string }[]): Promise<void> {
  await batchDelete(
    table(),
    keys.map(({ roomId, connectionId }) => ({ roomId, connectionId })),
  );
}

/** A user's subscriptions: all of them, or only those in `roomId`. Expired rows are left out. */
export function userSubscriptions(userId: string, roomId?: string, now = Date.now()): Promise<SubscriptionRow[]> {
  return queryAll<SubscriptionRow>({
    TableName: table(),
    IndexName: BY_USER.indexName,
    KeyConditionExpression: roomId ? '#u = :u AND #r = :r' : '#u = :u',
    FilterExpression: '#exp > :now',
    ExpressionAttributeNames: { '#u': BY_USER.partitionKey.name, '#exp': 'expiresAt', ...(roomId ? { '#r': BY_USER.sortKey.name } : {}) },
    ExpressionAttributeValues: { ':u': userId, ':now': nowSeconds(now), ...(roomId ? { ':r': roomId } : {}) },
  });
}

/** The distinct sockets of a user that hold at least one subscription. */
export async function userConnectionIds(userId: string): Promise<string[]> {
  return [...new Set((await userSubscriptions(userId)).map((s) => s.connectionId))];
}

/** One page of a room's subscriptions (fan-out reads every page; presence one page per request). */
export async function roomSubscriptionsPage(
  roomId: string,
  options: { startConnectionId?: string; limit?: number } = {},
  now = Date.now(),
): Promise<{ rows: SubscriptionRow[]; lastConnectionId?: string }> {
  const page = await db().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'roomId = :r',
      FilterExpression: '#exp > :now',
      ExpressionAttributeNames: { '#exp': 'expiresAt' },
      ExpressionAttributeValues: { ':r': roomId, ':now': nowSeconds(now) },
      ExclusiveStartKey: options.startConnectionId ? { roomId, connectionId: options.startConnectionId } : undefined,
      Limit: options.limit,
    }),
  );
  const last = page.LastEvaluatedKey?.connectionId as string | undefined;
  return { rows: (page.Items ?? []) as SubscriptionRow[], lastConnectionId: last };
}

/** Every subscription of a room, all pages (no Scan: one Query per page). */
export async function roomSubscriptions(roomId: string, now = Date.now()): Promise<SubscriptionRow[]> {
  const rows: SubscriptionRow[] = [];
  let start: string | undefined;
  do {
    const page = await roomSubscriptionsPage(roomId, { startConnectionId: start }, now);
    rows.push(...page.rows);
    start = page.lastConnectionId;
  } while (start);
  return rows;
}

/** Removes every subscription `userId` holds in `roomId` (all their sockets): they stop receiving the room at once. */
export async function dropUserFromRoom(userId: string, roomId: string): Promise<number> {
  const rows = await userSubscriptions(userId, roomId, 0);
  await deleteSubscriptions(rows);
  return rows.length;
}
