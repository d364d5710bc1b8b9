/**
 * Membership rows against real dynalite: added once (a second add returns the stored row), read consistently (they
 * are the authorization), removed with the old row returned, listed per user and per room (a cursor cannot leave
 * its room), counted up to the per-user limit, and the read position that only moves forward.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../lib/protocol';
import { batchPut, db, encodeCursor } from './db';
import type { ChatUser } from './identity';
import {
  addMembership,
  advanceReadPosition,
  countUserRooms,
  getMembership,
  getMemberships,
  listMembers,
  listUserMemberships,
  removeMembership,
  setMuted,
  toMember,
  toMembership,
  type MembershipRow,
} from './memberships';
import { MEMBERSHIPS_TABLE, requiredEnv } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const MIDDLEWARE = 'membershipsEdge';
afterEach(() => void db().middlewareStack.remove(MIDDLEWARE));

const person = (name = 'Member'): ChatUser => ({ userId: testUser(name).sub, displayName: name });
const AT = Date.UTC(2031, 2, 3, 4, 5, 6);

describe('shapes', () => {
  const row: MembershipRow = { roomId: 'r', userId: 'u', displayName: 'U', kind: 'public', role: 'member', joinedAt: '2031-01-01T00:00:00.000Z' };
  it('a member’s own view: no read position is null, no mute flag is false', () => {
    expect(toMembership(row)).toEqual({ role: 'member', joinedAt: row.joinedAt, lastReadMessageId: null, muted: false });
    expect(toMembership({ ...row, lastReadMessageId: 'm1', muted: true })).toEqual({ role: 'member', joinedAt: row.joinedAt, lastReadMessageId: 'm1', muted: true });
  });
  it('a member list entry: id, name, role and when they joined only', () => {
    expect(toMember({ ...row, lastReadMessageId: 'm1', muted: true })).toEqual({ userId: 'u', displayName: 'U', role: 'member', joinedAt: row.joinedAt });
  });
});

describe('adding and removing', () => {
  it('adds once; a second add returns the stored row untouched', async () => {
    const user = person('Ada');
    const first = await addMembership({ roomId: 'm-add', kind: 'public', user, role: 'owner', lastReadMessageId: 'm0001' }, AT);
    expect(first).toEqual({
      created: true,
      row: { roomId: 'm-add', userId: user.userId, displayName: 'Ada', kind: 'public', role: 'owner', joinedAt: new Date(AT).toISOString(), lastReadMessageId: 'm0001' },
    });
    const again = await addMembership({ roomId: 'm-add', kind: 'public', user: { ...user, displayName: 'Renamed' }, role: 'member' }, AT + 1000);
    expect(again).toEqual({ created: false, row: first.row });
    expect(await getMembership('m-add', user.userId)).toEqual(first.row);
    const plain = await addMembership({ roomId: 'm-add-plain', kind: 'public', user, role: 'member' }, AT);
    expect(plain.row).not.toHaveProperty('lastReadMessageId');
  });

  it('removes a row and returns what it held; removing again returns nothing', async () => {
    const user = person();
    const { row } = await addMembership({ roomId: 'm-remove', kind: 'private', user, role: 'member' }, AT);
    // The read that authorizes must see a removal at once: it is consistent.
    const reads: unknown[] = [];
    db().middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'GetItemCommand') reads.push((args.input as { ConsistentRead?: boolean }).ConsistentRead);
        return next(args);
      },
      { step: 'initialize', name: MIDDLEWARE, priority: 'high' },
    );
    expect(await getMembership('m-remove', user.userId)).toEqual(row);
    expect(reads).toEqual([true]);
    db().middlewareStack.remove(MIDDLEWARE);
    expect(await removeMembership('m-remove', user.userId)).toEqual(row);
    expect(await getMembership('m-remove', user.userId)).toBeUndefined();
    expect(await removeMembership('m-remove', user.userId)).toBeUndefined();
  });
});

describe('reading', () => {
  it('getMemberships reads the pairs asked for (missing ones left out), consistently unless told otherwise', async () => {
    const [a, b] = [person('A'), person('B')];
    await addMembership({ roomId: 'm-pairs', kind: 'public', user: a, role: 'member' }, AT);
    await addMembership({ roomId: 'm-pairs', kind: 'public', user: b, role: 'member' }, AT);
    const reads: unknown[] = [];
    db().middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'BatchGetItemCommand') reads.push(Object.values((args.input as { RequestItems: Record<string, { ConsistentRead?: boolean }> }).RequestItems)[0]!.ConsistentRead);
        return next(args);
      },
      { step: 'initialize', name: MIDDLEWARE, priority: 'high' },
    );
    const rows = await getMemberships([{ roomId: 'm-pairs', userId: a.userId }, { roomId: 'm-pairs', userId: 'nobody' }, { roomId: 'm-other', userId: b.userId }]);
    expect(rows.map((r) => r.userId)).toEqual([a.userId]);
    await getMemberships([{ roomId: 'm-pairs', userId: b.userId }], false);
    expect(reads).toEqual([true, false]);
  });

  it('lists every room of one user, and counts them up to the per-user limit', async () => {
    const user = person();
    const rows = Array.from({ length: LIMITS.roomsPerUser + 5 }, (_, i) => ({
      roomId: `m-many-${String(i).padStart(3, '0')}`,
      userId: user.userId,
      displayName: 'Many',
      kind: 'public',
      role: 'member',
      joinedAt: new Date(AT).toISOString(),
    }));
    await batchPut(requiredEnv(MEMBERSHIPS_TABLE.envVar), rows);
    await addMembership({ roomId: 'm-many-000', kind: 'public', user: person('Someone else'), role: 'member' }, AT);
    const listed = await listUserMemberships(user.userId);
    expect(listed.map((r) => r.roomId).sort()).toEqual(rows.map((r) => r.roomId));
    expect(await countUserRooms(user.userId)).toBe(LIMITS.roomsPerUser);
    expect(await countUserRooms(person().userId)).toBe(0);
  });

  it('pages a room’s members by user id; a cursor stays in the room it is used for', async () => {
    const users = ['m-page-a', 'm-page-b', 'm-page-c'].map((userId) => ({ userId, displayName: userId }));
    for (const user of users) await addMembership({ roomId: 'm-page', kind: 'public', user, role: 'member' }, AT);
    await addMembership({ roomId: 'm-page-elsewhere', kind: 'public', user: { userId: 'm-page-z', displayName: 'Z' }, role: 'member' }, AT);
    const first = await listMembers('m-page', { limit: 2 });
    expect(first.members.map((m) => m.userId)).toEqual(['m-page-a', 'm-page-b']);
    expect(first.members[0]).toEqual({ userId: 'm-page-a', displayName: 'm-page-a', role: 'member', joinedAt: new Date(AT).toISOString() });
    const second = await listMembers('m-page', { limit: 2, cursor: first.nextCursor! });
    expect(second.members.map((m) => m.userId)).toEqual(['m-page-c']);
    // A cursor naming another room: the page is still this room's, after that user id.
    const foreign = encodeCursor({ roomId: 'm-page-elsewhere', userId: 'm-page-a' })!;
    expect((await listMembers('m-page', { limit: 10, cursor: foreign })).members.map((m) => m.userId)).toEqual(['m-page-b', 'm-page-c']);
  });
});

describe('read position and mute', () => {
  it('moves the read position forward only, and answers nothing for a non-member', async () => {
    const user = person();
    await addMembership({ roomId: 'm-read', kind: 'public', user, role: 'member' }, AT);
    expect(await advanceReadPosition('m-read', user.userId, 'm0005')).toMatchObject({ lastReadMessageId: 'm0005', userId: user.userId });
    expect(await advanceReadPosition('m-read', user.userId, 'm0003')).toMatchObject({ lastReadMessageId: 'm0005' });
    expect(await advanceReadPosition('m-read', user.userId, 'm0005')).toMatchObject({ lastReadMessageId: 'm0005' });
    expect(await advanceReadPosition('m-read', user.userId, 'm0009')).toMatchObject({ lastReadMessageId: 'm0009' });
    expect(await advanceReadPosition('m-read', 'not-a-member', 'm0009')).toBeUndefined();
    expect(await getMembership('m-read', 'not-a-member')).toBeUndefined();
  });

  it('sets and clears mute for members only; a storage failure is passed on', async () => {
    const user = person();
    await addMembership({ roomId: 'm-mute', kind: 'public', user, role: 'member' }, AT);
    expect(await setMuted('m-mute', user.userId, true)).toMatchObject({ muted: true });
    expect(await setMuted('m-mute', user.userId, false)).toMatchObject({ muted: false });
    expect(await setMuted('m-mute', 'not-a-member', true)).toBeUndefined();
    expect(await getMembership('m-mute', 'not-a-member')).toBeUndefined();
    const saved = process.env[MEMBERSHIPS_TABLE.envVar];
    process.env[MEMBERSHIPS_TABLE.envVar] = 'no-such-table';
    try {
      await expect(setMuted('m-mute', user.userId, true)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      await expect(advanceReadPosition('m-mute', user.userId, 'm1')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      process.env[MEMBERSHIPS_TABLE.envVar] = saved;
    }
  });
});
