/**
 * Unread/mention counts and previews derived at read time, against real dynalite: others' messages after the read
 * position only, exact up to 99 then 100 ("99+"), own messages skipped even when they fill whole pages, and the
 * preview always the newest message.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, type TestStack } from '../local/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, mentionToken } from '../../lib/protocol';
import { batchPut, db } from './db';
import { newMessage } from './messages';
import { MESSAGES_TABLE } from './tables';
import { roomActivity, toPreview } from './unread';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const me = { userId: 'me-0000', displayName: 'Me' };
const other = { userId: 'other-0000', displayName: 'Other' };
/** Stores messages (author, body) one millisecond apart from `t0`; returns their ids in order. */
async function store(roomId: string, rows: Array<[typeof me, string]>, t0 = Date.now()): Promise<string[]> {
  const messages = rows.map(([author, body], i) => newMessage({ roomId, author, body }, t0 + i));
  await batchPut(stack.dynamo.tableNames[MESSAGES_TABLE.envVar]!, messages);
  return messages.map((m) => m.messageId);
}

describe('roomActivity', () => {
  it('counts only others\' messages after the read position, with mentions, and previews the newest', async () => {
    const ids = await store('unread-a', [
      [other, 'before'],
      [other, 'after 1'],
      [me, 'mine'],
      [other, `hi ${mentionToken(me.userId)}`],
    ]);
    expect(await roomActivity('unread-a', me.userId, ids[0])).toEqual({
      unread: 2,
      mentions: 1,
      lastMessage: expect.objectContaining({ messageId: ids[3], body: `hi ${mentionToken(me.userId)}` }),
    });
    expect(await roomActivity('unread-a', me.userId, undefined)).toMatchObject({ unread: 3, mentions: 1 });
    // Read to the end: nothing unread, the preview still the newest message.
    expect(await roomActivity('unread-a', me.userId, ids[3])).toEqual({ unread: 0, mentions: 0, lastMessage: expect.objectContaining({ messageId: ids[3] }) });
    expect(await roomActivity('unread-empty', me.userId, undefined)).toEqual({ unread: 0, mentions: 0, lastMessage: null });
  });

  it('is exact at 99, says 100 ("99+") above, and skips whole pages of own messages', async () => {
    await store('unread-b', Array.from({ length: LIMITS.unreadCountCap }, (_, i) => [other, `o${i}`] as [typeof me, string]));
    expect((await roomActivity('unread-b', me.userId, undefined)).unread).toBe(LIMITS.unreadCountCap);
    await store('unread-b', [[other, 'one more']], Date.now() + 1000);
    expect((await roomActivity('unread-b', me.userId, undefined)).unread).toBe(LIMITS.unreadCountCap + 1);

    // 3 from others, then 250 of my own on top: still exactly 3.
    const t0 = Date.now();
    await store('unread-c', [[other, 'x'], [other, 'y'], [other, 'z']], t0);
    await store('unread-c', Array.from({ length: 250 }, (_, i) => [me, `mine ${i}`] as [typeof me, string]), t0 + 10);
    expect(await roomActivity('unread-c', me.userId, undefined)).toMatchObject({ unread: 3, lastMessage: { body: 'mine 249' } });
  });
});

