/**
 * The change log against real dynalite: numbered per room from 1, read after `since` oldest first with `hasMore`
 * exact at the page edge, a message changed twice in a page once (at its latest number, as it is now), and a change
 * of a message whose row is gone left out while `nextSince` still moves past it.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchPut } from './db';
import { currentChangeSeq, listChanges, recordChange, recordIfLate } from './changes';
import { LIMITS } from '../../lib/protocol';
import { decodeTime } from 'ulid';
import { GAP_OVERLAP_MS } from '../../lib/chat/gap-fill';
import { SHARD_MAX_AGE_MS } from './fanout-shards';
import { newMessage, toItem } from './messages';
import { MESSAGES_TABLE, requiredEnv } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

async function messages(roomId: string, n: number) {
  const rows = Array.from({ length: n }, (_, i) => newMessage({ roomId, author: { userId: 'u1', displayName: 'U' }, body: `m${i}` }, Date.UTC(2031, 0, 1) + i));
  await batchPut(requiredEnv(MESSAGES_TABLE.envVar), rows.map(toItem));
  return rows.map((m) => m.messageId);
}

describe('changes', () => {
  it('numbers a room’s changes from 1 and pages them with hasMore exact at the edge', async () => {
    const ids = await messages('ch-page', 3);
    expect(await currentChangeSeq('ch-page')).toBe(0);
    for (const id of ids) await recordChange('ch-page', id, 'edited');
    expect(await currentChangeSeq('ch-page')).toBe(3);
    const all = await listChanges('ch-page', 0, 3);
    expect(all.changes.map((c) => [c.seq, c.message.messageId])).toEqual([[1, ids[0]], [2, ids[1]], [3, ids[2]]]);
    expect(all).toMatchObject({ nextSince: 3, hasMore: false });
    expect(await listChanges('ch-page', 0, 2)).toMatchObject({ nextSince: 2, hasMore: true });
    expect(await listChanges('ch-page', 3, 5)).toEqual({ changes: [], nextSince: 3, hasMore: false });
  });

  it('gives a message changed twice in a page once, at its latest number; a change of a vanished row is left out', async () => {
    const [a, b] = await messages('ch-dedupe', 2);
    await recordChange('ch-dedupe', a!, 'edited');
    await recordChange('ch-dedupe', b!, 'reaction');
    await recordChange('ch-dedupe', a!, 'deleted');
    await recordChange('ch-dedupe', 'no-such-message', 'edited');
    const page = await listChanges('ch-dedupe', 0, 10);
    expect(page.changes.map((c) => [c.seq, c.change, c.message.messageId])).toEqual([
      [2, 'reaction', b],
      [3, 'deleted', a],
    ]);
    expect(page.nextSince).toBe(4);
  });

  it('records a message as stored only when it is fanned out more than lateStoreMs after its id’s time', async () => {
    const [id] = await messages('ch-late', 1);
    const at = decodeTime(id!);
    expect(await recordIfLate('ch-late', id!, at + LIMITS.lateStoreMs)).toBeUndefined();
    expect(await currentChangeSeq('ch-late')).toBe(0);
    expect(await recordIfLate('ch-late', id!, at + LIMITS.lateStoreMs + 1)).toBe(1);
    expect((await listChanges('ch-late', 0, 10)).changes).toEqual([{ seq: 1, change: 'stored', message: expect.objectContaining({ messageId: id }) }]);
  });

  it('a message on time by lateStoreMs, then posted as late as a shard may be, still lands inside the read-back overlap', () => {
    // Checked when the fan-out starts; a big room's shard may then be posted up to SHARD_MAX_AGE_MS later.
    expect(LIMITS.lateStoreMs + SHARD_MAX_AGE_MS).toBeLessThanOrEqual(GAP_OVERLAP_MS);
    expect(LIMITS.lateStoreMs).toBeGreaterThan(0);
  });
});
