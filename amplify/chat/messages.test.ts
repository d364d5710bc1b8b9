/**
 * History paging against real dynalite, checked exhaustively against a plain model of a sorted list: every message
 * of a 7-message room as the centre of `listAround` with every limit, every start of `listFrom`, and `listMessages`
 * with every `before`/`after` pair (exclusive ends, an empty page when they cross) — exact pages and cursors, so an
 * off-by-one in any bound shows.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/protocol';
import { batchPut } from './db';
import { decodeTime } from 'ulid';
import { listAround, listFrom, listMessages, messageNotFound, newMessage, newestMessageId, resetMessageIds } from './messages';
import { MESSAGES_TABLE, requiredEnv } from './tables';

/** An id of the same shape that no stored message has: the last character changed. */
const otherId = (id: string) => `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;

let stack: TestStack;
const ROOM = 'paging';
const N = 7;
let ids: string[] = [];
beforeAll(async () => {
  stack = await startTestStack();
  const messages = Array.from({ length: N }, (_, i) => newMessage({ roomId: ROOM, author: { userId: 'u1', displayName: 'U' }, body: `m${i}` }, Date.UTC(2031, 0, 1) + i * 1000));
  await batchPut(requiredEnv(MESSAGES_TABLE.envVar), messages.map((m) => ({ ...m, reactions: {} })));
  ids = messages.map((m) => m.messageId);
});
afterAll(() => stack?.stop());

/** Model: ids[from..to] (inclusive, clamped), newest first. */
const span = (from: number, to: number) => ids.slice(Math.max(0, from), Math.min(N - 1, to) + 1).reverse();
const idsOf = (page: { messages: { messageId: string }[] }) => page.messages.map((m) => m.messageId);

describe('message ids', () => {
  it('are monotonic per container; a reset starts from the clock again (a test that made ids at a made-up time)', () => {
    const author = { userId: 'u1', displayName: 'Ada' };
    resetMessageIds(); // this file's set-up made ids in 2031 already
    const later = Date.UTC(2032, 0, 1);
    const first = newMessage({ roomId: 'r', author, body: 'a' }, later);
    const now = Date.now();
    // Monotonic: an id made after one from 2031 still sorts after it, so it keeps 2031's time.
    const next = newMessage({ roomId: 'r', author, body: 'b' }, now).messageId;
    expect(next > first.messageId).toBe(true);
    expect(decodeTime(next)).toBe(later);
    resetMessageIds();
    expect(decodeTime(newMessage({ roomId: 'r', author, body: 'c' }, now).messageId)).toBe(now);
  });
});

describe('listAround', () => {
  it('gives the message, ⌊limit/2⌋ older and the rest newer, with exact cursors, for every message and limit', async () => {
    for (let k = 0; k < N; k++) {
      for (let limit = 1; limit <= N + 1; limit++) {
        const older = Math.floor(limit / 2);
        const newer = limit - 1 - older;
        const page = await listAround(ROOM, ids[k]!, limit);
        const expected = span(k - older, k + newer);
        expect(idsOf(page), `k=${k} limit=${limit}`).toEqual(expected);
        expect(page.nextBefore, `k=${k} limit=${limit}`).toBe(k - older > 0 ? expected.at(-1) : null);
        // With no room for newer ones, whether any exist is unknown: the cursor is offered.
        expect(page.nextAfter, `k=${k} limit=${limit}`).toBe(newer === 0 || k + newer < N - 1 ? expected[0] : null);
      }
    }
  });

  it('is MESSAGE_NOT_FOUND for an id not in the room (even one between two that are)', async () => {
    await expect(listAround(ROOM, otherId(ids[3]!), 5)).rejects.toMatchObject({ code: ErrorCode.MessageNotFound });
    await expect(listAround('paging-other', ids[3]!, 5)).rejects.toMatchObject({ code: ErrorCode.MessageNotFound });
    expect(messageNotFound()).toMatchObject({ code: ErrorCode.MessageNotFound, message: expect.stringMatching(/^That message is not in this room any more/) });
  });
});

describe('listFrom', () => {
  it('gives the `limit` messages after `from`, with exact cursors, for every start and limit', async () => {
    for (let f = 0; f < N; f++) {
      for (let limit = 1; limit <= N; limit++) {
        const page = await listFrom(ROOM, ids[f]!, limit);
        const expected = span(f + 1, f + limit);
        expect(idsOf(page), `f=${f} limit=${limit}`).toEqual(expected);
        expect(page.nextBefore).toBe(expected.length ? expected.at(-1) : ids[f]);
        expect(page.nextAfter, `f=${f} limit=${limit}`).toBe(f + limit < N - 1 ? expected[0] : null);
      }
    }
  });
});

describe('listMessages', () => {
  it('pages newest first below `before` and above `after` (both exclusive), for every pair and limit', async () => {
    const bounds = [undefined, ...ids.keys()];
    for (const b of bounds) {
      for (const a of bounds) {
        for (const limit of [1, 2, 3, N]) {
          const before = b === undefined ? undefined : ids[b];
          const after = a === undefined ? undefined : ids[a];
          const page = await listMessages(ROOM, { limit, before, after });
          const hi = b === undefined ? N - 1 : b - 1;
          const lo = a === undefined ? 0 : a + 1;
          const all = lo <= hi ? span(lo, hi) : [];
          const expected = all.slice(0, limit);
          const label = `before=${b} after=${a} limit=${limit}`;
          expect(idsOf(page), label).toEqual(expected);
          expect(page.nextBefore, label).toBe(all.length > limit ? expected.at(-1) : null);
        }
      }
    }
  });

  it('knows the newest id of a room, and none of an empty one', async () => {
    expect(await newestMessageId(ROOM)).toBe(ids[N - 1]);
    expect(await newestMessageId('paging-empty')).toBeUndefined();
  });
});
