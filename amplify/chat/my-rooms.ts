/**
 * "My rooms" (GET /me/rooms): the caller's memberships with each room's unread and mention counts and last
 * message, most recent activity first. One Query of the caller's memberships, one BatchGet of the rooms, then one
 * Query per room (bounded concurrency). A user with no membership at all is joined to `general` first: that is how
 * existing users (from before rooms) and new sign-ups become members of it.
 */
import { DEFAULT_ROOM, type MyRoom } from '../../lib/protocol';
import type { ChatUser } from './identity';
import { listUserMemberships, toMembership, type MembershipRow } from './memberships';
import { ensureDefaultRoom, getRoom, getRooms, toSummary as toSummaryOf } from './rooms';
import { joinPublic } from './room-membership';
import { dmName } from './room-create';
import { roomActivity } from './unread';
import { mapLimited } from './concurrency';

/** Parallel per-room queries: enough to hide latency, few enough not to burst the table. */
const ROOM_QUERY_CONCURRENCY = 8;

/** The caller's memberships, joining `general` when there are none. */
async function membershipsOf(user: ChatUser, now: number): Promise<MembershipRow[]> {
  const rows = await listUserMemberships(user.userId);
  if (rows.length) return rows;
  // `general` itself is created here on first need: a fresh stack, or the first request after the upgrade.
  await ensureDefaultRoom(now);
  const general = await getRoom(DEFAULT_ROOM, true);
  if (!general) return rows;
  return [(await joinPublic(user, general, now)).row];
}

/** Every room of the caller, with counts and preview, most recent activity first. */
export async function myRooms(user: ChatUser, now = Date.now()): Promise<MyRoom[]> {
  const memberships = await membershipsOf(user, now);
  const rooms = await getRooms(memberships.map((m) => m.roomId));
  const present = memberships.filter((m) => rooms.has(m.roomId));
  const entries = await mapLimited(present, ROOM_QUERY_CONCURRENCY, async (m): Promise<MyRoom> => {
    const row = rooms.get(m.roomId)!;
    const activity = await roomActivity(m.roomId, user.userId, m.lastReadMessageId);
    const dm = row.kind === 'dm' ? dmName(row, user.userId) : undefined;
    const lastActivityAt = activity.lastMessage && activity.lastMessage.createdAt > row.lastActivityAt ? activity.lastMessage.createdAt : row.lastActivityAt;
    return {
      room: { ...toSummaryOf(row, dm?.name), lastActivityAt },
      membership: toMembership(m),
      unread: activity.unread,
      mentions: activity.mentions,
      lastMessage: activity.lastMessage,
      ...(dm?.peer ? { peer: dm.peer } : {}),
    };
  });
  return entries.sort((a, b) => b.room.lastActivityAt.localeCompare(a.room.lastActivityAt) || a.room.roomId.localeCompare(b.room.roomId));
}
