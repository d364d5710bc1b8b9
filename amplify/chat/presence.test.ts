/**
 * Presence from live connection rows, against real dynalite and the gateway's real `@connections`: one
 * entry per user, and a user whose socket died without $disconnect drops out (by heartbeat TTL, or when
 * a fan-out meets the 410 and removes the row).
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../lib/protocol';
import { broadcast } from './broadcast';
import { CONNECT_GRACE_MS, saveConnection } from './connections';
import { presenceFrame, roomPresence } from './presence';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const userIds = async (roomId: string, now?: number) => (await roomPresence(roomId, {}, now)).users.map((u) => u.userId).sort();
const person = (name: string) => {
  const user = testUser(name);
  return { user, chatUser: { userId: user.sub, displayName: name } };
};

describe('presence', () => {
  it('lists each user once, sorted by name', () => {
    const rows = [
      { connectionId: 'c1', userId: 'u-zed', displayName: 'Zed' },
      { connectionId: 'c2', userId: 'u-amy', displayName: 'Amy' },
      { connectionId: 'c3', userId: 'u-zed', displayName: 'Zed' },
    ];
    expect(presenceFrame('room', rows)).toEqual({
      type: 'presence',
      roomId: 'room',
      users: [
        { userId: 'u-amy', displayName: 'Amy' },
        { userId: 'u-zed', displayName: 'Zed' },
      ],
    });
  });

  it('counts a joining row the index may not show yet, and not a leaving row it still shows', async () => {
    const [stays, leaves, joins] = [person('Stays'), person('Leaves'), person('Joins')];
    await saveConnection('StaysConn000=', 'change-room', stays.chatUser);
    await saveConnection('LeavesConn00=', 'change-room', leaves.chatUser);
    const joining = { connectionId: 'JoinsConn000=', ...joins.chatUser };
    const frame = await roomPresence('change-room', { joining, leavingConnectionId: 'LeavesConn00=' });
    expect(frame.users.map((u) => u.displayName)).toEqual(['Joins', 'Stays']);
  });

  it('drops a user whose socket died without $disconnect once the heartbeat TTL lapses', async () => {
    const [live, dead] = [person('Live'), person('Dead')];
    const now = Date.now();
    await saveConnection('LiveConn0000=', 'ttl-room', live.chatUser, now);
    // The last ping was longer ago than connectionFreshMs: the row lingers (TTL lag) but no longer counts.
    await saveConnection('DeadConn0000=', 'ttl-room', dead.chatUser, now - LIMITS.connectionFreshMs - 1000);
    expect(await userIds('ttl-room', now)).toEqual([live.user.sub]);
    // And a row that has simply not been refreshed in time stops counting at its expiry.
    expect(await userIds('ttl-room', now + LIMITS.connectionFreshMs + 1000)).toEqual([]);
  });

  it('drops a user whose socket the gateway no longer knows after a fan-out meets its 410', async () => {
    const [reader, ghost] = [person('Reader'), person('Ghost')];
    const socket = await stack.connect(reader.user, 'ghost-room');
    // Left behind by a socket that vanished without $disconnect, past the $connect grace, TTL not yet lapsed.
    await saveConnection('GhostConn000=', 'ghost-room', ghost.chatUser, Date.now() - CONNECT_GRACE_MS - 1000);
    expect(await userIds('ghost-room')).toEqual([reader.user.sub, ghost.user.sub].sort());

    expect(await broadcast('ghost-room', { type: 'pong' })).toEqual({ delivered: 1, gone: 1, failed: 0 });
    expect(await userIds('ghost-room')).toEqual([reader.user.sub]);
    // The reader asking sees the same.
    socket.send({ action: 'presence' });
    expect(await socket.next((f) => f.type === 'presence')).toEqual({
      type: 'presence',
      roomId: 'ghost-room',
      users: [{ userId: reader.user.sub, displayName: 'Reader' }],
    });
    await socket.close();
  });
});
