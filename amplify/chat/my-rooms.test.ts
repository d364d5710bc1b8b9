/**
 * "My rooms" against real dynalite: a newcomer is joined to general; rooms whose row is gone are left out; a DM is
 * named after the other person; a room's last activity is its newest message when that is newer than the row says;
 * most recent activity first, ties by room id.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from './db';
import { DEFAULT_ROOM, dmRoomId } from '../../lib/protocol';
import type { ChatUser } from './identity';
import { addMembership } from './memberships';
import { newMessage, putMessage } from './messages';
import { myRooms } from './my-rooms';
import { createRoomRow, newRoomRow } from './rooms';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const person = (name: string): ChatUser => ({ userId: testUser(name).sub, displayName: name });
const T = (minutes: number) => Date.UTC(2031, 0, 1, 12, minutes);
const iso = (minutes: number) => new Date(T(minutes)).toISOString();

async function room(roomId: string, kind: 'public' | 'private', at: number, user: ChatUser) {
  await createRoomRow(newRoomRow({ roomId, kind, name: roomId, createdBy: user.userId }, at));
  await addMembership({ roomId, kind, user, role: 'owner' }, at);
}

describe('myRooms', () => {
  it('joins a newcomer to general, and lists it', async () => {
    const newcomer = person('New');
    // general is read right after it may have been created: the read must be consistent.
    const reads: unknown[] = [];
    db().middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'GetItemCommand') reads.push(args.input);
        return next(args);
      },
      { step: 'initialize', name: 'myRoomsReads', priority: 'high' },
    );
    const rooms = await myRooms(newcomer).finally(() => db().middlewareStack.remove('myRoomsReads'));
    expect(reads).toContainEqual(expect.objectContaining({ Key: { roomId: DEFAULT_ROOM }, ConsistentRead: true }));
    expect(rooms.map((r) => r.room.roomId)).toEqual([DEFAULT_ROOM]);
    expect(rooms[0]!.membership).toMatchObject({ role: 'member' });
    expect(await myRooms(newcomer)).toHaveLength(1);
  });

  it('orders by last activity (newest message or the row, whichever is newer), ties by room id, without rooms that are gone', async () => {
    const me = person('Me');
    await room('mine-old', 'public', T(0), me);
    await room('mine-b', 'public', T(10), me);
    await room('mine-a', 'public', T(10), me);
    await room('mine-quiet', 'public', T(30), me);
    // mine-old's row says T(0), but a message at T(20) is newer: that is its activity.
    await putMessage(newMessage({ roomId: 'mine-old', author: me, body: 'later' }, T(20)));
    // mine-quiet's row (T(30)) is newer than its only message (T(5)).
    await putMessage(newMessage({ roomId: 'mine-quiet', author: me, body: 'early' }, T(5)));
    // A membership of a room whose row is gone.
    await addMembership({ roomId: 'mine-gone', kind: 'public', user: me, role: 'member' }, T(40));
    const rooms = await myRooms(me);
    expect(rooms.map((r) => [r.room.roomId, r.room.lastActivityAt])).toEqual([
      ['mine-quiet', iso(30)],
      ['mine-old', iso(20)],
      ['mine-a', iso(10)],
      ['mine-b', iso(10)],
    ]);
    expect(rooms.find((r) => r.room.roomId === 'mine-old')!.lastMessage).toMatchObject({ body: 'later' });
    expect(rooms.every((r) => !('peer' in r))).toBe(true);
  });

  it('names a DM after the other person and gives them as peer', async () => {
    const [ada, bob] = [person('Ada'), person('Bob')];
    const roomId = dmRoomId(ada.userId, bob.userId);
    await createRoomRow({ ...newRoomRow({ roomId, kind: 'dm', name: 'Direct message', createdBy: ada.userId, dmNames: { [ada.userId]: 'Ada', [bob.userId]: 'Bob' } }), memberCount: 2 });
    for (const user of [ada, bob]) await addMembership({ roomId, kind: 'dm', user, role: 'member' });
    expect(await myRooms(ada)).toEqual([expect.objectContaining({ room: expect.objectContaining({ roomId, name: 'Bob' }), peer: bob })]);
    expect((await myRooms(bob))[0]).toMatchObject({ room: { name: 'Ada' }, peer: ada });
  });
});
