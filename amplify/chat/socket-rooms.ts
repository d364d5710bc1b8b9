/**
 * What one socket does with rooms: subscribe (authorized per room), unsubscribe, typing, and the cleanup when it
 * closes. A subscription is written only after the membership check, then the check is repeated (consistent read):
 * a removal that raced the subscribe deletes the row the removal could not see, so a removed member never keeps
 * receiving a private room; a join that raced it (a visit become a membership) is announced to the room.
 */
import { LIMITS, roomKindOf } from '../../lib/protocol';
import { ChatError, parseRoomId } from '../../lib/chat-error';
import type { ChatUser } from './identity';
import { getMemberships } from './memberships';
import { getRooms } from './rooms';
import { roomNotFound } from './room-access';
import { deleteSubscriptions, putSubscriptions, userSubscriptions } from './subscriptions';
import { announcePresence, roomsWithoutOtherSockets } from './presence';
import { broadcast } from './broadcast';

/** A refused room of a subscribe. */
export interface Refusal {
  readonly roomId: string;
  readonly code: string;
  readonly message: string;
}

/** Subscribes `connectionId` to every room of `raw` the user may read; the rest are refused with their typed error. */
export async function subscribe(connectionId: string, user: ChatUser, raw: readonly string[], now = Date.now()): Promise<{ roomIds: string[]; refused: Refusal[] }> {
  const refused: Refusal[] = [];
  const refuse = (roomId: string, error: ChatError) => refused.push({ roomId, code: error.code, message: error.message });
  const valid: string[] = [];
  for (const id of new Set(raw)) {
    try {
      valid.push(parseRoomId(id));
    } catch (error) {
      refuse(String(id).slice(0, 140), error as ChatError);
    }
  }
  const member = new Set((await getMemberships(valid.map((roomId) => ({ roomId, userId: user.userId })))).map((m) => m.roomId));
  const visiting = valid.filter((id) => !member.has(id) && roomKindOf(id) === 'public');
  const existing = await getRooms(visiting);
  const allowed = valid.filter((id) => {
    if (member.has(id) || existing.has(id)) return true;
    refuse(id, roomNotFound());
    return false;
  });
  await putSubscriptions(connectionId, user, allowed, now);
  // The re-check, one consistent read after the write, of every room whose membership the write relied on or lacked:
  // a private membership that vanished meanwhile (a removal) takes its fresh subscription with it; a visit that became
  // a membership meanwhile (the first room list joins `general` while the first subscribe runs) found no subscription
  // to announce, so this subscribe announces it (see announceNewMember).
  const recheck = allowed.filter((id) => !member.has(id) || roomKindOf(id) !== 'public');
  const still = new Set((await getMemberships(recheck.map((roomId) => ({ roomId, userId: user.userId })))).map((m) => m.roomId));
  const lost = recheck.filter((id) => member.has(id) && !still.has(id));
  if (lost.length) {
    await deleteSubscriptions(lost.map((roomId) => ({ roomId, connectionId })));
    for (const id of lost) refuse(id, roomNotFound());
  }
  const roomIds = allowed.filter((id) => !lost.includes(id));
  // Presence: announce only rooms the user is a member of and had no other socket in.
  const memberRooms = roomIds.filter((id) => member.has(id) || still.has(id));
  // Stryker disable next-line ConditionalExpression: equivalent — announcing no rooms sends nothing; the guard saves a query.
  if (memberRooms.length) {
    const fresh = roomsWithoutOtherSockets(memberRooms, await userSubscriptions(user.userId, undefined, now), connectionId);
    await announcePresence(user, fresh, 'joined', connectionId);
  }
  return { roomIds, refused };
}

/** Unsubscribes `connectionId` from these rooms (those it is not subscribed to are ignored). */
export async function unsubscribe(connectionId: string, user: ChatUser, raw: readonly string[]): Promise<string[]> {
  const wanted = new Set(raw);
  const subscriptions = await userSubscriptions(user.userId, undefined, 0);
  const mine = subscriptions.filter((s) => s.connectionId === connectionId && wanted.has(s.roomId));
  await deleteSubscriptions(mine);
  const gone = roomsWithoutOtherSockets(
    mine.map((s) => s.roomId),
    subscriptions,
    connectionId,
  );
  // Stryker disable next-line StringLiteral: equivalent — announcePresence tells only 'joined' apart; anything else is a leave.
  await announcePresence(user, gone, 'left', connectionId);
  return mine.map((s) => s.roomId);
}

/** The socket closed: drop all its subscriptions and tell rooms where it was the user's last socket. */
export async function closeSocket(connectionId: string, user: ChatUser): Promise<void> {
  const subscriptions = await userSubscriptions(user.userId, undefined, 0);
  const mine = subscriptions.filter((s) => s.connectionId === connectionId);
  await deleteSubscriptions(mine);
  // Stryker disable next-line StringLiteral: equivalent — announcePresence tells only 'joined' apart; anything else is a leave.
  await announcePresence(user, roomsWithoutOtherSockets(mine.map((s) => s.roomId), subscriptions, connectionId), 'left', connectionId);
}

/** Last typing fan-out per socket and room in this container: a chatty client cannot flood a room. */
const lastTyping = new Map<string, number>();
const TYPING_MIN_GAP_MS = 1000;

/**
 * Fans "typing" out to the room's other sockets; members only (checked by the caller). Returns false when throttled.
 * Not sent at all in rooms with more than `LIMITS.typingMaxOnline` people online (docs/messages.md).
 */
export async function typing(connectionId: string, user: ChatUser, roomId: string, now = Date.now()): Promise<boolean> {
  const key = `${connectionId} ${roomId}`;
  if (now - (lastTyping.get(key) ?? -Infinity) < TYPING_MIN_GAP_MS) return false;
  if (lastTyping.size > 10_000) lastTyping.clear();
  lastTyping.set(key, now);
  await broadcast(roomId, { type: 'typing', roomId, user: { userId: user.userId, displayName: user.displayName } }, {
    exclude: [connectionId],
    maxOnlineUsers: LIMITS.typingMaxOnline,
  });
  return true;
}
