/**
 * Read position and mute, per member. Both are synced to all the member's sockets with a `readState` frame, so
 * other tabs and devices update within one post (the sync target is 2 s).
 */
import type { MembershipResponse } from '../../lib/protocol';
import type { ChatUser } from './identity';
import { advanceReadPosition, setMuted, toMembership, type MembershipRow } from './memberships';
import { notMember, parseRoom, publicRoom, roomNotFound } from './room-access';
import { postToUser } from './broadcast';

/** The error for "not a member": NOT_MEMBER for an existing public room, else NOT_FOUND. */
async function notAMember(roomId: string, kind: string): Promise<never> {
  if (kind === 'public' && (await publicRoom(roomId))) throw notMember();
  throw roomNotFound();
}

/** Sends the member's state to all their sockets. */
async function syncReadState(userId: string, row: MembershipRow): Promise<void> {
  await postToUser(userId, { type: 'readState', roomId: row.roomId, lastReadMessageId: row.lastReadMessageId ?? null, muted: row.muted === true });
}

/**
 * Moves the read position forward to `messageId` (an older id changes nothing and syncs nothing). One conditional
 * update; the membership condition is the authorization.
 */
export async function markRead(user: ChatUser, raw: unknown, messageId: string): Promise<MembershipResponse> {
  const { roomId, kind } = parseRoom(raw);
  const row = await advanceReadPosition(roomId, user.userId, messageId);
  if (!row) return notAMember(roomId, kind);
  if (row.lastReadMessageId === messageId) await syncReadState(user.userId, row);
  return { roomId, membership: toMembership(row) };
}

/** Mutes or unmutes the room for the caller. */
export async function setMute(user: ChatUser, raw: unknown, muted: boolean): Promise<MembershipResponse> {
  const { roomId, kind } = parseRoom(raw);
  const row = await setMuted(roomId, user.userId, muted);
  if (!row) return notAMember(roomId, kind);
  await syncReadState(user.userId, row);
  return { roomId, membership: toMembership(row) };
}

