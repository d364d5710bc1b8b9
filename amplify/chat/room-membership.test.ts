/**
 * Joining, leaving, adding and removing people against real dynalite and the gateway's real sockets. The rules (the
 * module's doc): anyone joins a public room; nobody adds themselves to a private room or DM; members add people they
 * share a room with; members of a private room remove people; anyone leaves. Each refusal has its code and words;
 * counts follow every change; the person's sockets hear of it ("added" / "removed").
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestSocket, type TestStack } from '../local/testing';
import { db } from './db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dmRoomId, ErrorCode, LIMITS } from '../../lib/protocol';
import type { ChatUser } from './identity';
import { addMembership, getMembership } from './memberships';
import { addMember, ensureRoomAllowance, joinRoom, leaveRoom, removeMember, sharedPerson } from './room-membership';
import { createRoomRow, getRoom, newRoomRow } from './rooms';
import { batchPut } from './db';
import { MEMBERSHIPS_TABLE, requiredEnv } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
  await createRoomRow(newRoomRow({ roomId: 'rm-lobby', kind: 'public', name: 'rm-lobby', createdBy: 'test' }));
});
afterAll(() => stack?.stop());

const rejection = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);
const SHARE_WORDS = 'You can only add or message people you share a room with';

/** A person with a socket subscribed to the lobby (so frames for them have somewhere to go), and lobby members. */
async function person(name: string): Promise<{ user: ChatUser; socket: TestSocket }> {
  const t = testUser(name);
  const user = { userId: t.sub, displayName: name };
  await addMembership({ roomId: 'rm-lobby', kind: 'public', user, role: 'member' });
  return { user, socket: await stack.connect(t, 'rm-lobby') };
}

async function room(roomId: string, kind: 'public' | 'private', owner: ChatUser, memberCount = 1) {
  await createRoomRow({ ...newRoomRow({ roomId, kind, name: roomId, createdBy: owner.userId }), memberCount });
  await addMembership({ roomId, kind, user: owner, role: 'owner' });
}
const privateId = (tag: string) => `p_${tag.padStart(26, '0')}`;
const count = async (roomId: string) => (await getRoom(roomId, true))?.memberCount;

describe('ensureRoomAllowance and sharedPerson', () => {
  it('TOO_MANY_ROOMS says who must leave a room: you, or the person named', async () => {
    const full = testUser('Full').sub;
    const rows = Array.from({ length: LIMITS.roomsPerUser }, (_, i) => ({ roomId: `rm-full-${i}`, userId: full, displayName: 'Full', kind: 'public', role: 'member', joinedAt: '2031-01-01T00:00:00.000Z' }));
    await batchPut(requiredEnv(MEMBERSHIPS_TABLE.envVar), rows);
    expect(await rejection(ensureRoomAllowance(full))).toMatchObject({
      code: ErrorCode.TooManyRooms,
      message: `You are in ${LIMITS.roomsPerUser} rooms, the most allowed; leave one to join another`,
    });
    expect(await rejection(ensureRoomAllowance(full, 'Full'))).toMatchObject({
      code: ErrorCode.TooManyRooms,
      message: `Full is in ${LIMITS.roomsPerUser} rooms, the most allowed; they need to leave one first`,
    });
    await expect(ensureRoomAllowance(testUser().sub)).resolves.toBeUndefined();
  });

  it('sharedPerson finds someone in a shared room; a stranger and a malformed id look alike', async () => {
    const [{ user: ada, socket: s1 }, { user: bob, socket: s2 }] = [await person('Ada'), await person('Bob')];
    expect(await sharedPerson(ada, bob.userId)).toEqual(bob);
    for (const target of ['', 'x'.repeat(129), 42 as unknown as string, testUser().sub]) {
      expect(await rejection(sharedPerson(ada, target))).toMatchObject({ code: ErrorCode.UserNotFound, message: SHARE_WORDS });
    }
    // 128 characters is still an id (of nobody here).
    expect(await rejection(sharedPerson(ada, 'x'.repeat(128)))).toMatchObject({ code: ErrorCode.UserNotFound });
    // A malformed id is refused before any table is read (DynamoDB would refuse an empty or non-string key itself).
    // (Only requests naming those ids count: the sockets' own handlers may be reading meanwhile.)
    const requests: string[] = [];
    db().middlewareStack.add((next) => (args) => (requests.push(JSON.stringify(args.input)), next(args)), { step: 'initialize', name: 'sharedReads', priority: 'high' });
    try {
      for (const target of ['', 'x'.repeat(129), 42 as unknown as string]) await rejection(sharedPerson(ada, target));
    } finally {
      db().middlewareStack.remove('sharedReads');
    }
    expect(requests.filter((r) => r.includes('"userId":""') || r.includes('"userId":42') || r.includes('x'.repeat(129)))).toEqual([]);
    await Promise.all([s1.close(), s2.close()]);
  });
});

