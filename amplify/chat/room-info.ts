/** Room info and member lists (GET /rooms/{roomId}, GET /rooms/{roomId}/members): readable rooms only. */
import type { MembersResponse, RoomInfoResponse } from '../../lib/protocol';
import type { ChatUser } from './identity';
import { listMembers, toMembership } from './memberships';
import { getRoom, toSummary } from './rooms';
import { readableRoom, roomNotFound } from './room-access';
import { dmName } from './room-create';

/** The room and the caller's membership (null for a public room not joined: the UI offers Join). */
export async function roomInfo(user: ChatUser, raw: unknown): Promise<RoomInfoResponse> {
  const access = await readableRoom(user, raw);
  const room = access.room ?? (await getRoom(access.roomId));
  if (!room) throw roomNotFound();
  const dm = room.kind === 'dm' ? dmName(room, user.userId) : undefined;
  return {
    room: toSummary(room, dm?.name),
    membership: access.membership ? toMembership(access.membership) : null,
    ...(dm?.peer ? { peer: dm.peer } : {}),
  };
}

/** One page of the room's members. */
export async function roomMembers(user: ChatUser, raw: unknown, query: { limit: number; cursor?: string }): Promise<MembersResponse> {
  const access = await readableRoom(user, raw);
  return listMembers(access.roomId, query);
}
