/**
 * A room's fan-out against real dynalite and the gateway's real `@connections`: every post counted as delivered,
 * gone (410: the socket's rows go) or failed (any other refusal: its rows stay), excluded sockets skipped, and a
 * capped fan-out (typing) that sends nothing once more people are online than its cap.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack, type TestUser } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type ServerFrame } from '../../lib/protocol';
import { broadcast } from './broadcast';
import { saveConnection } from './connections';
import { putSubscriptions } from './subscriptions';
import { CONNECTIONS_TABLE, SUBSCRIPTIONS_TABLE } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const chatUser = (u: TestUser) => ({ userId: u.sub, displayName: u.preferred_username });
const subscribedIn = async (roomId: string) =>
  (await stack.scan(SUBSCRIPTIONS_TABLE.envVar)).filter((s) => s.roomId === roomId).map((s) => String(s.connectionId)).sort();
const typingFrame = (roomId: string, displayName = 'Ada'): ServerFrame => ({ type: 'typing', roomId, user: { userId: 'u-ada', displayName } });

describe('broadcast', () => {
  it('counts each post: delivered, gone (its rows go) or failed (its rows stay); excluded sockets get nothing', async () => {
    const roomId = await stack.publicRoom(testUser('FanOwner'), 'fan-count');
    const [ann, ben, cat] = [testUser('FanAnn'), testUser('FanBen'), testUser('FanCat')];
    const a = await stack.connect(ann, roomId);
    const b = await stack.connect(ben, roomId);
    const c = await stack.connect(cat, roomId);
    const [idA, idB, idC] = await Promise.all([ann, ben, cat].map((u) => stack.connectionIdOf(u)));
    // A socket that vanished without $disconnect: its rows are there, the gateway does not know it.
    const ghost = testUser('FanGhost');
    await saveConnection('GhostConn000=', chatUser(ghost), Date.now() - 60_000);
    await putSubscriptions('GhostConn000=', chatUser(ghost), [roomId]);

    expect(await broadcast(roomId, typingFrame(roomId), { exclude: [idC!] })).toEqual({ delivered: 2, gone: 1, failed: 0 });
    for (const s of [a, b]) await s.next((f) => f.type === 'typing');
    expect(await subscribedIn(roomId)).toEqual([idA!, idB!, idC!].sort());
    expect((await stack.scan(CONNECTIONS_TABLE.envVar)).some((r) => r.connectionId === 'GhostConn000=')).toBe(false);
    await c.settle();
    expect(c.pending().filter((f) => f.type === 'typing')).toEqual([]);

    // Too big for `@connections` (413): failed, and the sockets and their rows stay.
    const huge = typingFrame(roomId, 'x'.repeat(LIMITS.frameMaxBytes));
    expect(await broadcast(roomId, huge)).toEqual({ delivered: 0, gone: 0, failed: 3 });
    expect(await subscribedIn(roomId)).toEqual([idA!, idB!, idC!].sort());
    await Promise.all([a, b, c].map((s) => s.close()));
  });

  it('a capped fan-out reaches everyone at the cap, and no one past it', async () => {
    const roomId = await stack.publicRoom(testUser('CapOwner'), 'fan-cap');
    const people = [testUser('CapOne'), testUser('CapTwo'), testUser('CapThree')];
    const sockets = [];
    for (const p of people) sockets.push(await stack.connect(p, roomId));
    expect(await broadcast(roomId, typingFrame(roomId), { maxOnlineUsers: 3 })).toEqual({ delivered: 3, gone: 0, failed: 0 });
    expect(await broadcast(roomId, typingFrame(roomId), { maxOnlineUsers: 2 })).toEqual({ delivered: 0, gone: 0, failed: 0 });
    for (const s of sockets) {
      await s.settle();
      expect(s.pending().filter((f) => f.type === 'typing')).toHaveLength(1);
    }
    await Promise.all(sockets.map((s) => s.close()));
  });
});
