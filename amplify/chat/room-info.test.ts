/**
 * Room info against real dynalite: a DM is named after the other person (with them as `peer`), a public room a
 * visitor has not joined comes with no membership, and a membership whose room row is gone is NOT_FOUND, like any
 * room the caller may not read.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatError } from '../../lib/chat-error';
import { dmRoomId, ErrorCode } from '../../lib/protocol';
import type { ChatUser } from './identity';
import { addMembership } from './memberships';
import { roomInfo } from './room-info';
import { createRoomRow, newRoomRow } from './rooms';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const person = (name: string): ChatUser => ({ userId: testUser(name).sub, displayName: name });
const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as ChatError);

describe('roomInfo', () => {
  it('names a DM after the other person, for each of the two', async () => {
    const [ada, bob] = [person('Ada'), person('Bob')];
    const roomId = dmRoomId(ada.userId, bob.userId);
    await createRoomRow({ ...newRoomRow({ roomId, kind: 'dm', name: 'Direct message', createdBy: ada.userId, dmNames: { [ada.userId]: 'Ada', [bob.userId]: 'Bob' } }), memberCount: 2 });
    for (const user of [ada, bob]) await addMembership({ roomId, kind: 'dm', user, role: 'member' });
    expect(await roomInfo(ada, roomId)).toMatchObject({ room: { roomId, kind: 'dm', name: 'Bob' }, membership: { role: 'member', muted: false }, peer: bob });
    expect(await roomInfo(bob, roomId)).toMatchObject({ room: { name: 'Ada' }, peer: ada });
  });

  it('gives a public room to a visitor with no membership and no peer, and to a member with theirs', async () => {
    const [owner, visitor] = [person('Owner'), person('Visitor')];
    await createRoomRow(newRoomRow({ roomId: 'info-public', kind: 'public', name: 'Info', topic: 'About', createdBy: owner.userId }));
    await addMembership({ roomId: 'info-public', kind: 'public', user: owner, role: 'owner' });
    const seen = await roomInfo(visitor, 'info-public');
    expect(seen).toEqual({ room: expect.objectContaining({ roomId: 'info-public', name: 'Info', topic: 'About', kind: 'public' }), membership: null });
    expect(await roomInfo(owner, 'info-public')).toMatchObject({ membership: { role: 'owner' } });
  });

  it('is NOT_FOUND for a membership whose room is gone, and for a private room of others', async () => {
    const ghost = person('Ghost');
    const privateId = `p_${'0'.repeat(25)}1`;
    await addMembership({ roomId: privateId, kind: 'private', user: ghost, role: 'member' });
    expect(await refusal(roomInfo(ghost, privateId))).toMatchObject({ code: ErrorCode.NotFound });
    expect(await refusal(roomInfo(person('Stranger'), privateId))).toMatchObject({ code: ErrorCode.NotFound });
  });
});
