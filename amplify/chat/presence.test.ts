/**
 * Presence per room against real dynalite and the gateway's real `@connections`: members with a live subscribed
 * socket, one entry per user; the paged list on request (live sockets and members only); deltas only on a user's
 * first socket in / last socket out; a socket that died without $disconnect drops out of the list by heartbeat TTL,
 * and with its subscriptions when a fan-out meets its 410.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack, type TestUser } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, Paths, type ServerFrame } from '../../lib/protocol';
import { broadcast } from './broadcast';
import { CONNECT_GRACE_MS, saveConnection } from './connections';
import { addMembership } from './memberships';
import { PRESENCE_PAGE, presencePage } from './presence';
import { putSubscriptions } from './subscriptions';
import { SUBSCRIPTIONS_TABLE } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const chatUser = (u: TestUser) => ({ userId: u.sub, displayName: u.preferred_username });
const userIds = async (roomId: string, now?: number) => (await presencePage(roomId, undefined, now)).users.map((u) => u.userId);
/** A member of `roomId` with a subscribed socket the gateway does not have (as left by a vanished client). */
async function ghostMember(roomId: string, name: string, connectionId: string, connectedAt: number): Promise<TestUser> {
  const user = testUser(name);
  await addMembership({ roomId, kind: 'public', user: chatUser(user), role: 'member' });
  await saveConnection(connectionId, chatUser(user), connectedAt);
  await putSubscriptions(connectionId, chatUser(user), [roomId], connectedAt);
  return user;
}

