/**
 * Unread/mention counts and previews derived at read time, against real dynalite: others' messages after the read
 * position only, exact up to 99 then 100 ("99+"), own messages skipped even when they fill whole pages, and the
 * preview always the newest message.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, mentionToken } from '../../lib/protocol';
import { batchPut } from './db';
import { newMessage } from './messages';
import { MESSAGES_TABLE } from './tables';
import { roomActivity } from './unread';

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
