/**
 * ChatSession at the edges, on the real local stack (and, for a frame the real server sends only in a rare moment,
 * a scripted socket): a room not on screen reads back only when shown again after a reconnect, reopening the open
 * preview keeps its state, the last editable message respects the edit window, the people the tab knows come from
 * ten rooms at most, and a message waiting in a room that is lost fails in words.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { testUser } from '../../amplify/local/testing';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createChatApi, type HistoryOptions } from '../api';
import { ErrorCode, Paths } from '../protocol';
import { ChatSession } from './chat-session';
import { until, useClientStack } from './client-stack';
import { startTestServer } from './test-server';

const ctx = useClientStack();

const DAY = 24 * 60 * 60 * 1000;

/** Records the rooms whose history `session` reads. */
function historyReads(session: ChatSession): string[] {
  const rooms: string[] = [];
  const original = session.api.getMessages;
  session.api.getMessages = (roomId: string, options?: HistoryOptions) => (rooms.push(roomId), original(roomId, options));
  return rooms;
}

describe('ChatSession at the edges', () => {
  it('after a reconnect the room on screen reads back at once; a room not on screen only when shown again', async () => {
    const user = testUser('BackUser');
    for (const roomId of ['back-shown', 'back-hidden']) {
      await ctx.stack.publicRoom(user, roomId);
      await ctx.kit.post(user, roomId, `hello ${roomId}`);
    }
    const t = await ctx.kit.tab(user);
    const hidden = t.open('back-hidden');
    await until(() => hidden.feed.log.size === 1);
    const shown = t.open('back-shown');
    await until(() => shown.feed.log.size === 1);
    const reads = historyReads(t);
    await ctx.stack.restartGateway();
    await until(() => reads.includes('back-shown') && t.status === 'open');
    // Well after the reconnect (a message sent after it has arrived), the hidden room has still read nothing.
    await ctx.kit.post(user, 'back-shown', 'after the reconnect');
    await until(() => shown.feed.log.size === 2);
    expect(reads).not.toContain('back-hidden');
    t.open('back-hidden');
    await until(() => reads.includes('back-hidden'));
  });

  it('opening the open preview again keeps its state', async () => {
    const [owner, visitor] = [testUser('AgainOwner'), testUser('AgainVisitor')];
    await ctx.stack.publicRoom(owner, 'again-preview');
    const v = await ctx.kit.tab(visitor);
    const preview = v.open('again-preview');
    await until(() => preview.access.state === 'preview');
    expect(v.open('again-preview')).toBe(preview);
    expect(v.client.subscriptions).toContain('again-preview');
  });

  it("the last editable message is the person's newest within the edit window (a day), not older", async () => {
    const user = testUser('EditWindow');
    await ctx.stack.publicRoom(user, 'edit-window-old');
    await ctx.kit.seed('edit-window-old', 1, Date.now() - 2 * DAY, user);
    await ctx.stack.publicRoom(user, 'edit-window-new');
    const [fresh] = await ctx.kit.seed('edit-window-new', 1, Date.now() - DAY / 2, user);
    const t = await ctx.kit.tab(user);
    const old = t.open('edit-window-old');
    await until(() => old.feed.log.size === 1);
    expect(t.lastEditable('edit-window-old')).toBeUndefined();
    const recent = t.open('edit-window-new');
    await until(() => recent.feed.log.size === 1);
    expect(t.lastEditable('edit-window-new')?.messageId).toBe(fresh);
    expect(t.lastEditable('never-opened')).toBeUndefined();
  });

  it('the people the tab knows come from the members of ten of its rooms at most', async () => {
    const user = testUser('TenRooms');
    const rooms = Array.from({ length: 12 }, (_, i) => `ten-rooms-${i}`);
    for (const roomId of rooms) {
      await ctx.stack.publicRoom(testUser(`${roomId}-owner`), roomId);
      expect((await ctx.stack.as(user, Paths.membership(roomId), { method: 'PUT' })).status).toBe(200);
    }
    const t = await ctx.kit.tab(user);
    const reads: string[] = [];
    const original = t.api.members;
    t.api.members = (roomId, options) => (reads.push(roomId), original(roomId, options));
    await t.knownPeople();
    expect(new Set(reads).size).toBe(10);
  });

  it('a message waiting in a room that is lost fails in words, not silently', async () => {
    const server = await startTestServer();
    try {
      server.onFrame = (_socket, frame) => (frame.action === 'sendMessage' ? undefined : 'default'); // never acked
      const user = testUser('LostSend');
      await ctx.stack.publicRoom(testUser('LostSendOwner'), 'lost-send');
      expect((await ctx.stack.as(user, Paths.membership('lost-send'), { method: 'PUT' })).status).toBe(200);
      const api = createChatApi(ctx.stack.gateway.httpUrl, () => ctx.stack.tokenFor(user));
      const t = new ChatSession({ api, webSocketUrl: server.url, selfId: user.sub, client: { WebSocket, backoff: { initialMs: 50, maxMs: 500 } } });
      t.start();
      try {
        await until(() => t.status === 'open' && t.list.loaded);
        t.open('general');
        const room = t.open('lost-send');
        t.send('lost-send', 'are you there?');
        await until(() => server.received.some((r) => r.frames.some((f) => f.action === 'sendMessage')));
        for (const socket of server.open()) socket.send(JSON.stringify({ type: 'error', code: ErrorCode.NotFound, message: 'Room not found', roomId: 'lost-send' }));
        await until(() => room.outgoing.list()[0]?.error !== undefined);
        expect(room.outgoing.list()[0]!.error).toMatch(/no longer in this room/);
      } finally {
        t.close();
      }
    } finally {
      await server.stop();
    }
  });
});
