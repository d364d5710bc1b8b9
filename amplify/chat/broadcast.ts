/**
 * Fan-out over API Gateway's `@connections` API. Posts run with bounded concurrency; a 410 Gone deletes that
 * one stale socket's rows (not a row young enough to still be in $connect), other failures are logged and
 * skipped so one bad socket never stops the rest of the room.
 */
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import type { ServerFrame } from '../../lib/protocol';
import { CALLBACK_URL_ENV, requiredEnv } from './tables';
import { removeGoneConnection } from './connections';
// A cycle by design (socket-rooms → presence → broadcast): only functions cross it, nothing runs at import time.
import { closeSocket } from './socket-rooms';
import { roomSubscriptionsPage, userConnectionIds } from './subscriptions';
import { logger } from './logger';
import { count } from './metrics';
import { shouldShard, splitShards, type Shard } from './fanout-shards';

/** Parallel posts per broadcast: enough for throughput, small enough for the shared 10k RPS quota. */
export const BROADCAST_CONCURRENCY = 16;

const clients = new Map<string, ApiGatewayManagementApiClient>();

/** A management client for the callback URL (cached per endpoint). */
function managementClient(endpoint: string): ApiGatewayManagementApiClient {
  let client = clients.get(endpoint);
  // Stryker disable next-line ConditionalExpression: equivalent — a new client per call posts the same; the cache saves building one.
  if (!client) {
    client = new ApiGatewayManagementApiClient({ endpoint });
    clients.set(endpoint, client);
  }
  return client;
}

/** Outcome counts of one broadcast. */
export interface BroadcastResult {
  readonly delivered: number;
  readonly gone: number;
  readonly failed: number;
  /** Recipients handed to the fan-out worker through the queue (big rooms; see fanout-shards.ts). */
  readonly queued?: number;
}

const NOTHING: BroadcastResult = { delivered: 0, gone: 0, failed: 0 };

/** True when `@connections` says the socket no longer exists (a 410, which the SDK names GoneException). */
function isGone(error: unknown): boolean {
  return (error as Error).name === 'GoneException';
}

/** Sends one frame to one connection; returns false (after cleaning up its rows) if it is gone. */
export function postToConnection(connectionId: string, frame: ServerFrame): Promise<boolean> {
  return postData(managementClient(requiredEnv(CALLBACK_URL_ENV)), connectionId, JSON.stringify(frame));
}

/**
 * Posts an already-serialized frame (a broadcast serializes once, not once per recipient). A 410 closes the socket
 * like a $disconnect: its rows go and rooms where it was the user's last socket hear a `left` delta. That
 * announcement is pushed to `later` when given (a broadcast awaits them once its own posts are done, so one gone
 * socket does not hold a posting slot for a whole room's fan-out), else awaited here.
 */
async function postData(client: ApiGatewayManagementApiClient, connectionId: string, data: string, later?: Promise<unknown>[]): Promise<boolean> {
  try {
    await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
    return true;
  } catch (error) {
    if (!isGone(error)) throw error;
    const row = await removeGoneConnection(connectionId);
    if (row) {
      // Stryker disable next-line ArrowFunction,StringLiteral,ObjectLiteral: equivalent — a warning's wording.
      const closing = closeSocket(connectionId, { userId: row.userId, displayName: row.displayName }).catch((e: Error) =>
        logger.warn('gone socket cleanup failed', { connectionId, error: e.name }),
      );
      if (later) later.push(closing);
      else await closing;
    }
    return false;
  }
}

/** Posts an already-serialized frame to one connection (the fan-out worker's unit of work); false if it is gone. */
export function postSerialized(connectionId: string, data: string, later?: Promise<unknown>[]): Promise<boolean> {
  return postData(managementClient(requiredEnv(CALLBACK_URL_ENV)), connectionId, data, later);
}

/** Adds two results. */
function plus(a: BroadcastResult, b: BroadcastResult): BroadcastResult {
  const queued = (a.queued ?? 0) + (b.queued ?? 0);
  return { delivered: a.delivered + b.delivered, gone: a.gone + b.gone, failed: a.failed + b.failed, ...(queued ? { queued } : {}) };
}

/** How this function hands shards to the fan-out queue, when it is a queue sender (see `useShardQueue`). */
let enqueue: ((shards: readonly Shard[]) => Promise<number>) | undefined;

/**
 * Makes this function a queue sender: big pages go to the fan-out worker through `send` (fanout-enqueue.ts). Called
 * by the handlers that may send to the queue, so the SQS client is bundled only into them.
 */
