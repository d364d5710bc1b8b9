/**
 * Presence per room = members with a live socket subscribed to it. Deltas: `joined` when a user's first socket
 * subscribes to a room they are a member of, `left` when their last one goes (unsubscribe, $disconnect). The full
 * list only on request, one page per request: a page of subscriptions, their liveness (one BatchGet of connection
 * rows) and membership (one BatchGet), de-duplicated by user.
 */
import type { PresenceListFrame, PresenceUser } from '../../lib/protocol';
import type { ChatUser } from './identity';
import { liveConnectionIds } from './connections';
import { getMemberships } from './memberships';
import { roomSubscriptionsPage, type SubscriptionRow } from './subscriptions';
import { broadcast } from './broadcast';
import { mapLimited } from './concurrency';

/** Rooms announced at once (each a fan-out of its own). */
const ROOMS_IN_PARALLEL = 4;

/** Subscriptions per presence page. */
export const PRESENCE_PAGE = 100;

/** One page of who is in the room, sorted by user id. */
export async function presencePage(roomId: string, cursor?: string, now = Date.now()): Promise<PresenceListFrame> {
  const page = await roomSubscriptionsPage(roomId, { startConnectionId: cursor, limit: PRESENCE_PAGE }, now);
  const live = await liveConnectionIds(page.rows.map((r) => r.connectionId), now);
  const byUser = new Map<string, PresenceUser>();
  for (const row of page.rows) if (live.has(row.connectionId)) byUser.set(row.userId, { userId: row.userId, displayName: row.displayName });
  const members = new Set((await getMemberships([...byUser.keys()].map((userId) => ({ roomId, userId })), false)).map((m) => m.userId));
  const users = [...byUser.values()].filter((u) => members.has(u.userId)).sort((a, b) => a.userId.localeCompare(b.userId));
  return { type: 'presenceList', roomId, users, nextCursor: page.lastConnectionId ?? null };
}

/** Rooms among `roomIds` where `user` has no subscription left other than `connectionId`'s. */
export function roomsWithoutOtherSockets(roomIds: readonly string[], subscriptions: readonly SubscriptionRow[], connectionId: string): string[] {
  const elsewhere = new Set(subscriptions.filter((s) => s.connectionId !== connectionId).map((s) => s.roomId));
  return roomIds.filter((roomId) => !elsewhere.has(roomId));
}

/** Tells each room's subscribers (but `connectionId`) that `user` joined or left it. */
export async function announcePresence(user: ChatUser, roomIds: readonly string[], change: 'joined' | 'left', connectionId: string): Promise<void> {
  const who = [{ userId: user.userId, displayName: user.displayName }];
  await mapLimited(roomIds, ROOMS_IN_PARALLEL, (roomId) =>
    broadcast(roomId, { type: 'presenceDelta', roomId, joined: change === 'joined' ? who : [], left: change === 'left' ? who : [] }, { exclude: [connectionId] }),
  );
}
