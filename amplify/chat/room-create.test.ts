/**
 * Creating rooms and DMs against real dynalite: input refused with the typed code and words that say what to fix;
 * a public room's id is its name (a taken name costs no allowance); private ids are generated; a DM is one per
 * pair, only with someone the caller shares a room with, named after the other person, and reopening it brings back
 * whoever left.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dmRoomId, ErrorCode } from '../../lib/protocol';
import type { ChatUser } from './identity';
import { addMembership, getMembership, removeMembership } from './memberships';
import { batchPut } from './db';
import { LIMITS } from '../../lib/protocol';
import { MEMBERSHIPS_TABLE, requiredEnv } from './tables';
import { createRoom, dmName, openDm, parseCreateRoom } from './room-create';
import { addToMemberCount, getRoom } from './rooms';
import { RATE_LIMITS_TABLE } from './tables';
import type { ServerFrame } from '../../lib/protocol';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const person = (name: string): ChatUser => ({ userId: testUser(name).sub, displayName: name });
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
};
const rejection = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('parseCreateRoom', () => {
  it('trims name and topic, and keeps the visibility', () => {
    expect(parseCreateRoom({ name: '  team-news ', topic: ' Daily ', visibility: 'public' })).toEqual({ name: 'team-news', topic: 'Daily', visibility: 'public' });
    expect(parseCreateRoom({ name: 'Secret Plans', visibility: 'private' })).toEqual({ name: 'Secret Plans', topic: '', visibility: 'private' });
  });

  it('refuses each bad input with its code and words', () => {
    expect(refusal(() => parseCreateRoom({ name: 'x' }))).toMatchObject({ code: ErrorCode.BadRequest, message: expect.stringMatching(/^Invalid "visibility": /) });
    expect(refusal(() => parseCreateRoom({ name: 'Team News', visibility: 'public' }))).toMatchObject({
      code: ErrorCode.BadRoomName,
      message: 'Public room names use 1-40 lowercase letters, digits and inner dashes (e.g. "team-news")',
    });
    expect(refusal(() => parseCreateRoom({ name: '   ', visibility: 'private' }))).toMatchObject({ code: ErrorCode.BadRoomName });
    expect(refusal(() => parseCreateRoom({ name: 'ok', topic: 'x'.repeat(1000), visibility: 'private' }))).toMatchObject({ code: ErrorCode.BadTopic });
  });
});

describe('createRoom', () => {
  it('a public room: its id is its name, the creator its owner and only member', async () => {
    const owner = person('Owner');
    const created = await createRoom(owner, { name: 'rc-public', topic: 'About', visibility: 'public' });
    expect(created.room).toMatchObject({ roomId: 'rc-public', kind: 'public', name: 'rc-public', topic: 'About', memberCount: 1 });
    expect(created.membership).toMatchObject({ role: 'owner' });
    expect(await getMembership('rc-public', owner.userId)).toMatchObject({ role: 'owner', kind: 'public' });
    expect(await getRoom('rc-public', true)).toMatchObject({ memberCount: 1, createdBy: owner.userId });
  });

  it('a taken public name is NAME_TAKEN and spends none of the creation allowance', async () => {
    const [first, second] = [person('First'), person('Second')];
    await createRoom(first, { name: 'rc-taken', visibility: 'public' });
    expect(await rejection(createRoom(second, { name: 'rc-taken', visibility: 'public' }))).toMatchObject({
      code: ErrorCode.NameTaken,
      message: 'A public room named "rc-taken" already exists: join it, or pick another name',
    });
    const counters = (await stack.scan(RATE_LIMITS_TABLE.envVar)).filter((r) => String(r[RATE_LIMITS_TABLE.partitionKey.name]).startsWith(`${second.userId}#create#`));
    expect(counters).toEqual([]);
  });

  it('a private room may share its name with a public one: its name is never looked up', async () => {
    const owner = person('Namesake');
    await createRoom(owner, { name: 'rc-namesake', visibility: 'public' });
    expect((await createRoom(owner, { name: 'rc-namesake', visibility: 'private' })).room).toMatchObject({ kind: 'private', name: 'rc-namesake' });
  });

  it('a private room gets a generated id (never its name), so two of one name are two rooms', async () => {
    const owner = person('Private');
    const [a, b] = [await createRoom(owner, { name: 'Same', visibility: 'private' }), await createRoom(owner, { name: 'Same', visibility: 'private' })];
    for (const r of [a, b]) expect(r.room).toMatchObject({ kind: 'private', name: 'Same', memberCount: 1, roomId: expect.stringMatching(/^p_[0-9a-z]{26}$/) });
    expect(a.room.roomId).not.toBe(b.room.roomId);
  });
});

describe('openDm', () => {
  async function sharing(): Promise<[ChatUser, ChatUser]> {
    const [ada, bob] = [person('Ada'), person('Bob')];
    for (const user of [ada, bob]) await addMembership({ roomId: 'rc-shared', kind: 'public', user, role: 'member' });
    return [ada, bob];
  }

  it('refuses a malformed id or a stranger alike (USER_NOT_FOUND), and oneself (FORBIDDEN)', async () => {
    const [ada] = await sharing();
    const words = 'You can only add or message people you share a room with';
    expect(await rejection(openDm(ada, 'not_valid'))).toMatchObject({ code: ErrorCode.UserNotFound, message: words });
    expect(await rejection(openDm(ada, 42))).toMatchObject({ code: ErrorCode.UserNotFound, message: words });
    expect(await rejection(openDm(ada, person('Stranger').userId))).toMatchObject({ code: ErrorCode.UserNotFound, message: words });
    expect(await rejection(openDm(ada, ada.userId))).toMatchObject({ code: ErrorCode.Forbidden, message: 'A direct message needs another person' });
  });

  it('creates the pair’s one DM, named after the other person; opening it again creates nothing', async () => {
    const [ada, bob] = await sharing();
    const first = await openDm(ada, bob.userId);
    const roomId = dmRoomId(ada.userId, bob.userId);
    expect(first).toMatchObject({ created: true, response: { room: { roomId, kind: 'dm', name: 'Bob', memberCount: 2 }, peer: bob } });
    expect(await getMembership(roomId, bob.userId)).toMatchObject({ kind: 'dm', role: 'member' });
    expect(await getMembership(roomId, ada.userId)).toMatchObject({ kind: 'dm', role: 'member' });
    const fromBob = await openDm(bob, ada.userId);
    expect(fromBob).toMatchObject({ created: false, response: { room: { roomId, name: 'Ada', memberCount: 2 }, peer: ada } });
    expect((await getRoom(roomId, true))!.memberCount).toBe(2);
  });

  it('tells both people’s sockets the first time (each with the other’s name), nobody on a reopen', async () => {
    const [ada, bob] = await sharing();
    const [sa, sb] = [await stack.connect({ sub: ada.userId, preferred_username: 'Ada', email: 'a@example.test' }, 'rc-shared'), await stack.connect({ sub: bob.userId, preferred_username: 'Bob', email: 'b@example.test' }, 'rc-shared')];
    const roomId = dmRoomId(ada.userId, bob.userId);
    await openDm(ada, bob.userId);
    const added = (f: ServerFrame) => f.type === 'membership' && f.roomId === roomId;
    expect(await sa.next(added)).toMatchObject({ change: 'added', room: { name: 'Bob' } });
    expect(await sb.next(added)).toMatchObject({ change: 'added', room: { name: 'Ada' } });
    await openDm(bob, ada.userId);
    await Promise.all([sa.settle(), sb.settle()]);
    expect([...sa.pending(), ...sb.pending()].filter(added)).toEqual([]);
    await Promise.all([sa.close(), sb.close()]);
  });

  it('at the room limit: a new DM is TOO_MANY_ROOMS, an existing one still opens', async () => {
    const [ada, bob] = await sharing();
    const cat = person('Cat');
    await addMembership({ roomId: 'rc-shared', kind: 'public', user: cat, role: 'member' });
    await openDm(ada, bob.userId);
    // Fill Ada up to the limit (she is in rc-shared and the DM already).
    const rows = Array.from({ length: LIMITS.roomsPerUser - 2 }, (_, i) => ({ roomId: `rc-fill-${i}`, userId: ada.userId, displayName: 'Ada', kind: 'public', role: 'member', joinedAt: '2031-01-01T00:00:00.000Z' }));
    await batchPut(requiredEnv(MEMBERSHIPS_TABLE.envVar), rows);
    expect(await rejection(openDm(ada, cat.userId))).toMatchObject({ code: ErrorCode.TooManyRooms });
    expect(await getRoom(dmRoomId(ada.userId, cat.userId), true)).toBeUndefined();
    expect(await openDm(ada, bob.userId)).toMatchObject({ created: false });
  });

  it('reopening a DM someone left brings them back and counts them again', async () => {
    const [ada, bob] = await sharing();
    const roomId = dmRoomId(ada.userId, bob.userId);
    await openDm(ada, bob.userId);
    await removeMembership(roomId, bob.userId);
    await addToMemberCount(roomId, -1);
    const again = await openDm(ada, bob.userId);
    expect(again.created).toBe(false);
    expect(await getMembership(roomId, bob.userId)).toBeDefined();
    expect((await getRoom(roomId, true))!.memberCount).toBe(2);
  });

  it('dmName: the other person’s name for each viewer; a row without names keeps its own', () => {
    const row = { roomId: 'dm_a_b', kind: 'dm', name: 'Direct message', topic: '', createdBy: 'a', createdAt: '', lastActivityAt: '', memberCount: 2, dmNames: { a: 'Ada', b: 'Bob' } } as const;
    expect(dmName(row, 'a')).toEqual({ name: 'Bob', peer: { userId: 'b', displayName: 'Bob' } });
    expect(dmName(row, 'b')).toEqual({ name: 'Ada', peer: { userId: 'a', displayName: 'Ada' } });
    expect(dmName({ ...row, dmNames: undefined }, 'a')).toEqual({ name: 'Direct message' });
  });
});
