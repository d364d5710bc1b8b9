/**
 * ChatSession's reply jumps and first state, on the real local stack: a jump replaced by a later one is not an
 * error (the later one is the target), a jump whose history cannot be read says so and drops its target, and a tab
 * starts out "connecting".
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { testUser } from '../../amplify/local/testing';
import { describe, expect, it } from 'vitest';
import { Paths } from '../protocol';
import { until, useClientStack } from './client-stack';

const ctx = useClientStack();

describe('ChatSession reply jumps', () => {
  it('a jump replaced by a later one is no error: the later one is the target', async () => {
    const owner = testUser('JumpReplacedOwner');
    await ctx.stack.publicRoom(owner, 'jump-replaced');
    // Seconds apart: opening the room reads the newest page (and its overlap), not the whole history.
    const ids = await ctx.kit.seed('jump-replaced', 400, Date.now() - 900_000, 'Seeder', 2_000);
    const reader = testUser('JumpReplacedReader'); // joins now: everything before is read, the room opens at the newest
    expect((await ctx.stack.as(reader, Paths.membership('jump-replaced'), { method: 'PUT' })).status).toBe(200);
    const t = await ctx.kit.tab(reader);
    const room = t.open('jump-replaced');
    await until(() => room.feed.log.size > 0);
    expect(room.feed.log.has(ids[5]!)).toBe(false);
    const first = t.jumpTo('jump-replaced', ids[5]!);
    const second = t.jumpTo('jump-replaced', ids[200]!);
    expect(await first).toBe(false);
    expect(await second).toBe(true);
    expect([room.target?.messageId, t.error]).toEqual([ids[200], undefined]);
  });

  it('a jump whose history cannot be read says so and drops its target', async () => {
    const down: typeof fetch = async (input, init) => {
      if (String(input).includes('around=')) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    const owner = testUser('JumpDownOwner');
    await ctx.stack.publicRoom(owner, 'jump-down');
    const ids = await ctx.kit.seed('jump-down', 150, Date.now() - 400_000, 'Seeder', 2_000);
    const reader = testUser('JumpDownReader');
    expect((await ctx.stack.as(reader, Paths.membership('jump-down'), { method: 'PUT' })).status).toBe(200);
    const t = await ctx.kit.tab(reader, true, down);
    const room = t.open('jump-down');
    await until(() => room.feed.log.size > 0);
    expect(await t.jumpTo('jump-down', ids[0]!)).toBe(false);
    expect(room.target).toBeUndefined();
    expect(t.error).toMatch(/could not be reached/);
  });

  it('a tab starts out connecting, with nothing to report', async () => {
    const t = await ctx.kit.tab(testUser('Fresh'), false);
    expect([t.status, t.error, t.outdated, t.list.loaded]).toEqual(['connecting', undefined, false, false]);
  });
});
