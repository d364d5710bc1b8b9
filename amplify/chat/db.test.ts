/**
 * The DynamoDB helpers against real dynalite: batch reads and writes split at the service's limits (100 keys, 25
 * writes) with leftovers retried after a growing pause (made at the client's edge: dynalite never throttles),
 * Query paging to the end or to a cap, conditional writes, and cursors that refuse anything but their own shape.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, type TestStack } from '../local/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ChatError } from '../../lib/chat-error';
import { ErrorCode } from '../../lib/protocol';
import {
  backoff,
  batchDelete,
  batchGet,
  batchPut,
  batchPutTables,
  conditionally,
  db,
  decodeCursor,
  encodeCursor,
  isConditionFailure,
  nowSeconds,
  queryAll,
  queryCount,
} from './db';
import { MENTIONS_TABLE, MESSAGES_TABLE, requiredEnv } from './tables';

let stack: TestStack;
let messages: string;
beforeAll(async () => {
  stack = await startTestStack();
  messages = requiredEnv(MESSAGES_TABLE.envVar);
});
afterAll(() => stack?.stop());

const MIDDLEWARE = 'dbEdge';
afterEach(() => void db().middlewareStack.remove(MIDDLEWARE));

interface Call {
  readonly command: string;
  readonly at: number;
  readonly input: Record<string, unknown>;
}

/**
 * Records every request; the first `leave` batch requests run with only their first item per table, the rest coming
 * back unprocessed (UnprocessedKeys / UnprocessedItems), as DynamoDB answers when throttled.
 */
function edge(leave = 0): Call[] {
  const calls: Call[] = [];
  db().middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const command = String(context.commandName);
      calls.push({ command, at: performance.now(), input: structuredClone(input) });
      const batch = command === 'BatchGetItemCommand' || command === 'BatchWriteItemCommand';
      if (!batch || calls.filter((c) => c.command === command).length > leave) return next(args);
      const items = input.RequestItems as Record<string, unknown>;
      const [first, left] = [{} as Record<string, unknown>, {} as Record<string, unknown>];
      for (const [table, request] of Object.entries(items)) {
        if (command === 'BatchGetItemCommand') {
          const { Keys, ...rest } = request as { Keys: unknown[] };
          first[table] = { ...rest, Keys: Keys.slice(0, 1) };
          if (Keys.length > 1) left[table] = { ...rest, Keys: Keys.slice(1) };
        } else {
          const writes = request as unknown[];
          first[table] = writes.slice(0, 1);
          if (writes.length > 1) left[table] = writes.slice(1);
        }
      }
      const out = (await next({ ...args, input: { ...input, RequestItems: first } })) as { output: Record<string, unknown> };
      const key = command === 'BatchGetItemCommand' ? 'UnprocessedKeys' : 'UnprocessedItems';
      return { ...out, output: { ...out.output, [key]: left } } as never;
    },
    { step: 'initialize', name: MIDDLEWARE, priority: 'high' },
  );
  return calls;
}

const row = (roomId: string, i: number) => ({ roomId, messageId: `m${String(i).padStart(4, '0')}`, body: `b${i}` });
const rows = (roomId: string, n: number) => Array.from({ length: n }, (_, i) => row(roomId, i));
const keyOf = (r: { roomId: string; messageId: string }) => ({ roomId: r.roomId, messageId: r.messageId });
const sortById = (items: Record<string, unknown>[]) => [...items].sort((a, b) => String(a.messageId).localeCompare(String(b.messageId)));

describe('batchPut, batchGet, batchDelete', () => {
  it('write in calls of 25 and read in calls of 100, every item once; missing keys are simply absent', async () => {
    const calls = edge();
    const stored = rows('db-batch', 230);
    await batchPut(messages, stored);
    expect(calls.filter((c) => c.command === 'BatchWriteItemCommand').map((c) => (c.input.RequestItems as Record<string, unknown[]>)[messages]!.length)).toEqual([
      25, 25, 25, 25, 25, 25, 25, 25, 25, 5,
    ]);
    const keys = [...stored.map(keyOf), { roomId: 'db-batch', messageId: 'missing' }];
    const got = await batchGet(messages, keys, { consistent: true });
    expect(sortById(got)).toEqual(stored);
    const gets = calls.filter((c) => c.command === 'BatchGetItemCommand').map((c) => (c.input.RequestItems as Record<string, { Keys: unknown[]; ConsistentRead?: boolean }>)[messages]!);
    expect(gets.map((g) => g.Keys.length)).toEqual([100, 100, 31]);
    expect(gets.every((g) => g.ConsistentRead === true)).toBe(true);
    await batchDelete(messages, stored.map(keyOf));
    expect(await batchGet(messages, stored.map(keyOf))).toEqual([]);
  });

  it('read only the projected attributes when asked', async () => {
    await batchPut(messages, rows('db-projection', 2));
    const got = await batchGet(messages, rows('db-projection', 2).map(keyOf), { projection: '#id', names: { '#id': 'messageId' } });
    expect(sortById(got)).toEqual([{ messageId: 'm0000' }, { messageId: 'm0001' }]);
  });

  it('retry what DynamoDB left unprocessed, after 50 ms, then 100 ms, until nothing is left', async () => {
    const calls = edge(2);
    const stored = rows('db-throttled', 4);
    await batchPut(messages, stored);
    const writes = calls.filter((c) => c.command === 'BatchWriteItemCommand');
    // 4 items: 1 written, 3 left; 1 written, 2 left; then the 2 left, all written.
    expect(writes.map((c) => (c.input.RequestItems as Record<string, unknown[]>)[messages]!.length)).toEqual([4, 3, 2]);
    expect(writes[1]!.at - writes[0]!.at).toBeGreaterThanOrEqual(49);
    expect(writes[2]!.at - writes[1]!.at).toBeGreaterThanOrEqual(99);
    const got = await batchGet(messages, stored.map(keyOf), { consistent: true });
    const reads = calls.filter((c) => c.command === 'BatchGetItemCommand');
    expect(reads.map((c) => (c.input.RequestItems as Record<string, { Keys: unknown[] }>)[messages]!.Keys.length)).toEqual([4, 3, 2]);
    expect(reads[2]!.at - reads[1]!.at).toBeGreaterThanOrEqual(99);
    expect(sortById(got)).toEqual(stored);
  });
});

