/**
 * The send path's one BatchGetItem against real dynalite: membership and receipt in one consistent request, only the
 * membership without a clientMessageId, and keys DynamoDB leaves unprocessed (throttling) read again after a pause
 * until none are left. Dynalite never leaves keys unprocessed, so that answer is made at the client's edge: the real
 * request runs without the keys, which come back as UnprocessedKeys, as DynamoDB would send them.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from './db';
import { claimReceipt } from './receipts';
import { newMessage } from './messages';
import { lookUpSend } from './send-lookup';
import { addMembership } from './memberships';
import { MEMBERSHIPS_TABLE, SEND_RECEIPTS_TABLE, requiredEnv } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

type Items = Record<string, { Keys: Record<string, unknown>[]; ConsistentRead?: boolean }>;
interface Seen {
  readonly at: number;
  readonly request: Items;
}

const MIDDLEWARE = 'sendLookupEdge';
afterEach(() => void db().middlewareStack.remove(MIDDLEWARE));

/**
 * Records every BatchGetItem; for the first `throttled` of them, the keys of `table` (all tables if omitted) are
 * left out of the real request and answered as UnprocessedKeys.
 */
function edge(throttled = 0, table?: string): Seen[] {
  const seen: Seen[] = [];
  db().middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchGetItemCommand') return next(args);
      const input = args.input as { RequestItems: Items };
      const request = structuredClone(input.RequestItems);
      seen.push({ at: performance.now(), request });
      if (seen.length > throttled) return next(args);
      const held = Object.fromEntries(Object.entries(request).filter(([name]) => table === undefined || name === table));
      const rest = Object.fromEntries(Object.entries(request).filter(([name]) => !(name in held)));
      const output = Object.keys(rest).length
        ? ((await next({ ...args, input: { ...input, RequestItems: rest } })) as { output: Record<string, unknown> })
        : { output: { Responses: {} }, response: {} };
      return { ...output, output: { ...output.output, UnprocessedKeys: held } } as never;
    },
    { step: 'initialize', name: MIDDLEWARE, priority: 'high' },
  );
  return seen;
}

async function memberWithReceipt(roomId: string) {
  const user = testUser('Looker');
  const author = { userId: user.sub, displayName: 'Looker' };
  await addMembership({ roomId, kind: 'public', user: author, role: 'member' });
  const message = newMessage({ roomId, author, body: 'hi' });
  await claimReceipt(user.sub, 'lookup-0001', message);
  return { userId: user.sub, message };
}

describe('lookUpSend', () => {
  it('reads the membership and the receipt in ONE consistent request', async () => {
    const { userId, message } = await memberWithReceipt('lookup-both');
    const seen = edge();
    const found = await lookUpSend('lookup-both', userId, 'lookup-0001');
    expect(found.membership).toMatchObject({ roomId: 'lookup-both', userId, role: 'member' });
    expect(found.receipt).toEqual({ roomId: message.roomId, messageId: message.messageId, createdAt: message.createdAt, authorName: 'Looker' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.request).toEqual({
      [requiredEnv(MEMBERSHIPS_TABLE.envVar)]: { Keys: [{ roomId: 'lookup-both', userId }], ConsistentRead: true },
      [requiredEnv(SEND_RECEIPTS_TABLE.envVar)]: { Keys: [{ receiptKey: expect.stringContaining(userId) }], ConsistentRead: true },
    });
  });

  it('without a clientMessageId asks for the membership only', async () => {
    const { userId } = await memberWithReceipt('lookup-member');
    const seen = edge();
    expect(await lookUpSend('lookup-member', userId)).toEqual({ membership: expect.objectContaining({ userId }), receipt: undefined });
    expect(Object.keys(seen[0]!.request)).toEqual([requiredEnv(MEMBERSHIPS_TABLE.envVar)]);
  });

  it('finds neither for a stranger with a new id', async () => {
    const seen = edge();
    expect(await lookUpSend('lookup-both', testUser().sub, 'never-sent')).toEqual({ membership: undefined, receipt: undefined });
    expect(seen).toHaveLength(1);
  });

  it('reads unprocessed keys again, after a growing pause, until none are left', async () => {
    const { userId, message } = await memberWithReceipt('lookup-throttled');
    const seen = edge(2);
    const found = await lookUpSend('lookup-throttled', userId, 'lookup-0001');
    expect(found.membership).toMatchObject({ userId });
    expect(found.receipt?.messageId).toBe(message.messageId);
    expect(seen).toHaveLength(3);
    // Every retry asks again for exactly what was left.
    expect(seen[1]!.request).toEqual(seen[0]!.request);
    expect(seen[2]!.request).toEqual(seen[0]!.request);
    // 50 ms, then 100 ms (setTimeout never fires early by more than its 1 ms rounding).
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(49);
    expect(seen[2]!.at - seen[1]!.at).toBeGreaterThanOrEqual(99);
  });

  it('keeps what the first answer held when only the receipt was left unprocessed', async () => {
    const { userId, message } = await memberWithReceipt('lookup-partial');
    const receipts = requiredEnv(SEND_RECEIPTS_TABLE.envVar);
    const seen = edge(1, receipts);
    const found = await lookUpSend('lookup-partial', userId, 'lookup-0001');
    expect(found.membership).toMatchObject({ userId });
    expect(found.receipt?.messageId).toBe(message.messageId);
    expect(seen).toHaveLength(2);
    expect(Object.keys(seen[1]!.request)).toEqual([receipts]);
  });
});
