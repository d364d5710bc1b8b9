/**
 * Joining, leaving, adding and removing people. Rules: anyone joins a public room; nobody adds themselves to a
 * private room or DM; members add people they share a room with; members of a private room remove people; anyone
 * leaves. A removed person's sockets stop receiving the room at once (their subscriptions are deleted).
 */
import { ChatError } from '../../lib/chat-error';
import { ErrorCode, LIMITS, type Member, type RoomWithMembershipResponse } from '../../lib/protocol';
import type { ChatUser } from './identity';
import {
  addMembership,
  countUserRooms,
  getMemberships,
  listUserMemberships,
  removeMembership,
  toMember,
  toMembership,
  type MembershipRow,
} from './memberships';
import { addToMemberCount, getRoom, toSummary, type RoomRow } from './rooms';
import { memberRoom, parseRoom, publicRoom, roomNotFound } from './room-access';
import { dropUserFromRoom, userConnectionIds } from './subscriptions';
import { announceNewMember } from './presence';
import { postToAll, postToUser } from './broadcast';
import { newestMessageId } from './messages';

/** TOO_MANY_ROOMS unless `userId` may join one more room. */
export async function ensureRoomAllowance(userId: string, who: 'you' | string = 'you'): Promise<void> {
  if ((await countUserRooms(userId)) < LIMITS.roomsPerUser) return;
  throw new ChatError(
    ErrorCode.TooManyRooms,
    who === 'you'
      ? `You are in ${LIMITS.roomsPerUser} rooms, the most allowed; leave one to join another`
      : `${who} is in ${LIMITS.roomsPerUser} rooms, the most allowed; they need to leave one first`,
  );
}

/** The person `targetId` as seen from a room the caller shares with them, or USER_NOT_FOUND (unknown and stranger look alike). */
export async function sharedPerson(caller: ChatUser, targetId: string): Promise<ChatUser> {
  const unknown = new ChatError(ErrorCode.UserNotFound, 'You can only add or message people you share a room with');
  if (typeof targetId !== 'string' || targetId.length === 0 || targetId.length > 128) throw unknown;
  const mine = await listUserMemberships(caller.userId);
  const theirs = await getMemberships(mine.map((m) => ({ roomId: m.roomId, userId: targetId })), false);
  const row = theirs[0];
  if (!row) throw unknown;
  return { userId: row.userId, displayName: row.displayName };
}

/** Tells all of `userId`'s sockets they are now in `room` (they subscribe to it). */
export async function announceAdded(userId: string, room: RoomRow, name?: string): Promise<void> {
  await postToUser(userId, { type: 'membership', roomId: room.roomId, change: 'added', room: toSummary(room, name) });
}

/** PUT /rooms/{roomId}/membership: joins a public room (idempotent). Private rooms and DMs cannot be joined. */
export async function joinRoom(user: ChatUser, raw: unknown, now = Date.now()): Promise<RoomWithMembershipResponse> {
  const { roomId, kind } = parseRoom(raw);
  if (kind !== 'public') {
    // Nobody adds themselves to a private room or DM: a member "joining" again is a no-op, anyone else gets NOT_FOUND.
    const access = await memberRoom(user, roomId);
    const room = await existingRoom(roomId);
    return { room: toSummary(room), membership: toMembership(access.membership) };
  }
  const room = await publicRoom(roomId);
  if (!room) throw roomNotFound();
  const { row, created } = await joinPublic(user, room, now);
  return { room: toSummary({ ...room, memberCount: room.memberCount + (created ? 1 : 0) }), membership: toMembership(row) };
}

async function existingRoom(roomId: string): Promise<RoomRow> {
  const room = await getRoom(roomId);
  if (!room) throw roomNotFound();
  return room;
}