describe('joinRoom and leaveRoom', () => {
  it('joins a public room once (counted once, the sockets told), and refuses one that does not exist', async () => {
    const { user: owner, socket: s0 } = await person('Owner');
    const { user: joiner, socket } = await person('Joiner');
    await room('rm-join', 'public', owner);
    const joined = await joinRoom(joiner, 'rm-join');
    expect(joined).toMatchObject({ room: { roomId: 'rm-join', memberCount: 2 }, membership: { role: 'member' } });
    expect(await getMembership('rm-join', joiner.userId)).toMatchObject({ kind: 'public', role: 'member' });
    expect(await socket.next((f) => f.type === 'membership')).toMatchObject({ type: 'membership', roomId: 'rm-join', change: 'added', room: { memberCount: 2 } });
    expect(await joinRoom(joiner, 'rm-join')).toMatchObject({ room: { memberCount: 2 } });
    expect(await count('rm-join')).toBe(2);
    expect(await rejection(joinRoom(joiner, 'rm-no-such-room'))).toMatchObject({ code: ErrorCode.NotFound });
    await Promise.all([s0.close(), socket.close()]);
  });

  it('nobody joins a private room by themselves; a member "joining" again changes nothing', async () => {
    const { user: owner, socket: s0 } = await person('Owner');
    const { user: outsider, socket: s1 } = await person('Outsider');
    await room(privateId('1'), 'private', owner);
    expect(await rejection(joinRoom(outsider, privateId('1')))).toMatchObject({ code: ErrorCode.NotFound });
    expect(await getMembership(privateId('1'), outsider.userId)).toBeUndefined();
    expect(await joinRoom(owner, privateId('1'))).toMatchObject({ room: { roomId: privateId('1'), memberCount: 1 }, membership: { role: 'owner' } });
    // Leaving a private room one is not in is NOT_FOUND (never a quiet no-op that would tell it exists).
    expect(await rejection(leaveRoom(outsider, privateId('1')))).toMatchObject({ code: ErrorCode.NotFound });
    // A membership whose room row is gone: NOT_FOUND, for joining and for adding people.
    await addMembership({ roomId: privateId('8'), kind: 'private', user: owner, role: 'owner' });
    expect(await rejection(joinRoom(owner, privateId('8')))).toMatchObject({ code: ErrorCode.NotFound });
    await Promise.all([s0.close(), s1.close()]);
  });

  it('leaving: counted down, the sockets told and unsubscribed; leaving a public room one is not in is a no-op, others NOT_FOUND', async () => {
    const { user: owner, socket: s0 } = await person('Owner');
    const { user: leaver, socket } = await person('Leaver');
    await room('rm-leave', 'public', owner);
    await joinRoom(leaver, 'rm-leave');
    await socket.next((f) => f.type === 'membership');
    await leaveRoom(leaver, 'rm-leave');
    expect(await socket.next((f) => f.type === 'membership')).toEqual({ type: 'membership', roomId: 'rm-leave', change: 'removed' });
    expect(await count('rm-leave')).toBe(1);
    expect(await getMembership('rm-leave', leaver.userId)).toBeUndefined();
    await expect(leaveRoom(leaver, 'rm-leave')).resolves.toBeUndefined();
    expect(await count('rm-leave')).toBe(1);
    expect(await rejection(leaveRoom(leaver, 'rm-no-such-room'))).toMatchObject({ code: ErrorCode.NotFound });
    expect(await rejection(leaveRoom(leaver, privateId('2')))).toMatchObject({ code: ErrorCode.NotFound });
    await Promise.all([s0.close(), socket.close()]);
  });
});