export function useShardQueue(send: (shards: readonly Shard[]) => Promise<number>): void {
  enqueue = send;
}

/** A big page goes to the fan-out queue in shards; if the queue refuses, the sender posts it itself. */
async function fanOutPage(roomId: string, ids: readonly string[], data: string): Promise<BroadcastResult> {
  if (!enqueue || !shouldShard(ids.length)) return postDataToAll(ids, data);
  try {
    const shards = splitShards(roomId, data, ids, Date.now());
    await enqueue(shards);
    count('QueueShards', shards.length);
    return { ...NOTHING, queued: ids.length };
  } catch (error) {
    logger.warn('fan-out queue unavailable, posting directly', { roomId, error: (error as Error).name });
    return postDataToAll(ids, data);
  }
}

/**
 * Sends `frame` to every socket subscribed to `roomId` but those in `options.exclude`: one Query per page of
 * subscriptions, each page posted before the next is read (a big page is queued to the fan-out worker instead).
 */
export async function broadcast(
  roomId: string,
  frame: ServerFrame,
  options: { exclude?: readonly string[]; maxOnlineUsers?: number } = {},
): Promise<BroadcastResult> {
  const excluded = new Set(options.exclude);
  const data = JSON.stringify(frame);
  if (options.maxOnlineUsers !== undefined) return capped(roomId, data, excluded, options.maxOnlineUsers);
  let result = NOTHING;
  let start: string | undefined;
  do {
    const page = await roomSubscriptionsPage(roomId, { startConnectionId: start });
    result = plus(result, await fanOutPage(roomId, page.rows.map((r) => r.connectionId).filter((id) => !excluded.has(id)), data));
    start = page.lastConnectionId;
  } while (start);
  return result;
}

/**
 * Like `broadcast`, but only when at most `maxUsers` distinct people are subscribed (typing: noise in a big room).
 * Recipients are read first (the pages stop as soon as the cap is passed), then posted; nothing is sent past the cap.
 */
async function capped(roomId: string, data: string, excluded: ReadonlySet<string>, maxUsers: number): Promise<BroadcastResult> {
  const users = new Set<string>();
  const recipients: string[] = [];
  let start: string | undefined;
  do {
    const page = await roomSubscriptionsPage(roomId, { startConnectionId: start });
    for (const row of page.rows) {
      users.add(row.userId);
      if (!excluded.has(row.connectionId)) recipients.push(row.connectionId);
    }
    if (users.size > maxUsers) return NOTHING;
    start = page.lastConnectionId;
  } while (start);
  return postDataToAll(recipients, data);
}

/** Sends `frame` to every socket of `userId` (read state, membership changes): one Query, then the posts. */
export async function postToUser(userId: string, frame: ServerFrame): Promise<BroadcastResult> {
  return postToAll(await userConnectionIds(userId), frame);
}

/** Sends `frame` to each of `connectionIds` (for callers that already know the recipients). */
export function postToAll(connectionIds: readonly string[], frame: ServerFrame): Promise<BroadcastResult> {
  return connectionIds.length ? postDataToAll(connectionIds, JSON.stringify(frame)) : Promise.resolve(NOTHING);
}

async function postDataToAll(connectionIds: readonly string[], data: string): Promise<BroadcastResult> {
  const queue = [...connectionIds];
  // Stryker disable next-line ConditionalExpression: equivalent — no recipients post nothing; the guard skips the client and zero counts.
  if (queue.length === 0) return NOTHING;
  const client = managementClient(requiredEnv(CALLBACK_URL_ENV));
  let delivered = 0;
  let gone = 0;
  let failed = 0;
  // Stryker disable next-line ArrayDeclaration: equivalent — awaiting a non-promise item resolves at once.
  const later: Promise<unknown>[] = [];
  const worker = async () => {
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      try {
        if (await postData(client, id, data, later)) delivered++;
        else gone++;
      } catch (error) {
        failed++;
        // Stryker disable next-line StringLiteral,ObjectLiteral: equivalent — a warning's wording.
        logger.warn('post to connection failed', { connectionId: id, error: (error as Error).name });
      }
    }
  };
  // Stryker disable next-line MethodExpression: equivalent — workers beyond the queue's length find it empty at once.
  await Promise.all(Array.from({ length: Math.min(BROADCAST_CONCURRENCY, queue.length) }, worker));
  await Promise.all(later);
  count('Deliveries', delivered);
  count('GoneConnections', gone);
  count('FailedPosts', failed);
  return { delivered, gone, failed };
}
