/**
 * ChatSession staying true across outages and odd answers, on the real local stack: counts that moved while the
 * socket was down come back with the room list, a room lost while away is noticed when its subscription is
 * refused, a reply jump targets the original, unknown mentioned people are looked up once, and the read position
 * still moves over HTTP when the socket is down.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { testUser } from '../../amplify/local/testing';
import { describe, expect, it } from 'vitest';
import { holdTickets, until, useClientStack } from './client-stack';

const ctx = useClientStack();

describe('ChatSession across outages', () => {
  it('unread counts that moved while the socket was down come back with the room list after the reconnect', async () => {
    const [reader, writer] = [testUser('SyncReader'), testUser('SyncWriter')];
    const roomId = await ctx.stack.publicRoom(writer, 'sync-counts');
    expect((await ctx.stack.as(reader, `/rooms/${roomId}/membership`, { method: 'PUT' })).status).toBe(200);
    const r = await ctx.kit.tab(reader);
    r.open('general');
    expect(r.list.get(roomId)?.unread).toBe(0);
    const release = holdTickets(r);
    await ctx.stack.restartGateway();
    await until(() => r.status === 'reconnecting');
    for (let i = 0; i < 3; i++) await ctx.kit.post(writer, roomId, `while away ${i}`);
    release();
    await until(() => r.status === 'open' && r.list.get(roomId)?.unread === 3);
    expect(r.list.get(roomId)?.lastMessage?.body).toBe('while away 2');
  });

  it('a private room lost while away: its refused subscription shows the open room as not-found', async () => {
    const [owner, guest] = [testUser('LostOwner'), testUser('LostGuest')];
    const ownerTab = await ctx.kit.tab(owner);
    const g = await ctx.kit.tab(guest);
    const roomId = await ownerTab.create({ name: 'Was here', topic: '', visibility: 'private' });
    await ownerTab.addMember(roomId, guest.sub);
    await until(() => g.list.has(roomId));
    const room = g.open(roomId);
    await until(() => room.access.state === 'member');
    const release = holdTickets(g);
    await ctx.stack.restartGateway();
    await until(() => g.status === 'reconnecting' && ownerTab.status === 'open');
    await ownerTab.removeMember(roomId, guest.sub); // no socket to tell
    release();
    await until(() => room.access.state === 'not-found');
    await until(() => !g.list.has(roomId)); // and the list reloads without it
  });

  it('a reply jump targets the original (a new seq each time); mentions of unknown people read the members once', async () => {
    const [ada, bo, cy] = [testUser('JumpAda'), testUser('JumpBo'), testUser('JumpCy')];
    const roomId = await ctx.stack.publicRoom(ada, 'sync-jump');
    expect((await ctx.stack.as(cy, `/rooms/${roomId}/membership`, { method: 'PUT' })).status).toBe(200);
    const ids = await ctx.kit.seed(roomId, 120, Date.now() - 60_000, 'JumpSeeder');
    const b = await ctx.kit.tab(bo);
    let memberReads = 0;
    const members = b.api.members;
    b.api.members = (...args) => (memberReads++, members(...args));
    const room = b.open(roomId);
    await until(() => room.feed.log.size > 0);
    expect(await b.jumpTo(roomId, ids[3]!)).toBe(true);
    const first = room.target!;
    expect(first.messageId).toBe(ids[3]);
    expect(room.feed.log.has(ids[3]!)).toBe(true);
    expect(await b.jumpTo(roomId, ids[3]!)).toBe(true);
    expect(room.target).toEqual({ messageId: ids[3], seq: first.seq + 1 });

    await room.feed.backToLatest();
    await ctx.kit.post(ada, roomId, `hello <@${cy.sub}>`);
    await until(() => b.nameOf(cy.sub) === 'JumpCy');
    expect(memberReads).toBe(1);
    // Someone who is not a member cannot be found that way: the room's members are read once, not on every message.
    const stranger = testUser('JumpStranger');
    await ctx.kit.post(ada, roomId, `hello <@${stranger.sub}>`);
    await ctx.kit.post(ada, roomId, 'and a third');
    await until(() => room.feed.log.list().at(-1)?.body === 'and a third');
    expect(memberReads).toBe(1);
  });

  it('opening a room marks it read over HTTP when the socket is down', async () => {
    const [reader, writer] = [testUser('HttpReader'), testUser('HttpWriter')];
    const roomId = await ctx.stack.publicRoom(writer, 'sync-http-read');
    expect((await ctx.stack.as(reader, `/rooms/${roomId}/membership`, { method: 'PUT' })).status).toBe(200);
    await ctx.kit.post(writer, roomId, 'read me');
    const r = await ctx.kit.tab(reader);
    await until(() => r.list.get(roomId)?.unread === 1);
    // The read goes out over HTTP without waiting for it; the test waits for its answer before asking the server.
    const reads: Promise<unknown>[] = [];
    const markRead = r.api.markRead;
    r.api.markRead = (...args) => {
      const sent = markRead(...args);
      reads.push(sent);
      return sent;
    };
    const release = holdTickets(r);
    await ctx.stack.restartGateway();
    await until(() => r.status === 'reconnecting');
    const room = r.open(roomId);
    await until(() => room.feed.log.size === 1 && r.list.get(roomId)?.unread === 0 && reads.length === 1);
    await reads[0];
    // The server has it: another tab's list says so.
    const other = await ctx.kit.tab(reader);
    expect(other.list.get(roomId)?.unread).toBe(0);
    release();
  });
});
