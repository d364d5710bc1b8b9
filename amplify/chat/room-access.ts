/**
 * Authorization for every room path, in one place. For private rooms and DMs the check is the caller's
 * membership row only: a room that does not exist has no membership rows, so "missing" and "not yours" take
 * the same code path and give the same NOT_FOUND by construction. Public rooms are readable by anyone signed in.
 */
import { ChatError, parseRoomId } from '../../lib/chat-error';
import { ErrorCode, roomKindOf, type RoomKind } from '../../lib/protocol';
import type { ChatUser } from './identity';
import { getMembership, type MembershipRow } from './memberships';
import { getRoom, type RoomRow } from './rooms';

/** The one answer for a missing room AND for a private room or DM the caller is not in (same code, same words). */
export function roomNotFound(): ChatError {
  return new ChatError(ErrorCode.NotFound, 'No such room: check the name, or ask one of its members to add you');
}

/** A public room the caller has not joined, for an action that needs membership. */
export function notMember(): ChatError {
  return new ChatError(ErrorCode.NotMember, 'Join this room first');
}

/** What the caller may see of a room. */
export interface RoomAccess {
  readonly roomId: string;
  readonly kind: RoomKind;
  /** The caller's membership, when they are a member. */
  readonly membership?: MembershipRow;
  /** The room row, when it had to be read (public rooms the caller is not in). */
  readonly room?: RoomRow;
}

/** Validates the id (BAD_ROOM) and tells its kind. */
export function parseRoom(raw: unknown): { roomId: string; kind: RoomKind } {
  const roomId = parseRoomId(raw);
  return { roomId, kind: roomKindOf(roomId)! };
}

/** A public room's row (`general` is created by the first "my rooms" request: see my-rooms.ts). */
export function publicRoom(roomId: string): Promise<RoomRow | undefined> {
  return getRoom(roomId);
}

/**
 * May the caller READ this room (history, subscribe, room info, members, presence)? Members: yes. Public room:
 * yes if it exists. Anything else: NOT_FOUND. Costs one GetItem for members, two for public-room visitors.
 */
export async function readableRoom(user: ChatUser, raw: unknown): Promise<RoomAccess> {
  const { roomId, kind } = parseRoom(raw);
  const membership = await getMembership(roomId, user.userId);
  if (membership) return { roomId, kind, membership };
  if (kind !== 'public') throw roomNotFound();
  const room = await publicRoom(roomId);
  if (!room) throw roomNotFound();
  return { roomId, kind, room };
}

/**
 * Is the caller a MEMBER (read position, mute, typing, adding people)? Private room / DM without membership:
 * NOT_FOUND; existing public room without membership: NOT_MEMBER.
 */
export async function memberRoom(user: ChatUser, raw: unknown): Promise<RoomAccess & { membership: MembershipRow }> {
  const access = await readableRoom(user, raw);
  if (!access.membership) throw notMember();
  return access as RoomAccess & { membership: MembershipRow };
}
