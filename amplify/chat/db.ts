/**
 * The one DynamoDB document client. Locally the SDK finds dynalite through AWS_ENDPOINT_URL_DYNAMODB,
 * so this file holds no local-only code.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ChatError } from '../../lib/chat-error';
import { ErrorCode } from '../../lib/protocol';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

let client: DynamoDBDocumentClient | undefined;

/** Shared, lazily created client (one per Lambda container). */
export function db(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return client;
}

/** Epoch seconds, the unit DynamoDB TTL uses. */
export function nowSeconds(now = Date.now()): number {
  return Math.floor(now / 1000);
}

/**
 * Runs a conditional write: true when it happened, false when its ConditionExpression failed (an expected
 * outcome, not an error); anything else is thrown.
 */
export async function conditionally(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** True for a failed ConditionExpression (checked by name: the SDK may load the class twice). */
export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

/** BatchGetItem's key limit per call. */
const BATCH_GET_MAX = 100;
/** BatchWriteItem's request limit per call. */
const BATCH_WRITE_MAX = 25;

/** Items for `keys` (any order; missing keys are simply absent), in calls of 100, retrying unprocessed keys. */
export async function batchGet(
  tableName: string,
  keys: readonly Record<string, unknown>[],
  options: { consistent?: boolean; projection?: string; names?: Record<string, string> } = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_MAX) {
    let request: Record<string, unknown>[] | undefined = keys.slice(i, i + BATCH_GET_MAX) as Record<string, unknown>[];
    for (let attempt = 0; request?.length; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const { Responses, UnprocessedKeys } = await db().send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: request,
              ConsistentRead: options.consistent,
              ProjectionExpression: options.projection,
              ExpressionAttributeNames: options.names,
            },
          },
        }),
      );
      items.push(...((Responses?.[tableName] ?? []) as Record<string, unknown>[]));
      request = UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return items;
}

/** Deletes `keys` in calls of 25, retrying unprocessed items. */
export async function batchDelete(tableName: string, keys: readonly Record<string, unknown>[]): Promise<void> {
  await batchWrite(tableName, keys.map((Key) => ({ DeleteRequest: { Key } })));
}

/** Puts `items` in calls of 25, retrying unprocessed items. */
export async function batchPut(tableName: string, items: readonly Record<string, unknown>[]): Promise<void> {
  await batchWrite(tableName, items.map((Item) => ({ PutRequest: { Item } })));
}

type WriteRequest = { DeleteRequest: { Key: Record<string, unknown> } } | { PutRequest: { Item: Record<string, unknown> } };

async function batchWrite(tableName: string, requests: readonly WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH_WRITE_MAX) await batchWriteTables({ [tableName]: requests.slice(i, i + BATCH_WRITE_MAX) });
}

/**
 * Puts items into several tables in ONE BatchWriteItem (at most 25 items in all; unprocessed ones retried): the send
 * path stores a message and its mention index items in one request. Unconditional: callers only use it for items
 * no other writer can hold yet (a fresh message id).
 */
export async function batchPutTables(items: Readonly<Record<string, readonly Record<string, unknown>[]>>): Promise<void> {
  const requests = Object.fromEntries(Object.entries(items).filter(([, rows]) => rows.length).map(([table, rows]) => [table, rows.map((Item) => ({ PutRequest: { Item } }))]));
  const total = Object.values(requests).reduce((n, r) => n + r.length, 0);
  if (total > BATCH_WRITE_MAX) throw new Error(`batchPutTables: ${total} items, at most ${BATCH_WRITE_MAX} per request`);
  if (total) await batchWriteTables(requests);
}

async function batchWriteTables(requests: Record<string, WriteRequest[]>): Promise<void> {
  let pending: Record<string, WriteRequest[]> | undefined = requests;
  for (let attempt = 0; pending && Object.keys(pending).length; attempt++) {
    if (attempt > 0) await backoff(attempt);
    const { UnprocessedItems } = await db().send(new BatchWriteCommand({ RequestItems: pending }));
    pending = UnprocessedItems as Record<string, WriteRequest[]> | undefined;
  }
}

/**
 * Every item a Query matches, page after page (LastEvaluatedKey), stopping early once `max` items are held. For the
 * small partitions read whole (a user's memberships or subscriptions), never a room's.
 */
export async function queryAll<T>(input: Omit<QueryCommandInput, 'ExclusiveStartKey'>, max = Infinity): Promise<T[]> {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...((page.Items ?? []) as T[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey && items.length < max);
  return items;
}

/** How many items a Query matches (Select COUNT, page after page), counted up to `max`: enough for a capped badge. */
export async function queryCount(input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Select' | 'Limit'>, max: number): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db().send(new QueryCommand({ ...input, Select: 'COUNT', Limit: max - count, ExclusiveStartKey: startKey }));
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey && count < max);
  return count;
}

/**
 * Short exponential wait before retrying throttled batch leftovers (the SDK retries whole calls, not leftovers):
 * 50 ms, 100 ms, … up to 1 s for attempt 1, 2, ….
 */
export function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
}

/** Opaque cursor from a LastEvaluatedKey (base64url JSON), or null when there is no next page. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

/**
 * The ExclusiveStartKey a cursor stands for. Only string-valued objects with exactly `fields` are accepted, so a
 * forged cursor can neither break the Query nor reach another partition (callers pin the partition key).
 */
export function decodeCursor(cursor: string | undefined, fields: readonly string[]): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (entries.length === fields.length && entries.every(([k, v]) => fields.includes(k) && typeof v === 'string' && v.length <= 200)) {
        return value as Record<string, string>;
      }
    }
  } catch {
    // not base64url JSON: same answer as a wrong shape
  }
  throw new ChatError(ErrorCode.BadRequest, 'Invalid "cursor": pass back the nextCursor of the previous page');
}