describe('roomActivity requests', () => {
  const MIDDLEWARE = 'countQueries';
  afterEach(() => void db().middlewareStack.remove(MIDDLEWARE));
  /** Every Query from here on: its Limit and whether it only counts. */
  function queries(): { limit?: number; count: boolean; after: boolean }[] {
    const seen: { limit?: number; count: boolean; after: boolean }[] = [];
    db().middlewareStack.add(
      (next, context) => (args) => {
        const input = args.input as { Limit?: number; Select?: string; KeyConditionExpression?: string };
        if (context.commandName === 'QueryCommand') seen.push({ limit: input.Limit, count: input.Select === 'COUNT', after: !!input.KeyConditionExpression?.includes('>') });
        return next(args);
      },
      { step: 'initialize', name: MIDDLEWARE, priority: 'high' },
    );
    return seen;
  }
  const others = (n: number, body = (i: number) => `o${i}`) => Array.from({ length: n }, (_, i) => [other, body(i)] as [typeof me, string]);
  const mine = (n: number) => Array.from({ length: n }, (_, i) => [me, `mine ${i}`] as [typeof me, string]);

  it('usually reads ONE page: the unread ones, mentions counted from them, the newest as the preview', async () => {
    const ids = await store('unread-one', [[other, 'read'], ...others(5, (i) => (i % 2 ? `${mentionToken(me.userId)} ${i}` : `x ${i}`))]);
    const seen = queries();
    expect(await roomActivity('unread-one', me.userId, ids[0])).toMatchObject({ unread: 5, mentions: 2 });
    expect(seen).toEqual([{ limit: LIMITS.unreadCountCap + 1, count: false, after: true }]);
  });

  it('reads the preview with one more Query of ONE message when nothing is unread, and none without a read position', async () => {
    const ids = await store('unread-none', others(3));
    const seen = queries();
    expect(await roomActivity('unread-none', me.userId, ids[2])).toEqual({ unread: 0, mentions: 0, lastMessage: expect.objectContaining({ messageId: ids[2] }) });
    expect(seen).toEqual([
      { limit: LIMITS.unreadCountCap + 1, count: false, after: true },
      { limit: 1, count: false, after: false },
    ]);
    seen.length = 0;
    expect(await roomActivity('unread-empty-2', me.userId, undefined)).toEqual({ unread: 0, mentions: 0, lastMessage: null });
    expect(seen).toHaveLength(1);
  });

  it('above the cap stops reading and counts mentions exactly with one COUNT of the mention index', async () => {
    // 150 unread from others (the older 100 mention me, beyond the first page), my 50 on top.
    const t0 = Date.now();
    await store('unread-cap', others(100, (i) => `${mentionToken(me.userId)} early ${i}`), t0);
    await store('unread-cap', others(50), t0 + 200);
    await store('unread-cap', mine(50), t0 + 400);
    const seen = queries();
    const activity = await roomActivity('unread-cap', me.userId, undefined);
    // Page 1: my 50 and 50 of others; page 2 reaches the cap (never more than 100).
    expect(activity.unread).toBe(LIMITS.unreadCountCap + 1);
    expect(seen.filter((q) => !q.count)).toHaveLength(2);
    expect(seen.filter((q) => q.count)).toHaveLength(1);
  });

  it('gives up after 4 pages of own messages: what is below them is not counted (and no COUNT is made)', async () => {
    const t0 = Date.now();
    await store('unread-own', others(3), t0);
    await store('unread-own', mine(4 * (LIMITS.unreadCountCap + 1) + 20), t0 + 10);
    const seen = queries();
    expect(await roomActivity('unread-own', me.userId, undefined)).toMatchObject({ unread: 0, mentions: 0, lastMessage: { body: 'mine 419' } });
    expect(seen).toHaveLength(4);
  });
});

describe('toPreview', () => {
  const base = { messageId: 'm1', authorId: 'u1', authorName: 'Ada', createdAt: '2030-01-01T00:00:00.000Z' };
  it('keeps the first 120 characters (an emoji is one), none of a deleted message, and says it was deleted', () => {
    const long = `${'🙂'.repeat(110)}${'y'.repeat(40)}`;
    expect(toPreview({ ...base, body: long })).toEqual({ ...base, body: `${'🙂'.repeat(110)}${'y'.repeat(10)}` });
    expect(toPreview({ ...base, body: 'short' })).toEqual({ ...base, body: 'short' });
    expect(toPreview({ ...base, body: 'gone', deletedAt: '2030-01-02T00:00:00.000Z' })).toEqual({ ...base, body: '', deleted: true });
    expect(toPreview({ ...base })).toEqual({ ...base, body: '' });
  });
});
