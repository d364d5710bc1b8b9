/**
 * Creating rooms and DMs. Public room ids are their names (NAME_TAKEN when one exists); private rooms get a
 * generated id, so a private room's name is never a key and creating a room cannot reveal that a private room of
 * that name exists. A DM's id is derived from the two sorted user ids: one DM per pair, by a conditional put.
 */
import { ulid } from 'ulid';
import { ChatError } from '../../lib/chat-error';
import {
  ErrorCode,
  PUBLIC_ROOM_ID,
  ROOM_ID_PREFIX,
  createRoomRequestSchema,
  dmRoomId,
  DM_USER_ID,
  roomNameSchema,
  topicSchema,
  type RoomWithMembershipResponse,
} from '../../lib/protocol';
import type { ChatUser } from './identity';
import { addMembership, getMemberships, toMembership } from './memberships';
import { addToMemberCount, createRoomRow, getRoom, newRoomRow, toSummary, type RoomRow } from './rooms';
import { consumeCreateAllowance } from './rate-limit';
import { announceAdded, ensureRoomAllowance, sharedPerson } from './room-membership';

/** The first issue of a zod parse as a typed error with `code`. */
function refuse(code: ErrorCode, result: { error?: { issues: { message: string }[] } }, fallback: string): never {
  throw new ChatError(code, result.error?.issues[0]?.message ?? fallback);
}

/** Validated create input: trimmed name and topic. */
export function parseCreateRoom(input: unknown): { name: string; topic: string; visibility: 'public' | 'private' } {
  const request = createRoomRequestSchema.safeParse(input);
  if (!request.success) {
    const issue = request.error.issues[0];
    throw new ChatError(ErrorCode.BadRequest, `Invalid "${issue?.path.join('.')}": ${issue?.message}`);
  }
  const name = roomNameSchema.safeParse(request.data.name);
  if (!name.success) refuse(ErrorCode.BadRoomName, name, 'Invalid room name');
  if (request.data.visibility === 'public' && !PUBLIC_ROOM_ID.test(name.data)) {
    throw new ChatError(ErrorCode.BadRoomName, 'Public room names use 1-40 lowercase letters, digits and inner dashes (e.g. "team-news")');
  }
  const topic = topicSchema.safeParse(request.data.topic ?? '');
  if (!topic.success) refuse(ErrorCode.BadTopic, topic, 'Invalid topic');
  return { name: name.data, topic: topic.data, visibility: request.data.visibility };
}

/** POST /rooms: creates a room with the caller as its owner and first member. */
export async function createRoom(user: ChatUser, input: unknown, now = Date.now()): Promise<RoomWithMembershipResponse> {
  const { name, topic, visibility } = parseCreateRoom(input);
  const taken = () => new ChatError(ErrorCode.NameTaken, `A public room named "${name}" already exists: join it, or pick another name`);
  // Checked before the allowance is spent, so a taken name costs nothing (the put below still guards the race).
  if (visibility === 'public' && (await getRoom(name))) throw taken();
  await ensureRoomAllowance(user.userId);
  await consumeCreateAllowance(user.userId, now);
  const roomId = visibility === 'public' ? name : `${ROOM_ID_PREFIX.private}${ulid(now).toLowerCase()}`;
  const row = newRoomRow({ roomId, kind: visibility, name, topic, createdBy: user.userId }, now);
  if (!(await createRoomRow(row))) throw taken();
  const { row: membership } = await addMembership({ roomId, kind: visibility, user, role: 'owner' }, now);
  await addToMemberCount(roomId, 1);
  const room: RoomRow = { ...row, memberCount: 1 };
  await announceAdded(user.userId, room);
  return { room: toSummary(room), membership: toMembership(membership) };
}

/** The name a DM shows to `viewerId`: the other person's. */
export function dmName(room: RoomRow, viewerId: string): { name: string; peer?: ChatUser } {
  const peerId = Object.keys(room.dmNames ?? {}).find((id) => id !== viewerId);
  if (!peerId) return { name: room.name };
  const displayName = room.dmNames![peerId]!;
  return { name: displayName, peer: { userId: peerId, displayName } };
}

/** POST /dms: the caller's one DM with `targetId` (someone they share a room with), created on first use. */
export async function openDm(caller: ChatUser, targetId: unknown, now = Date.now()): Promise<{ response: RoomWithMembershipResponse; created: boolean }> {
  if (typeof targetId !== 'string' || !DM_USER_ID.test(targetId)) {
    throw new ChatError(ErrorCode.UserNotFound, 'You can only add or message people you share a room with');
  }
  if (targetId === caller.userId) throw new ChatError(ErrorCode.Forbidden, 'A direct message needs another person');
  const target = await sharedPerson(caller, targetId);
  const roomId = dmRoomId(caller.userId, target.userId);
  // Only the caller's room limit is checked: a DM must always be able to reach its other person.
  const [already] = await getMemberships([{ roomId, userId: caller.userId }]);
  if (!already) await ensureRoomAllowance(caller.userId);
  const fresh = newRoomRow(
    { roomId, kind: 'dm', name: 'Direct message', createdBy: caller.userId, dmNames: { [caller.userId]: caller.displayName, [target.userId]: target.displayName } },
    now,
  );
  const created = await createRoomRow({ ...fresh, memberCount: 2 });
  const room = created ? { ...fresh, memberCount: 2 } : ((await getRoom(roomId, true)) ?? fresh);
  // Both become (again) members: someone who left a DM gets it back when it is opened again.
  const mine = await addMembership({ roomId, kind: 'dm', user: caller, role: 'member' }, now);
  const theirs = await addMembership({ roomId, kind: 'dm', user: target, role: 'member' }, now);
  const rejoined = (mine.created ? 1 : 0) + (theirs.created ? 1 : 0);
  if (!created && rejoined) await addToMemberCount(roomId, rejoined);
  if (mine.created) await announceAdded(caller.userId, room, dmName(room, caller.userId).name);
  if (theirs.created) await announceAdded(target.userId, room, dmName(room, target.userId).name);
  const { name, peer } = dmName(room, caller.userId);
  return { response: { room: toSummary(room, name), membership: toMembership(mine.row), ...(peer ? { peer } : {}) }, created };
}