describe('backoff', () => {
  it('waits 50 ms, 100 ms, 200 ms, … doubling up to 1 s', async () => {
    vi.useFakeTimers();
    try {
      for (const [attempt, ms] of [[1, 50], [2, 100], [3, 200], [5, 800], [6, 1000], [9, 1000]] as const) {
        let done = false;
        void backoff(attempt).then(() => (done = true));
        await vi.advanceTimersByTimeAsync(ms - 1);
        expect(done).toBe(false);
        await vi.advanceTimersByTimeAsync(1);
        expect(done).toBe(true);
      }
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the document client', () => {
  it('a fresh one (as a cold Lambda creates it) leaves out undefined attributes instead of refusing the item', async () => {
    // The client is made once per module: a fresh module, so it is made with the options under test.
    vi.resetModules();
    const fresh = await import('./db');
    await fresh.db().send(new PutCommand({ TableName: messages, Item: { ...row('db-fresh', 1), body: undefined, meta: { kept: 1, dropped: undefined } } }));
    expect(await batchGet(messages, [keyOf(row('db-fresh', 1))])).toEqual([{ roomId: 'db-fresh', messageId: 'm0001', meta: { kept: 1 } }]);
  });

  it('leaves out undefined attributes instead of refusing the item', async () => {
    await db().send(new PutCommand({ TableName: messages, Item: { ...row('db-undefined', 1), body: undefined } }));
    expect(await batchGet(messages, [keyOf(row('db-undefined', 1))])).toEqual([{ roomId: 'db-undefined', messageId: 'm0001' }]);
  });
});

describe('batchPutTables', () => {
  it('puts into several tables in ONE request, skipping tables with nothing to put', async () => {
    const calls = edge();
    const mentions = requiredEnv(MENTIONS_TABLE.envVar);
    await batchPutTables({ [messages]: [row('db-tables', 1)], [mentions]: [{ mentionKey: 'db-tables#u1', messageId: 'm0001' }], empty: [] });
    expect(calls).toHaveLength(1);
    expect(Object.keys(calls[0]!.input.RequestItems as object).sort()).toEqual([mentions, messages].sort());
    expect(await batchGet(messages, [keyOf(row('db-tables', 1))])).toEqual([row('db-tables', 1)]);
    await batchPutTables({ [messages]: [] });
    expect(calls.filter((c) => c.command === 'BatchWriteItemCommand')).toHaveLength(1);
  });

  it('refuses more than 25 items (it never splits what must go in one request)', async () => {
    await expect(batchPutTables({ [messages]: rows('db-too-many', 26) })).rejects.toThrow('batchPutTables: 26 items, at most 25 per request');
    expect(await batchGet(messages, rows('db-too-many', 26).map(keyOf))).toEqual([]);
    await batchPutTables({ [messages]: rows('db-just-enough', 25) });
    expect(await batchGet(messages, rows('db-just-enough', 25).map(keyOf))).toHaveLength(25);
  });
});

describe('queryAll and queryCount', () => {
  const room = 'db-query';
  const input = () => ({ TableName: messages, KeyConditionExpression: 'roomId = :r', ExpressionAttributeValues: { ':r': room } });
  beforeAll(() => batchPut(messages, rows(room, 10)));

  it('queryAll reads page after page to the end, or stops once `max` items are held', async () => {
    const calls = edge();
    expect(await queryAll({ ...input(), Limit: 3 })).toEqual(rows(room, 10));
    expect(calls).toHaveLength(4);
    expect(await queryAll({ ...input(), Limit: 3 }, 5)).toEqual(rows(room, 6));
    expect(calls).toHaveLength(6);
    expect(await queryAll({ ...input(), Limit: 3 }, 6)).toEqual(rows(room, 6));
  });

  it('queryCount counts page after page up to `max`, asking for no more than is still needed', async () => {
    const calls = edge();
    expect(await queryCount(input(), 100)).toBe(10);
    expect(await queryCount(input(), 4)).toBe(4);
    expect(calls.at(-1)!.input).toMatchObject({ Select: 'COUNT', Limit: 4 });
    expect(await queryCount({ ...input(), ExpressionAttributeValues: { ':r': 'db-nothing' } }, 5)).toBe(0);
  });

  it('queryCount with a filter reads on past pages that matched fewer, asking each time for what is still missing', async () => {
    // Bodies b0…b9; the filter matches the even ones. Limit counts items read before the filter.
    const calls = edge();
    const even = { ...input(), FilterExpression: 'body IN (:b0, :b2, :b4, :b6, :b8)', ExpressionAttributeValues: { ':r': room, ':b0': 'b0', ':b2': 'b2', ':b4': 'b4', ':b6': 'b6', ':b8': 'b8' } };
    expect(await queryCount(even, 4)).toBe(4);
    // Read 4 (b0–b3: 2 match), then 2 more (b4, b5: 1), then 1 (b6: 1).
    expect(calls.map((c) => c.input.Limit)).toEqual([4, 2, 1]);
    expect(await queryCount(even, 100)).toBe(5);
  });
});

describe('conditional writes', () => {
  const put = () =>
    db().send(new PutCommand({ TableName: messages, Item: row('db-cond', 1), ConditionExpression: 'attribute_not_exists(messageId)' }));

  it('conditionally: true when written, false when the condition failed, other errors thrown', async () => {
    expect(await conditionally(put())).toBe(true);
    expect(await conditionally(put())).toBe(false);
    await expect(conditionally(db().send(new PutCommand({ TableName: 'no-such-table', Item: row('x', 1) })))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('isConditionFailure goes by the error name only, and survives anything thrown', () => {
    expect(isConditionFailure({ name: 'ConditionalCheckFailedException' })).toBe(true);
    expect(isConditionFailure(new Error('ConditionalCheckFailedException'))).toBe(false);
    expect(isConditionFailure(null)).toBe(false);
    expect(isConditionFailure(undefined)).toBe(false);
  });

  it('nowSeconds is whole epoch seconds, rounded down', () => {
    expect(nowSeconds(1_999)).toBe(1);
    expect(nowSeconds(2_000)).toBe(2);
  });
});

describe('cursors', () => {
  const fields = ['roomId', 'messageId'];
  const forged = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const refused = (cursor: string) => {
    try {
      decodeCursor(cursor, fields);
    } catch (error) {
      expect(error).toBeInstanceOf(ChatError);
      expect(error).toMatchObject({ code: ErrorCode.BadRequest, message: 'Invalid "cursor": pass back the nextCursor of the previous page' });
      return true;
    }
    return false;
  };

  it('takes only an object: never an array or a string, even where their indexes would pass for the fields', () => {
    expect(() => decodeCursor(forged(['a', 'b']), ['0', '1'])).toThrow(ChatError);
    expect(() => decodeCursor(forged('ab'), ['0', '1'])).toThrow(ChatError);
    expect(() => decodeCursor(forged([]), [])).toThrow(ChatError);
    expect(decodeCursor(forged({}), [])).toEqual({});
  });

  it('round-trips a key; no key is no cursor and no cursor is no key', () => {
    const key = { roomId: 'r', messageId: 'm'.repeat(200) };
    expect(decodeCursor(encodeCursor(key)!, fields)).toEqual(key);
    expect(encodeCursor(undefined)).toBeNull();
    expect(decodeCursor(undefined, fields)).toBeUndefined();
  });

  it('refuses anything but exactly its fields as strings of at most 200 characters', () => {
    expect(refused(forged({ roomId: 'r' }))).toBe(true);
    expect(refused(forged({ roomId: 'r', messageId: 'm', extra: 'x' }))).toBe(true);
    expect(refused(forged({ roomId: 'r', other: 'm' }))).toBe(true);
    expect(refused(forged({ roomId: 'r', messageId: 7 }))).toBe(true);
    expect(refused(forged({ roomId: 'r', messageId: 'm'.repeat(201) }))).toBe(true);
    expect(refused(forged(['r', 'm']))).toBe(true);
    expect(refused(forged(null))).toBe(true);
    expect(refused(forged('r'))).toBe(true);
    expect(refused('not base64 json')).toBe(true);
    expect(refused(forged({ roomId: 'r', messageId: ['m'] }))).toBe(true);
    expect(refused(forged({ roomId: 'r', messageId: { length: 1 } }))).toBe(true);
    expect(refused(forged({ roomId: 'r', messageId: 'm' }))).toBe(false);
  });
});
