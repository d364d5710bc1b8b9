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
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ANONYMOUS_NAME } from './identity';
import { newMessage, putMessage } from './messages';
import { migrateRooms } from './migrate-rooms';
import { MEMBERSHIPS_TABLE, MESSAGES_TABLE, ROOMS_TABLE } from './tables';

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
    // One line per room, in room id order.
    expect(lines).toEqual([
      `created old-lobby: 2 members (+2), last activity ${new Date(t0 + 120_000).toISOString()}`,
      `created old-quiet: 1 members (+1), last activity ${new Date(t0 - 86_400_000).toISOString()}`,
    ]);

    const rooms = await stack.scan(ROOMS_TABLE.envVar);
    expect(rooms.find((r) => r.roomId === 'old-lobby')).toMatchObject({ kind: 'public', browse: 'public', memberCount: 2, lastActivityAt: new Date(t0 + 120_000).toISOString() });
    expect(rooms.find((r) => r.roomId === 'old-lobby')).toMatchObject({ name: 'old-lobby', createdBy: 'migration' });
    expect(rooms.find((r) => r.roomId === 'old-quiet')).toMatchObject({ memberCount: 1 });
    const browse = (await stack.as(ann, `${Paths.rooms}?limit=100`)).json.rooms.map((r: { roomId: string }) => r.roomId);
    expect(browse.indexOf('old-lobby')).toBeLessThan(browse.indexOf('old-quiet'));
    const members = (await stack.scan(MEMBERSHIPS_TABLE.envVar)).filter((m) => m.roomId === 'old-lobby');
    expect(members.map((m) => [m.userId, m.displayName]).sort()).toEqual([[ann.sub, ann.preferred_username], [ben.sub, ben.preferred_username]].sort());

    // Twice is the same as once.
    const before = [await stack.scan(ROOMS_TABLE.envVar), await stack.scan(MEMBERSHIPS_TABLE.envVar)];
    const again: string[] = [];
    expect(await migrateRooms((l) => again.push(l))).toMatchObject({ roomsCreated: 0, membershipsCreated: 0 });
    expect(again.filter((l) => l.includes('old-'))).toEqual([
      `kept    old-lobby: 2 members (+0), last activity ${new Date(t0 + 120_000).toISOString()}`,
      `kept    old-quiet: 1 members (+0), last activity ${new Date(t0 - 86_400_000).toISOString()}`,
    ]);
    expect([await stack.scan(ROOMS_TABLE.envVar), await stack.scan(MEMBERSHIPS_TABLE.envVar)]).toEqual(before);

    // Their sidebar now holds the old rooms; the old history is read, what comes after counts.
    const unreadOf = async () =>
      ((await stack.as(ben, Paths.myRooms)).json.rooms as Array<{ room: { roomId: string }; unread: number }>).map((r) => [r.room.roomId, r.unread]);
    expect((await unreadOf()).sort()).toEqual([['old-lobby', 0], ['old-quiet', 0]]);
    expect((await stack.as(ann, Paths.roomMessages('old-lobby'), { method: 'POST', body: { body: 'after the upgrade' } })).status).toBe(201);
    expect(Object.fromEntries(await unreadOf())).toEqual({ 'old-lobby': 1, 'old-quiet': 0 });
  });

  it('reads every page of a Messages table over 1 MB, and names an author without a name "Someone"', async () => {
    // 300 rows of ~4 KB: a Scan page stops at 1 MB, so the room's newest messages are on a later page.
    const t0 = Date.parse('2026-02-01T00:00:00Z');
    const rows = Array.from({ length: 300 }, (_, i) => ({
      ...newMessage({ roomId: 'old-big', author: { userId: i === 299 ? 'nameless' : 'writer', displayName: 'Writer' }, body: 'x'.repeat(4_000) }, t0 + i * 1000),
    }));
    delete (rows[299] as { authorName?: string }).authorName;
    // A hand-written row without an author (no code writes one) makes no member.
    const authorless: Record<string, unknown> = { ...newMessage({ roomId: 'old-big', author: { userId: 'x', displayName: 'X' }, body: 'system' }, t0 - 1000) };
    delete authorless.authorId;
    rows.unshift(authorless as (typeof rows)[number]);
    const table = stack.dynamo.tableNames[MESSAGES_TABLE.envVar]!;
    for (let i = 0; i < rows.length; i += 25) {
      await stack.docClient.send(new BatchWriteCommand({ RequestItems: { [table]: rows.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    const report = await migrateRooms();
    expect(report.messagesScanned).toBeGreaterThanOrEqual(301);
    const room = (await stack.scan(ROOMS_TABLE.envVar)).find((r) => r.roomId === 'old-big');
    expect(room).toMatchObject({ memberCount: 2, lastActivityAt: new Date(t0 + 299_000).toISOString() });
    const members = (await stack.scan(MEMBERSHIPS_TABLE.envVar)).filter((m) => m.roomId === 'old-big');
    // Read up to the newest id, which here is not the newest message by time: the authorless row was made last (ids
    // only increase), with an older time. Both are tracked on their own.
    const newestId = rows.map((r) => r.messageId).sort().at(-1)!;
    expect(newestId).toBe(authorless.messageId);
    expect(Object.fromEntries(members.map((m) => [m.userId, [m.displayName, m.lastReadMessageId]]))).toEqual({
      writer: ['Writer', newestId],
      nameless: [ANONYMOUS_NAME, newestId],
    });
  });

  it('reports rooms in room id order, whatever order the table is scanned in', async () => {
    const ids = ['order-e', 'order-b', 'order-d', 'order-a', 'order-c', 'order-f'];
    for (const roomId of ids) await putMessage(newMessage({ roomId, author: { userId: 'o', displayName: 'O' }, body: 'hi' }));
    const lines: string[] = [];
    await migrateRooms((l) => lines.push(l));
    expect(lines.filter((l) => l.includes(' order-')).map((l) => l.split(' ')[1]!.replace(':', ''))).toEqual([...ids].sort());
  });

  it('leaves ids that cannot be from before rooms alone', async () => {
    await putMessage(newMessage({ roomId: 'p_01hzzzzzzzzzzzzzzzzzzzzzzz', author: { userId: 'x', displayName: 'X' }, body: 'odd' }));
    const report = await migrateRooms();
    expect(report.skipped).toEqual(['p_01hzzzzzzzzzzzzzzzzzzzzzzz']);
    expect((await stack.scan(ROOMS_TABLE.envVar)).some((r) => r.roomId === 'p_01hzzzzzzzzzzzzzzzzzzzzzzz')).toBe(false);
  });
});
