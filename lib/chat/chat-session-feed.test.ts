/**
 * ChatSession and the feeds of its rooms, on the real local stack: names learnt from history, an edit made while the
 * socket was down shown after the reconnect (the changes feed), and a room whose history cannot be read put into
 * words while it is on screen.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { testUser } from '../../amplify/local/testing';
import { describe, expect, it } from 'vitest';
import { Paths } from '../protocol';
import { holdTickets, until, useClientStack } from './client-stack';

const ctx = useClientStack();

describe('ChatSession and its feeds', () => {
  it('learns the names of the authors in a room\'s history', async () => {
    const [reader, owner] = [testUser('NamesReader'), testUser('NamesOwner')];
    const roomId = await ctx.stack.publicRoom(owner, 'feed-names');
    await ctx.kit.seed(roomId, 3, Date.now() - 60_000, 'HistoryAuthor');
    await ctx.kit.post(owner, roomId, 'the last word');
    const r = await ctx.kit.tab(reader);
    const authorId = (await r.api.getMessages(roomId)).messages.find((m) => m.authorName === 'HistoryAuthor')!.authorId;
    expect(r.nameOf(authorId)).toBeUndefined();
    const room = r.open(roomId);
    await until(() => room.feed.log.size === 4);
    expect(r.nameOf(authorId)).toBe('HistoryAuthor');
  });

  it('an edit made while the socket was down shows after the reconnect', async () => {
    const [reader, writer] = [testUser('AwayReader'), testUser('AwayWriter')];
    const roomId = await ctx.stack.publicRoom(writer, 'feed-away');
    expect((await ctx.stack.as(reader, Paths.membership(roomId), { method: 'PUT' })).status).toBe(200);
    // Two minutes old, a minute before the newest: beyond the reconnect's read-back of recent messages (gap-fill's
    // overlap), so only the changes feed can bring its edit.
    const [old] = await ctx.kit.seed(roomId, 1, Date.now() - 120_000, writer);
    await ctx.kit.seed(roomId, 1, Date.now() - 60_000, 'Later');
    const r = await ctx.kit.tab(reader);
    const room = r.open(roomId);
    await until(() => room.feed.log.size === 2);
    const release = holdTickets(r);
    await ctx.stack.restartGateway();
    await until(() => r.status === 'reconnecting');
    const w = await ctx.kit.tab(writer);
    w.edit(roomId, old!, 'edited while you were away');
    await until(async () => (await w.api.getMessages(roomId)).messages.some((m) => m.body === 'edited while you were away'));
    release();
    await until(() => room.feed.log.list()[0]?.body === 'edited while you were away');
  });

  it("a room whose history cannot be read: the problem in words while it is on screen, the room kept", async () => {
    let failing = true;
    const flaky: typeof fetch = async (input, init) => {
      if (failing && String(input).includes('/rooms/feed-unreadable/messages')) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    const owner = testUser('UnreadableOwner');
    const roomId = await ctx.stack.publicRoom(owner, 'feed-unreadable');
    await ctx.kit.post(owner, roomId, 'you cannot see me yet');
    const t = await ctx.kit.tab(owner, true, flaky);
    const room = t.open(roomId);
    await until(() => t.error !== undefined);
    expect(t.error).toMatch(/could not be reached/);
    expect([t.room(roomId), room.access.state, t.list.has(roomId)]).toEqual([room, 'member', true]);
    failing = false;
    t.dismissError();
    t.open('general');
    t.open(roomId);
    await until(() => room.feed.log.size === 1);
  });
});