describe('addMember', () => {
  it('a member adds someone they share a room with (counted, told); adding again creates nothing', async () => {
    const { user: owner, socket: s0 } = await person('Owner');
    const { user: friend, socket } = await person('Friend');
    await room(privateId('3'), 'private', owner);
    expect(await addMember(owner, privateId('3'), friend.userId)).toEqual({
      member: { userId: friend.userId, displayName: 'Friend', role: 'member', joinedAt: expect.any(String) },
      created: true,
    });
    expect(await socket.next((f) => f.type === 'membership')).toMatchObject({ roomId: privateId('3'), change: 'added', room: { memberCount: 2 } });
    expect(await addMember(owner, privateId('3'), friend.userId)).toMatchObject({ created: false, member: { userId: friend.userId } });
    expect(await count(privateId('3'))).toBe(2);
    // Already a member: no limit is checked (a person at the room limit is still "added" again without error).
    const rows = Array.from({ length: LIMITS.roomsPerUser }, (_, i) => ({ roomId: `rm-friend-${i}`, userId: friend.userId, displayName: 'Friend', kind: 'public', role: 'member', joinedAt: '2031-01-01T00:00:00.000Z' }));
    await batchPut(requiredEnv(MEMBERSHIPS_TABLE.envVar), rows);
    expect(await addMember(owner, privateId('3'), friend.userId)).toMatchObject({ created: false });
    await Promise.all([s0.close(), socket.close()]);
  });

  it('a full private room is ROOM_FULL and the new membership is undone; a public room has no cap', async () => {
    const { user: owner, socket: s0 } = await person('Owner');
    const { user: late, socket: s1 } = await person('Late');
    await room(privateId('4'), 'private', owner, LIMITS.membersPerPrivateRoom);
    expect(await rejection(addMember(owner, privateId('4'), late.userId))).toMatchObject({
      code: ErrorCode.RoomFull,
      message: `This room has ${LIMITS.membersPerPrivateRoom} members, the most a private room can have`,
    });
    expect(await getMembership(privateId('4'), late.userId)).toBeUndefined();
    await room('rm-big', 'public', owner, LIMITS.membersPerPrivateRoom + 50);
    expect(await addMember(owner, 'rm-big', late.userId)).toMatchObject({ created: true });
    await Promise.all([s0.close(), s1.close()]);
  });

  it('nobody is added to a DM (FORBIDDEN, in words), and non-members add nobody', async () => {
    const [{ user: ada, socket: s1 }, { user: bob, socket: s2 }, { user: cat, socket: s3 }] = [await person('Ada'), await person('Bob'), await person('Cat')];
    const dm = dmRoomId(ada.userId, bob.userId);
    await createRoomRow({ ...newRoomRow({ roomId: dm, kind: 'dm', name: 'Direct message', createdBy: ada.userId, dmNames: { [ada.userId]: 'Ada', [bob.userId]: 'Bob' } }), memberCount: 2 });
    for (const user of [ada, bob]) await addMembership({ roomId: dm, kind: 'dm', user, role: 'member' });
    expect(await rejection(addMember(ada, dm, cat.userId))).toMatchObject({
      code: ErrorCode.Forbidden,
      message: 'A direct message is between two people; create a private room to talk with more',
    });
    await room(privateId('5'), 'private', ada);
    expect(await rejection(addMember(cat, privateId('5'), bob.userId))).toMatchObject({ code: ErrorCode.NotFound });
    expect(await getMembership(privateId('5'), bob.userId)).toBeUndefined();
    await Promise.all([s1.close(), s2.close(), s3.close()]);
  });
});

describe('removeMember', () => {
  it('a member of a private room removes another: counted down, their sockets told; removing a non-member is USER_NOT_FOUND', async () => {
    const { user: owner, socket: s0 } = await person('Owner');
    const { user: gone, socket } = await person('Gone');
    await room(privateId('6'), 'private', owner);
    await addMember(owner, privateId('6'), gone.userId);
    await socket.next((f) => f.type === 'membership');
    await removeMember(owner, privateId('6'), gone.userId);
    expect(await socket.next((f) => f.type === 'membership')).toEqual({ type: 'membership', roomId: privateId('6'), change: 'removed' });
    expect(await count(privateId('6'))).toBe(1);
    expect(await getMembership(privateId('6'), gone.userId)).toBeUndefined();
    expect(await rejection(removeMember(owner, privateId('6'), gone.userId))).toMatchObject({ code: ErrorCode.UserNotFound, message: 'That person is not a member of this room' });
    expect(await count(privateId('6'))).toBe(1);
    await Promise.all([s0.close(), socket.close()]);
  });

  it('removing others from a public room or a DM is FORBIDDEN, each in its own words', async () => {
    const [{ user: ada, socket: s1 }, { user: bob, socket: s2 }] = [await person('Ada'), await person('Bob')];
    await room('rm-public', 'public', ada);
    await joinRoom(bob, 'rm-public');
    expect(await rejection(removeMember(ada, 'rm-public', bob.userId))).toMatchObject({
      code: ErrorCode.Forbidden,
      message: 'Public rooms are open to everyone: people leave them themselves',
    });
    const dm = dmRoomId(ada.userId, bob.userId);
    await createRoomRow({ ...newRoomRow({ roomId: dm, kind: 'dm', name: 'Direct message', createdBy: ada.userId }), memberCount: 2 });
    for (const user of [ada, bob]) await addMembership({ roomId: dm, kind: 'dm', user, role: 'member' });
    expect(await rejection(removeMember(ada, dm, bob.userId))).toMatchObject({ code: ErrorCode.Forbidden, message: 'A direct message always has its two people; leave it instead' });
    expect(await getMembership(dm, bob.userId)).toBeDefined();
    await Promise.all([s1.close(), s2.close()]);
  });

  it('removing oneself is leaving (a public room one is not in: a no-op); a stranger to a private room gets NOT_FOUND', async () => {
    const { user: owner, socket: s0 } = await person('Owner');
    const { user: self, socket: s1 } = await person('Self');
    await room(privateId('7'), 'private', owner);
    await addMember(owner, privateId('7'), self.userId);
    await removeMember(self, privateId('7'), self.userId);
    expect(await getMembership(privateId('7'), self.userId)).toBeUndefined();
    expect(await count(privateId('7'))).toBe(1);
    await room('rm-self', 'public', owner);
    await expect(removeMember(self, 'rm-self', self.userId)).resolves.toBeUndefined();
    expect(await count('rm-self')).toBe(1);
    expect(await rejection(removeMember(self, 'rm-self', owner.userId))).toMatchObject({ code: ErrorCode.NotMember });
    expect(await rejection(removeMember(self, privateId('7'), owner.userId))).toMatchObject({ code: ErrorCode.NotFound });
    await Promise.all([s0.close(), s1.close()]);
  });
});
