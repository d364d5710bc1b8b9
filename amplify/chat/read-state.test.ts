/**
 * Read position and mute against real dynalite and the gateway's real sockets: the position only moves forward and
 * only a move is synced to the member's sockets; mute always is; a non-member gets NOT_MEMBER for an existing public
 * room and NOT_FOUND otherwise, and nothing is written.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/protocol';
import type { ChatUser } from './identity';
import { addMembership, getMembership } from './memberships';
import { markRead, setMute } from './read-state';
import { createRoomRow, newRoomRow } from './rooms';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

async function member(roomId: string) {
  const user = testUser('Reader');
  const chatUser: ChatUser = { userId: user.sub, displayName: 'Reader' };
  await createRoomRow(newRoomRow({ roomId, kind: 'public', name: roomId, createdBy: 'test' }));
  await addMembership({ roomId, kind: 'public', user: chatUser, role: 'member', lastReadMessageId: '01J0000000000000000000000B' });
  // A member's sockets are found through their subscriptions: subscribed to the room, as the client does.
  const socket = await stack.connect(user, roomId);
  return { chatUser, socket };
}

describe('markRead', () => {
  it('moves forward and syncs the move to the member’s sockets; an older id changes and syncs nothing', async () => {
    const { chatUser, socket } = await member('read-forward');
    const older = await markRead(chatUser, 'read-forward', '01J0000000000000000000000A');
    expect(older.membership.lastReadMessageId).toBe('01J0000000000000000000000B');
    const newer = await markRead(chatUser, 'read-forward', '01J0000000000000000000000C');
    expect(newer).toMatchObject({ roomId: 'read-forward', membership: { lastReadMessageId: '01J0000000000000000000000C' } });
    // Posts to one socket arrive in order: the first readState frame is the forward move's.
    expect(await socket.next((f) => f.type === 'readState')).toEqual({ type: 'readState', roomId: 'read-forward', lastReadMessageId: '01J0000000000000000000000C', muted: false });
    await socket.settle();
    expect(socket.pending().filter((f) => f.type === 'readState')).toEqual([]);
    await socket.close();
  });

  it('refuses a non-member: NOT_MEMBER for an existing public room, NOT_FOUND for none, nothing written', async () => {
    await createRoomRow(newRoomRow({ roomId: 'read-visitor', kind: 'public', name: 'v', createdBy: 'test' }));
    const visitor: ChatUser = { userId: testUser().sub, displayName: 'Visitor' };
    expect(await refusal(markRead(visitor, 'read-visitor', '01J0000000000000000000000C'))).toMatchObject({ code: ErrorCode.NotMember });
    expect(await refusal(markRead(visitor, 'read-nowhere', '01J0000000000000000000000C'))).toMatchObject({ code: ErrorCode.NotFound });
    expect(await refusal(setMute(visitor, 'read-visitor', true))).toMatchObject({ code: ErrorCode.NotMember });
    expect(await refusal(setMute(visitor, `p_${'0'.repeat(26)}`, true))).toMatchObject({ code: ErrorCode.NotFound });
    expect(await getMembership('read-visitor', visitor.userId)).toBeUndefined();
  });
});

describe('setMute', () => {
  it('stores and syncs mute and unmute, keeping the read position', async () => {
    const { chatUser, socket } = await member('read-mute');
    expect((await setMute(chatUser, 'read-mute', true)).membership).toMatchObject({ muted: true, lastReadMessageId: '01J0000000000000000000000B' });
    expect(await socket.next((f) => f.type === 'readState')).toEqual({ type: 'readState', roomId: 'read-mute', lastReadMessageId: '01J0000000000000000000000B', muted: true });
    expect((await setMute(chatUser, 'read-mute', false)).membership.muted).toBe(false);
    expect(await socket.next((f) => f.type === 'readState')).toMatchObject({ muted: false });
    await socket.close();
  });
});
