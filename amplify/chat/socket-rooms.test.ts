/**
 * What one socket does with rooms, against real dynalite and the gateway's real `@connections`: subscribe (each
 * refused room with its code, rows only for the rooms allowed), unsubscribe (this socket only; `left` once the
 * user's last socket is out), and typing (one fan-out per socket and room a second, members' sockets only).
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestSocket, type TestStack, type TestUser } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, Paths } from '../../lib/protocol';
import { typing } from './socket-rooms';
import { SUBSCRIPTIONS_TABLE } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const chatUser = (u: TestUser) => ({ userId: u.sub, displayName: u.preferred_username });
const rowsOf = async (connectionId: string) =>
  (await stack.scan(SUBSCRIPTIONS_TABLE.envVar)).filter((s) => s.connectionId === connectionId).map((s) => String(s.roomId)).sort();
/** Nothing but presence arrived (checked after a round trip). */
async function nothingBut(socket: TestSocket, type: string) {
  await socket.settle();
  expect(socket.pending().filter((f) => f.type !== type && f.type !== 'presenceDelta')).toEqual([]);
}

describe('subscribe', () => {
  it('follows the rooms the user may read and refuses each other one with its code; rows only for those followed', async () => {
    const [owner, user] = [testUser('SubOwner'), testUser('SubUser')];
    const secret = await stack.privateRoom(owner, 'not theirs');
    const mine = await stack.privateRoom(user, 'theirs');
    await stack.publicRoom(owner, 'sub-public');
    const socket = await stack.connect(user);
    const connectionId = await stack.connectionIdOf(user);
    const long = `bad room ${'x'.repeat(300)}`;
    const answer = await socket.subscribe(['Bad Room', long, 'no-such-room', secret, mine, 'sub-public', mine]);
    expect(answer.roomIds).toEqual([mine, 'sub-public']);
    expect(answer.refused.map((r) => [r.roomId, r.code])).toEqual([
      ['Bad Room', ErrorCode.BadRoom],
      [long.slice(0, 140), ErrorCode.BadRoom],
      ['no-such-room', ErrorCode.NotFound],
      [secret, ErrorCode.NotFound],
    ]);
    expect(answer.refused.every((r) => r.message.length > 0)).toBe(true);
    expect(await rowsOf(connectionId)).toEqual([mine, 'sub-public'].sort());
    await socket.close();
  });
});

describe('unsubscribe', () => {
  it("stops this socket only; the room hears 'left' once the user's last socket is out", async () => {
    const [ada, bo] = [testUser('UnsubAda'), testUser('UnsubBo')];
    const roomId = await stack.publicRoom(ada, 'unsub-room');
    expect((await stack.as(bo, Paths.membership(roomId), { method: 'PUT' })).status).toBe(200);
    const watcher = await stack.connect(ada, roomId);
    const first = await stack.connect(bo, roomId);
    const second = await stack.connect(bo, roomId);
    await watcher.next((f) => f.type === 'presenceDelta' && f.joined.some((u) => u.userId === bo.sub));

    first.send({ action: 'unsubscribe', roomIds: [roomId, 'never-followed'] });
    expect(await first.next((f) => f.type === 'unsubscribed')).toEqual({ type: 'unsubscribed', roomIds: [roomId] });
    const post = await stack.as(ada, Paths.roomMessages(roomId), { method: 'POST', body: { body: 'after the first left' } });
    expect(post.status).toBe(201);
    await second.next((f) => f.type === 'message');
    await nothingBut(first, 'unsubscribed');
    await nothingBut(watcher, 'message'); // bo is still there on another socket: no "left"

    second.send({ action: 'unsubscribe', roomIds: [roomId] });
    await second.next((f) => f.type === 'unsubscribed');
    expect(await watcher.next((f) => f.type === 'presenceDelta')).toEqual({ type: 'presenceDelta', roomId, joined: [], left: [chatUser(bo)] });
    await Promise.all([watcher, first, second].map((s) => s.close()));
  });
});

describe('typing', () => {
  it('fans out once per socket and room a second: exactly 1 s later again; another socket or room is its own', async () => {
    const [ada, bo] = [testUser('TypeAda'), testUser('TypeBo')];
    const roomId = await stack.publicRoom(ada, 'typing-gap');
    const other = await stack.publicRoom(ada, 'typing-gap-2');
    const listener = await stack.connect(bo, roomId);
    const t0 = Date.now();
    expect(await typing('conn-a', chatUser(ada), roomId, t0)).toBe(true);
    expect(await typing('conn-a', chatUser(ada), roomId, t0 + 999)).toBe(false);
    expect(await typing('conn-b', chatUser(ada), roomId, t0 + 999)).toBe(true); // another socket
    expect(await typing('conn-a', chatUser(ada), other, t0 + 999)).toBe(true); // another room
    expect(await typing('conn-a', chatUser(ada), roomId, t0 + 1_000)).toBe(true);
    await listener.settle();
    expect(listener.pending().filter((f) => f.type === 'typing')).toHaveLength(3);
    await listener.close();
  });
});
