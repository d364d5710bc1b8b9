/**
 * Room rows against real dynalite: the summary clients see, new rows (only public ones in Browse), the member count
 * with and without the private-room cap, the activity stamp (forward only, at most once a minute per container),
 * and Browse: public rooms only, most recent activity first, paged, forged cursors answered with an empty page.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, type TestStack } from '../local/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ROOM } from '../../lib/protocol';
import {
  addToMemberCount,
  browsePublicRooms,
  createRoomRow,
  ensureDefaultRoom,
  getRoom,
  getRooms,
  newRoomRow,
  resetActivityCache,
  toSummary,
  touchRoomActivity,
  type RoomRow,
} from './rooms';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const AT = Date.UTC(2031, 5, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

describe('rows and summaries', () => {
  it('a new row: public rooms are in Browse, others not; DM names only for DMs; nobody counted yet', () => {
    expect(newRoomRow({ roomId: 'r-pub', kind: 'public', name: 'Pub', createdBy: 'u1' }, AT)).toEqual({
      roomId: 'r-pub',
      kind: 'public',
      name: 'Pub',
      topic: '',
      createdBy: 'u1',
      createdAt: iso(AT),
      lastActivityAt: iso(AT),
      memberCount: 0,
      browse: 'public',
    });
    const secret = newRoomRow({ roomId: `p_${'a'.repeat(26)}`, kind: 'private', name: 'S', topic: 'T', createdBy: 'u1' }, AT);
    expect(secret).not.toHaveProperty('browse');
    expect(secret).not.toHaveProperty('dmNames');
    expect(secret.topic).toBe('T');
    expect(newRoomRow({ roomId: 'dm_a_b', kind: 'dm', name: 'DM', createdBy: 'a', dmNames: { a: 'A', b: 'B' } }, AT)).toMatchObject({ dmNames: { a: 'A', b: 'B' } });
  });

  it('a summary: the name given (a DM’s per viewer), a topic, a count never below 0, activity defaulting to creation', () => {
    const row = { ...newRoomRow({ roomId: 'r-sum', kind: 'public', name: 'Sum', createdBy: 'u1' }, AT), memberCount: 3 };
    expect(toSummary(row)).toEqual({ roomId: 'r-sum', kind: 'public', name: 'Sum', topic: '', memberCount: 3, createdAt: iso(AT), lastActivityAt: iso(AT) });
    expect(toSummary(row, 'Other name').name).toBe('Other name');
    const old = { roomId: 'r-old', kind: 'public', name: 'Old', createdBy: 'u1', createdAt: iso(AT), memberCount: -2 } as unknown as RoomRow;
    expect(toSummary(old)).toMatchObject({ topic: '', memberCount: 0, lastActivityAt: iso(AT) });
    expect(toSummary({ ...old, memberCount: undefined } as unknown as RoomRow).memberCount).toBe(0);
  });
});

describe('storing rooms', () => {
  it('creates a row once (false when the id is taken) and reads one or many, leaving out missing ones', async () => {
    const row = newRoomRow({ roomId: 'r-once', kind: 'public', name: 'Once', createdBy: 'u1' }, AT);
    expect(await createRoomRow(row)).toBe(true);
    expect(await createRoomRow({ ...row, name: 'Twice' })).toBe(false);
    expect(await getRoom('r-once', true)).toEqual(row);
    expect(await getRoom('r-missing')).toBeUndefined();
    const many = await getRooms(['r-once', 'r-missing']);
    expect([...many.keys()]).toEqual(['r-once']);
    expect(many.get('r-once')!.name).toBe('Once');
  });

  it('ensureDefaultRoom makes general once, with its topic, and keeps an existing one as it is', async () => {
    await ensureDefaultRoom(AT);
    const general = await getRoom(DEFAULT_ROOM, true);
    expect(general).toMatchObject({ roomId: DEFAULT_ROOM, kind: 'public', name: DEFAULT_ROOM, topic: 'Everyone, everything', createdBy: 'system', browse: 'public' });
    await ensureDefaultRoom(AT + 1000);
    expect(await getRoom(DEFAULT_ROOM, true)).toEqual(general);
  });

  it('counts members: uncapped up and down; capped, refuses the increment that would pass the cap, never a decrement', async () => {
    await createRoomRow(newRoomRow({ roomId: 'r-count', kind: 'public', name: 'Count', createdBy: 'u1' }, AT));
    expect(await addToMemberCount('r-count', 1)).toBe(true);
    expect(await addToMemberCount('r-count', 2, 3)).toBe(true);
    expect((await getRoom('r-count', true))!.memberCount).toBe(3);
    expect(await addToMemberCount('r-count', 1, 3)).toBe(false);
    expect((await getRoom('r-count', true))!.memberCount).toBe(3);
    expect(await addToMemberCount('r-count', -1, 3)).toBe(true);
    expect(await addToMemberCount('r-count', 1, 3)).toBe(true);
    // Only an increment is capped: a change of 0 in a full room is no increment.
    expect(await addToMemberCount('r-count', 0, 3)).toBe(true);
    expect(await addToMemberCount('r-count', 5)).toBe(true);
    expect((await getRoom('r-count', true))!.memberCount).toBe(8);
    // A room that does not exist is never created by counting.
    expect(await addToMemberCount('r-count-missing', 1)).toBe(false);
    expect(await addToMemberCount('r-count-missing', 1, 3)).toBe(false);
    expect(await getRoom('r-count-missing', true)).toBeUndefined();
  });
});

describe('touchRoomActivity', () => {
  beforeEach(() => resetActivityCache());

  it('moves the stamp forward only, and writes at most once a minute per room', async () => {
    await createRoomRow(newRoomRow({ roomId: 'r-touch', kind: 'public', name: 'T', createdBy: 'u1' }, AT));
    expect(await touchRoomActivity('r-touch', iso(AT + 5_000), AT + 5_000)).toBe(true);
    expect((await getRoom('r-touch', true))!.lastActivityAt).toBe(iso(AT + 5_000));
    // Within the minute: not written, even though it is newer.
    expect(await touchRoomActivity('r-touch', iso(AT + 30_000), AT + 30_000)).toBe(false);
    expect(await touchRoomActivity('r-touch', iso(AT + 64_999), AT + 64_999)).toBe(false);
    expect((await getRoom('r-touch', true))!.lastActivityAt).toBe(iso(AT + 5_000));
    // A minute later: written.
    expect(await touchRoomActivity('r-touch', iso(AT + 65_000), AT + 65_000)).toBe(true);
    expect((await getRoom('r-touch', true))!.lastActivityAt).toBe(iso(AT + 65_000));
    // Another minute later, but an older time: the stamp never moves back.
    expect(await touchRoomActivity('r-touch', iso(AT + 1_000), AT + 130_000)).toBe(false);
    expect((await getRoom('r-touch', true))!.lastActivityAt).toBe(iso(AT + 65_000));
  });

  it('forgets its stamps when reset (a fresh container), so the next stamp is written within the minute', async () => {
    await createRoomRow(newRoomRow({ roomId: 'r-touch-reset', kind: 'public', name: 'R', createdBy: 'u1' }, AT));
    expect(await touchRoomActivity('r-touch-reset', iso(AT + 1), AT + 1)).toBe(true);
    expect(await touchRoomActivity('r-touch-reset', iso(AT + 2), AT + 2)).toBe(false);
    resetActivityCache();
    expect(await touchRoomActivity('r-touch-reset', iso(AT + 3), AT + 3)).toBe(true);
  });

  it('never creates a row for a room that does not exist; rooms are stamped independently', async () => {
    expect(await touchRoomActivity('r-touch-missing', iso(AT), AT)).toBe(false);
    expect(await getRoom('r-touch-missing', true)).toBeUndefined();
    await createRoomRow(newRoomRow({ roomId: 'r-touch-a', kind: 'public', name: 'A', createdBy: 'u1' }, AT));
    await createRoomRow(newRoomRow({ roomId: 'r-touch-b', kind: 'public', name: 'B', createdBy: 'u1' }, AT));
    expect(await touchRoomActivity('r-touch-a', iso(AT + 1), AT + 1)).toBe(true);
    expect(await touchRoomActivity('r-touch-b', iso(AT + 2), AT + 2)).toBe(true);
    // Stamping b did not make the container forget a: a is still within its minute.
    expect(await touchRoomActivity('r-touch-a', iso(AT + 3), AT + 3)).toBe(false);
  });
});

describe('browsePublicRooms', () => {
  const ids = ['b-one', 'b-two', 'b-three'];
  beforeAll(async () => {
    // Far in the future, so these three are the newest public rooms whatever other tests created.
    const future = Date.UTC(2099, 0, 1);
    for (const [i, roomId] of ids.entries()) await createRoomRow(newRoomRow({ roomId, kind: 'public', name: roomId, createdBy: 'u1' }, future + i * 1000));
    await createRoomRow(newRoomRow({ roomId: `p_${'b'.repeat(26)}`, kind: 'private', name: 'hidden', createdBy: 'u1' }, future + 10_000));
  });

  it('lists public rooms only, most recent activity first, a page at a time', async () => {
    const first = await browsePublicRooms({ limit: 2 });
    expect(first.rooms.map((r) => r.roomId)).toEqual(['b-three', 'b-two']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await browsePublicRooms({ limit: 1, cursor: first.nextCursor! });
    expect(second.rooms.map((r) => r.roomId)).toEqual(['b-one']);
    const all = await browsePublicRooms({ limit: 1_000 });
    expect(all.rooms.some((r) => r.kind !== 'public')).toBe(false);
    expect(all.rooms.length).toBeLessThanOrEqual(100);
  });

  it('answers a cursor naming another index partition with an empty page, and a malformed one with BAD_REQUEST', async () => {
    const forged = Buffer.from(JSON.stringify({ roomId: 'b-one', browse: 'private', lastActivityAt: iso(AT) })).toString('base64url');
    expect(await browsePublicRooms({ limit: 10, cursor: forged })).toEqual({ rooms: [], nextCursor: null });
    await expect(browsePublicRooms({ limit: 10, cursor: 'garbage' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
