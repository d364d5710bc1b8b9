/**
 * The one-time rooms migration against real dynalite holding pre-rooms data (messages written straight to the table,
 * as the old code left them): rooms with messages appear in Browse with their authors as members; running it twice
 * changes nothing; old users land in `general` through "my rooms".
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Paths } from '../../lib/protocol';
import type { ChatUser } from './identity';
import { newMessage, putMessage } from './messages';
import { migrateRooms } from './migrate-rooms';
import { MEMBERSHIPS_TABLE, ROOMS_TABLE } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

describe('migrate:rooms', () => {
  it('puts every old room with messages into Browse with its authors as members, once', async () => {
    const [ann, ben] = [testUser('Ann'), testUser('Ben')];
    const as = (u: typeof ann): ChatUser => ({ userId: u.sub, displayName: u.preferred_username });
    const t0 = Date.parse('2026-01-01T10:00:00Z');
    for (const [roomId, author, at] of [
      ['old-lobby', ann, t0],
      ['old-lobby', ben, t0 + 60_000],
      ['old-lobby', ann, t0 + 120_000],
      ['old-quiet', ben, t0 - 86_400_000],
    ] as const) {
      await putMessage(newMessage({ roomId, author: as(author), body: `hello from ${author.preferred_username}` }, at));
    }
    const lines: string[] = [];
    const report = await migrateRooms((l) => lines.push(l));
    expect(report).toMatchObject({ messagesScanned: 4, roomsFound: 2, roomsCreated: 2, membershipsCreated: 3, skipped: [] });
    expect(lines).toHaveLength(2);

    const rooms = await stack.scan(ROOMS_TABLE.envVar);
    expect(rooms.find((r) => r.roomId === 'old-lobby')).toMatchObject({ kind: 'public', browse: 'public', memberCount: 2, lastActivityAt: new Date(t0 + 120_000).toISOString() });
    expect(rooms.find((r) => r.roomId === 'old-quiet')).toMatchObject({ memberCount: 1 });
    const browse = (await stack.as(ann, `${Paths.rooms}?limit=100`)).json.rooms.map((r: { roomId: string }) => r.roomId);
    expect(browse.indexOf('old-lobby')).toBeLessThan(browse.indexOf('old-quiet'));
    const members = (await stack.scan(MEMBERSHIPS_TABLE.envVar)).filter((m) => m.roomId === 'old-lobby').map((m) => m.userId);
    expect(members.sort()).toEqual([ann.sub, ben.sub].sort());

    // Twice is the same as once.
    const before = [await stack.scan(ROOMS_TABLE.envVar), await stack.scan(MEMBERSHIPS_TABLE.envVar)];
    expect(await migrateRooms()).toMatchObject({ roomsCreated: 0, membershipsCreated: 0 });
    expect([await stack.scan(ROOMS_TABLE.envVar), await stack.scan(MEMBERSHIPS_TABLE.envVar)]).toEqual(before);

    // Their sidebar now holds the old rooms; the old history is read, what comes after counts.
    const unreadOf = async () =>
      ((await stack.as(ben, Paths.myRooms)).json.rooms as Array<{ room: { roomId: string }; unread: number }>).map((r) => [r.room.roomId, r.unread]);
    expect((await unreadOf()).sort()).toEqual([['old-lobby', 0], ['old-quiet', 0]]);
    expect((await stack.as(ann, Paths.roomMessages('old-lobby'), { method: 'POST', body: { body: 'after the upgrade' } })).status).toBe(201);
    expect(Object.fromEntries(await unreadOf())).toEqual({ 'old-lobby': 1, 'old-quiet': 0 });
  });

  it('leaves ids that cannot be from before rooms alone', async () => {
    await putMessage(newMessage({ roomId: 'p_01hzzzzzzzzzzzzzzzzzzzzzzz', author: { userId: 'x', displayName: 'X' }, body: 'odd' }));
    const report = await migrateRooms();
    expect(report.skipped).toEqual(['p_01hzzzzzzzzzzzzzzzzzzzzzzz']);
    expect((await stack.scan(ROOMS_TABLE.envVar)).some((r) => r.roomId === 'p_01hzzzzzzzzzzzzzzzzzzzzzzz')).toBe(false);
  });
});