/** Makes `user` a member of the existing public `room` (limits checked); used by Join and by a first send. */
export async function joinPublic(user: ChatUser, room: RoomRow, now = Date.now()): Promise<{ row: MembershipRow; created: boolean }> {
  await ensureRoomAllowance(user.userId);
  const lastReadMessageId = await newestMessageId(room.roomId);
  const result = await addMembership({ roomId: room.roomId, kind: 'public', user, role: 'member', lastReadMessageId }, now);
  if (result.created) {
    await addToMemberCount(room.roomId, 1);
    await announceAdded(user.userId, { ...room, memberCount: room.memberCount + 1 });
    await announceNewMember(user, room.roomId, now);
  }
  return result;
}

/** DELETE /rooms/{roomId}/membership: leaves (any kind). Not a member: NOT_FOUND, or a no-op for an existing public room. */
export async function leaveRoom(user: ChatUser, raw: unknown): Promise<void> {
  const { roomId, kind } = parseRoom(raw);
  const sockets = await userConnectionIds(user.userId);
  const removed = await removeMembership(roomId, user.userId);
  if (!removed) {
    if (kind === 'public' && (await publicRoom(roomId))) return;
    throw roomNotFound();
  }
  await addToMemberCount(roomId, -1);
  await dropUserFromRoom(user.userId, roomId);
  await postToAll(sockets, { type: 'membership', roomId, change: 'removed' });
}

/** POST /rooms/{roomId}/members: a member adds someone they share a room with (public or private rooms; not DMs). */
export async function addMember(caller: ChatUser, raw: unknown, targetId: string, now = Date.now()): Promise<{ member: Member; created: boolean }> {
  const access = await memberRoom(caller, raw);
  if (access.kind === 'dm') throw new ChatError(ErrorCode.Forbidden, 'A direct message is between two people; create a private room to talk with more');
  const target = await sharedPerson(caller, targetId);
  const [existing] = await getMemberships([{ roomId: access.roomId, userId: target.userId }]);
  if (existing) return { member: toMember(existing), created: false };
  await ensureRoomAllowance(target.userId, target.displayName);
  const lastReadMessageId = await newestMessageId(access.roomId);
  const { row, created } = await addMembership({ roomId: access.roomId, kind: access.kind, user: target, role: 'member', lastReadMessageId }, now);
  if (!created) return { member: toMember(row), created: false };
  const max = access.kind === 'private' ? LIMITS.membersPerPrivateRoom : undefined;
  if (!(await addToMemberCount(access.roomId, 1, max))) {
    await removeMembership(access.roomId, target.userId);
    throw new ChatError(ErrorCode.RoomFull, `This room has ${LIMITS.membersPerPrivateRoom} members, the most a private room can have`);
  }
  const room = await existingRoom(access.roomId);
  await announceAdded(target.userId, room);
  await announceNewMember(target, access.roomId, now);
  return { member: toMember(row), created: true };
}

/** DELETE /rooms/{roomId}/members/{userId}: removing yourself is leaving; removing others only in private rooms. */
export async function removeMember(caller: ChatUser, raw: unknown, targetId: string): Promise<void> {
  const access = await memberRoom(caller, raw).catch((error: unknown) => {
    // Removing yourself from a public room you are not in is the same no-op as leaving it.
    if (error instanceof ChatError && error.code === ErrorCode.NotMember && targetId === caller.userId) return undefined;
    throw error;
  });
  if (!access || targetId === caller.userId) return leaveRoom(caller, raw);
  if (access.kind !== 'private') {
    throw new ChatError(
      ErrorCode.Forbidden,
      access.kind === 'dm' ? 'A direct message always has its two people; leave it instead' : 'Public rooms are open to everyone: people leave them themselves',
    );
  }
  const sockets = await userConnectionIds(targetId);
  const removed = await removeMembership(access.roomId, targetId);
  if (!removed) throw new ChatError(ErrorCode.UserNotFound, 'That person is not a member of this room');
  await addToMemberCount(access.roomId, -1);
  await dropUserFromRoom(targetId, access.roomId);
  await postToAll(sockets, { type: 'membership', roomId: access.roomId, change: 'removed' });
}