describe('presence', () => {
  it('lists members with a live subscribed socket once each, sorted by id, and never a non-member visitor', async () => {
    const [owner, visitor, twin] = [testUser('Owner'), testUser('Visitor'), testUser('Twin')];
    const o = await stack.connect(owner, 'list-room');
    const v = await stack.connect(visitor, 'list-room');
    expect((await stack.as(twin, Paths.membership('list-room'), { method: 'PUT' })).status).toBe(200);
    const t1 = await stack.connect(twin, 'list-room');
    const t2 = await stack.connect(twin, 'list-room');
    v.send({ action: 'presence', roomId: 'list-room' });
    expect(await v.next((f) => f.type === 'presenceList')).toEqual({
      type: 'presenceList',
      roomId: 'list-room',
      users: [chatUser(owner), chatUser(twin)].sort((a, b) => a.userId.localeCompare(b.userId)),
      nextCursor: null,
    });
    await Promise.all([o, v, t1, t2].map((s) => s.close()));
  });

  it(`pages the list ${PRESENCE_PAGE} subscriptions at a time; the pages together hold everyone exactly once`, async () => {
    const room = 'big-presence';
    await stack.publicRoom(testUser(), room);
    const now = Date.now();
    const ids = new Set<string>();
    for (let i = 0; i < PRESENCE_PAGE + 20; i++) ids.add((await ghostMember(room, `P${i}`, `PageConn${String(i).padStart(4, '0')}=`, now)).sub);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await presencePage(room, cursor, now);
      // Each page in user-id order (its rows come in connection-id order, which the ids here do not follow).
      const userIdsOfPage = page.users.map((u) => u.userId);
      expect(userIdsOfPage).toEqual([...userIdsOfPage].sort((a, b) => a.localeCompare(b)));
      seen.push(...userIdsOfPage);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('drops a member whose socket died without $disconnect once the heartbeat TTL lapses', async () => {
    const now = Date.now();
    await stack.publicRoom(testUser(), 'ttl-room');
    const live = await ghostMember('ttl-room', 'Live', 'LiveConn0000=', now);
    // The last ping was longer ago than connectionFreshMs: the rows linger (TTL lag) but no longer count.
    await ghostMember('ttl-room', 'Dead', 'DeadConn0000=', now - LIMITS.connectionFreshMs - 1000);
    expect(await userIds('ttl-room', now)).toEqual([live.sub]);
    expect(await userIds('ttl-room', now + LIMITS.connectionFreshMs + 1000)).toEqual([]);
  });

  it('drops a socket the gateway no longer knows after a fan-out meets its 410, and tells the room it left (one frame for all)', async () => {
    const reader = testUser('Reader');
    const socket = await stack.connect(reader, 'ghost-room');
    const old = Date.now() - CONNECT_GRACE_MS - 1000;
    const ghost = await ghostMember('ghost-room', 'Ghost', 'GhostConn000=', old);
    const ghost2 = await ghostMember('ghost-room', 'Ghost2', 'GhostConn002=', old);
    // A third member lost one socket but still has a live one: they did not leave.
    const twin = testUser('Twin');
    const twinLive = await stack.connect(twin, 'ghost-room');
    await addMembership({ roomId: 'ghost-room', kind: 'public', user: chatUser(twin), role: 'member' });
    await saveConnection('TwinDead0000=', chatUser(twin), old);
    await putSubscriptions('TwinDead0000=', chatUser(twin), ['ghost-room'], old);
    expect((await userIds('ghost-room')).sort()).toEqual([reader.sub, ghost.sub, ghost2.sub, twin.sub].sort());
    await socket.settle();
    expect(socket.pending().filter((f) => f.type === 'presenceDelta')).toEqual([]);

    expect(await broadcast('ghost-room', { type: 'pong' })).toEqual({ delivered: 2, gone: 3, failed: 0 });
    expect((await userIds('ghost-room')).sort()).toEqual([reader.sub, twin.sub].sort());
    expect((await stack.scan(SUBSCRIPTIONS_TABLE.envVar)).filter((r) => String(r.connectionId).startsWith('Ghost') || r.connectionId === 'TwinDead0000=')).toEqual([]);
    // Like a $disconnect of each one's last socket, gathered into one frame; never the twin.
    const delta = (await socket.next((f) => f.type === 'presenceDelta')) as Extract<ServerFrame, { type: 'presenceDelta' }>;
    expect({ ...delta, left: [...delta.left].sort((a, b) => a.userId.localeCompare(b.userId)) }).toEqual({
      type: 'presenceDelta',
      roomId: 'ghost-room',
      joined: [],
      left: [chatUser(ghost), chatUser(ghost2)].sort((a, b) => a.userId.localeCompare(b.userId)),
    });
    await socket.settle();
    expect(socket.pending().filter((f) => f.type === 'presenceDelta')).toEqual([]);
    socket.send({ action: 'presence', roomId: 'ghost-room' });
    expect(((await socket.next((f) => f.type === 'presenceList')) as Extract<ServerFrame, { type: 'presenceList' }>).users).toEqual([chatUser(reader), chatUser(twin)].sort((a, b) => a.userId.localeCompare(b.userId)));
    await Promise.all([socket.close(), twinLive.close()]);
  });

  it('announces a member\'s first socket to the room (joined), not to other rooms, and not the visitor\'s', async () => {
    const [ada, bob, eve, vic] = [testUser('Ada'), testUser('Bob'), testUser('Eve'), testUser('Vic')];
    const a = await stack.connect(ada, 'delta-room');
    const e = await stack.connect(eve, 'delta-other');
    expect((await stack.as(bob, Paths.membership('delta-room'), { method: 'PUT' })).status).toBe(200);
    const b = await stack.connect(bob, 'delta-room');
    expect(await a.next((f) => f.type === 'presenceDelta')).toEqual({ type: 'presenceDelta', roomId: 'delta-room', joined: [chatUser(bob)], left: [] });
    const v = await stack.connect(vic, 'delta-room'); // previewing, not a member
    await Promise.all([a.settle(), e.settle(), b.settle()]);
    expect([...a.pending(), ...e.pending(), ...b.pending()].filter((f) => f.type === 'presenceDelta')).toEqual([]);
    await Promise.all([a, b, e, v].map((s) => s.close()));
  });

  it('announces a visitor who joins (Join in the preview, being added): the room hears it once; a join with no live socket announces nothing', async () => {
    const [ada, vic, val, nob] = [testUser('JnAda'), testUser('JnVic'), testUser('JnVal'), testUser('JnNob')];
    const roomId = await stack.publicRoom(ada, 'join-room');
    const shared = await stack.publicRoom(ada, 'join-shared');
    const delta = (joined: TestUser) => ({ type: 'presenceDelta', roomId, joined: [chatUser(joined)], left: [] });
    const a = await stack.connect(ada, roomId);
    const v = await stack.connect(vic, roomId); // previewing: announced to nobody yet
    await a.settle();
    expect(a.pending().filter((f) => f.type === 'presenceDelta')).toEqual([]);
    expect((await stack.as(vic, Paths.membership(roomId), { method: 'PUT' })).status).toBe(200);
    expect(await a.next((f) => f.type === 'presenceDelta')).toEqual(delta(vic));
    expect(await userIds(roomId)).toEqual([ada.sub, vic.sub].sort());
    // Added by a member while previewing: the same, heard by every socket in the room but theirs.
    const w = await stack.connect(val, roomId);
    expect((await stack.as(val, Paths.membership(shared), { method: 'PUT' })).status).toBe(200);
    expect((await stack.as(ada, Paths.members(roomId), { method: 'POST', body: { userId: val.sub } })).status).toBe(201);
    for (const s of [a, v]) expect(await s.next((f) => f.type === 'presenceDelta')).toEqual(delta(val));
    // Joining again, joining with no socket in the room, and joining with only a socket that stopped pinging (its
    // rows outlive it until their TTL) announce nothing: none of them is present.
    expect((await stack.as(vic, Paths.membership(roomId), { method: 'PUT' })).status).toBe(200);
    expect((await stack.as(nob, Paths.membership(roomId), { method: 'PUT' })).status).toBe(200);
    const gone = testUser('JnGone');
    const g = await stack.connect(gone, roomId);
    // Its last ping longer ago than connectionFreshMs (the gateway still holds it, so nothing meets a 410).
    await saveConnection(await stack.connectionIdOf(gone), chatUser(gone), Date.now() - LIMITS.connectionFreshMs - 1000);
    expect((await stack.as(gone, Paths.membership(roomId), { method: 'PUT' })).status).toBe(200);
    await Promise.all([a.settle(), v.settle(), w.settle()]);
    expect([...a.pending(), ...v.pending(), ...w.pending()].filter((f) => f.type === 'presenceDelta')).toEqual([]);
    await Promise.all([a, v, w, g].map((s) => s.close()));
  });
});
