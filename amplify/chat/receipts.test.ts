/**
 * Send receipts against real dynalite: a claim stores ids only (never the body) with its expiry, a second claim gets
 * the first one's ids, reads are consistent, legacy whole-message receipts are read and scrubbed, and a receipt that
 * vanishes between the claim and the read is an error, not a silent second message.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './db';
import { newMessage } from './messages';
import { claimReceipt, findReceipt, scrubReceipt, toReceipt } from './receipts';
import { SEND_RECEIPTS_TABLE, requiredEnv } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const MIDDLEWARE = 'receiptsEdge';
afterEach(() => void db().middlewareStack.remove(MIDDLEWARE));

/** One day, in ms: how long a clientMessageId is remembered (stated here, not read from LIMITS). */
const RETENTION_MS = 24 * 60 * 60 * 1000;
const author = () => {
  const user = testUser('Receipt');
  return { userId: user.sub, displayName: 'Receipt Writer' };
};
const stored = async (key: string) => (await stack.scan(SEND_RECEIPTS_TABLE.envVar)).find((item) => item.receiptKey === key);
const idsOf = (m: { roomId: string; messageId: string; createdAt: string; authorName: string }) => ({
  roomId: m.roomId,
  messageId: m.messageId,
  createdAt: m.createdAt,
  authorName: m.authorName,
});

describe('claimReceipt', () => {
  it('wins once, storing the ids and an expiry a day later (seconds), never the body', async () => {
    const user = author();
    const now = Date.UTC(2030, 5, 1, 12, 0, 0, 700);
    const message = newMessage({ roomId: 'receipts', author: user, body: 'secret body' }, now);
    expect(await claimReceipt(user.userId, 'claim-0001', message, now)).toBeUndefined();
    expect(await stored(`${user.userId}#claim-0001`)).toEqual({
      receiptKey: `${user.userId}#claim-0001`,
      ...idsOf(message),
      expiresAt: Math.floor((now + RETENTION_MS) / 1000),
    });
  });

  it('a second claim of the same id gets the first one’s ids; another id or user claims its own', async () => {
    const user = author();
    const first = newMessage({ roomId: 'receipts', author: user, body: 'one' });
    const twin = newMessage({ roomId: 'receipts', author: user, body: 'one again' });
    expect(await claimReceipt(user.userId, 'claim-0002', first)).toBeUndefined();
    expect(await claimReceipt(user.userId, 'claim-0002', twin)).toEqual(idsOf(first));
    expect(await claimReceipt(user.userId, 'claim-0003', twin)).toBeUndefined();
    expect(await claimReceipt(author().userId, 'claim-0002', twin)).toBeUndefined();
  });

  it('throws when the receipt it lost to is gone by the time it reads it (TTL removed it in between)', async () => {
    const user = author();
    await claimReceipt(user.userId, 'claim-0004', newMessage({ roomId: 'receipts', author: user, body: 'x' }));
    // The read that follows a lost claim finds nothing: what DynamoDB answers once TTL removed the item.
    db().middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        return context.commandName === 'GetItemCommand' ? ({ ...out, output: { ...(out.output as object), Item: undefined } } as never) : out;
      },
      { step: 'initialize', name: MIDDLEWARE, priority: 'high' },
    );
    await expect(claimReceipt(user.userId, 'claim-0004', newMessage({ roomId: 'receipts', author: user, body: 'y' }))).rejects.toThrow(/vanished/);
  });
});

describe('findReceipt', () => {
  it('reads consistently: the ids of a claimed id, nothing for an unknown one', async () => {
    const user = author();
    const message = newMessage({ roomId: 'receipts', author: user, body: 'found' });
    await claimReceipt(user.userId, 'find-0001', message);
    const reads: unknown[] = [];
    db().middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'GetItemCommand') reads.push(args.input);
        return next(args);
      },
      { step: 'initialize', name: MIDDLEWARE, priority: 'high' },
    );
    expect(await findReceipt(user.userId, 'find-0001')).toEqual(idsOf(message));
    expect(await findReceipt(user.userId, 'find-9999')).toBeUndefined();
    expect(reads).toEqual([
      { TableName: requiredEnv(SEND_RECEIPTS_TABLE.envVar), Key: { receiptKey: `${user.userId}#find-0001` }, ConsistentRead: true },
      { TableName: requiredEnv(SEND_RECEIPTS_TABLE.envVar), Key: { receiptKey: `${user.userId}#find-9999` }, ConsistentRead: true },
    ]);
  });
});

describe('legacy receipts (the whole message)', () => {
  const legacyItem = (userId: string, key: string, body: string) => {
    const message = newMessage({ roomId: 'receipts', author: { userId, displayName: 'Old' }, body });
    return { message, item: { receiptKey: `${userId}#${key}`, message, expiresAt: 1 } };
  };

  it('toReceipt reads the ids from the copy and keeps it; a new receipt has no copy; nothing is nothing', () => {
    const { message, item } = legacyItem('u1', 'legacy', 'old text');
    expect(toReceipt(item)).toEqual({ ...idsOf(message), message });
    expect(toReceipt({ receiptKey: 'u1#new', ...idsOf(message), expiresAt: 1 })).toEqual(idsOf(message));
    // Already scrubbed (ids present) but a copy still there: the ids win, the copy is not handed out.
    expect(toReceipt({ ...item, ...idsOf(message) })).toEqual(idsOf(message));
    expect(toReceipt(undefined)).toBeUndefined();
  });

  it('scrubReceipt replaces the copy by the ids; it never touches a new receipt nor creates one', async () => {
    const user = author();
    const { message, item } = legacyItem(user.userId, 'scrub-0001', 'delete me');
    await db().send(new PutCommand({ TableName: requiredEnv(SEND_RECEIPTS_TABLE.envVar), Item: item }));
    await scrubReceipt(user.userId, 'scrub-0001', idsOf(message));
    expect(await stored(`${user.userId}#scrub-0001`)).toEqual({ receiptKey: `${user.userId}#scrub-0001`, ...idsOf(message), expiresAt: 1 });

    const current = newMessage({ roomId: 'receipts', author: user, body: 'new style' });
    await claimReceipt(user.userId, 'scrub-0002', current, Date.UTC(2030, 0, 1));
    const before = await stored(`${user.userId}#scrub-0002`);
    await scrubReceipt(user.userId, 'scrub-0002', { ...idsOf(current), authorName: 'Changed' });
    expect(await stored(`${user.userId}#scrub-0002`)).toEqual(before);

    await scrubReceipt(user.userId, 'scrub-none', idsOf(current));
    expect(await stored(`${user.userId}#scrub-none`)).toBeUndefined();
  });
});
