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
import { roomSubscriptionsPage, userSubscriptions, type SubscriptionRow } from './subscriptions';
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
  // Stryker disable next-line BooleanLiteral: equivalent here — dynalite reads are always consistent; in AWS an eventually consistent read costs half, and a just-joined member missing from one page arrives by delta.
  const members = new Set((await getMemberships([...byUser.keys()].map((userId) => ({ roomId, userId })), false)).map((m) => m.userId));
  const users = [...byUser.values()].filter((u) => members.has(u.userId)).sort((a, b) => a.userId.localeCompare(b.userId));
  return { type: 'presenceList', roomId, users, nextCursor: page.lastConnectionId ?? null };
}

/** Rooms among `roomIds` where `user` has no subscription left other than `connectionId`'s. */
export function roomsWithoutOtherSockets(roomIds: readonly string[], subscriptions: readonly SubscriptionRow[], connectionId: string): string[] {
  const elsewhere = new Set(subscriptions.filter((s) => s.connectionId !== connectionId).map((s) => s.roomId));
  return roomIds.filter((roomId) => !elsewhere.has(roomId));
}

/**
 * How long one container gathers a room's presence changes into one `presenceDelta` frame. Gathering happens when
 * changes meet in one process: the 410 cleanups of one broadcast after a mass drop (every gone socket found by one
 * fan-out), the local gateway, several users' subscribes in one container. A lone change waits this long, then goes.
 */
export const PRESENCE_COALESCE_MS = 50;
/** Most users in one coalesced frame (~100 B each, far below the 32 KB frame): a bigger wave is sent in several. */
export const PRESENCE_BATCH_MAX = 100;

interface PendingDelta {
  readonly joined: Map<string, PresenceUser>;
  readonly left: Map<string, PresenceUser>;
  readonly actors: Set<string>;
  done?: Promise<void>;
}

/** Room → the delta being gathered for it in this container. */
const pending = new Map<string, PendingDelta>();

const coalesceMs = () => Number(process.env.PRESENCE_COALESCE_MS ?? PRESENCE_COALESCE_MS);

/** Adds one change to the room's pending frame; resolves once that frame went out. The latest change of a user wins. */
function queueDelta(roomId: string, who: PresenceUser, change: 'joined' | 'left', connectionId: string): Promise<void> {
  let batch = pending.get(roomId);
  if (!batch || batch.joined.size + batch.left.size >= PRESENCE_BATCH_MAX) {
    const fresh: PendingDelta = { joined: new Map(), left: new Map(), actors: new Set() };
    fresh.done = new Promise<void>((resolve) => setTimeout(resolve, coalesceMs())).then(() => {
      if (pending.get(roomId) === fresh) pending.delete(roomId);
      return flush(roomId, fresh);
    });
    pending.set(roomId, fresh);
    batch = fresh;
  }
  (change === 'joined' ? batch.left : batch.joined).delete(who.userId);
  (change === 'joined' ? batch.joined : batch.left).set(who.userId, who);
  batch.actors.add(connectionId);
  return batch.done!;
}

async function flush(roomId: string, batch: PendingDelta): Promise<void> {
  // One socket (one person, so one change: a person's latest change wins): that socket is left out, it knows. Several:
  // nobody is, so each actor hears the others.
  const single = batch.actors.size === 1;
  // Stryker disable next-line ArrayDeclaration: equivalent — excluding a connection id that does not exist excludes nobody.
  await broadcast(roomId, { type: 'presenceDelta', roomId, joined: [...batch.joined.values()], left: [...batch.left.values()] }, { exclude: single ? [...batch.actors] : [] });
}

/** Tells each room's subscribers that `user` joined or left it (gathered per room: see PRESENCE_COALESCE_MS). */
export async function announcePresence(user: ChatUser, roomIds: readonly string[], change: 'joined' | 'left', connectionId: string): Promise<void> {
  const who = { userId: user.userId, displayName: user.displayName };
  await mapLimited(roomIds, ROOMS_IN_PARALLEL, (roomId) => queueDelta(roomId, who, change, connectionId));
}

/**
 * Announces a new member who is already in the room as a visitor (a public room's preview, the first room list
 * joining `general` while the tab already follows it, a first send, being added): a visitor's subscribe announced
 * nothing. The other order — the join lands while the subscribe runs — is announced by `subscribe`'s re-check; and
 * the tabs told `membership added` subscribe again, which covers this read's index lag in AWS.
 */
export async function announceNewMember(user: ChatUser, roomId: string, now = Date.now()): Promise<void> {
  const rows = await userSubscriptions(user.userId, roomId, now);
  if (!rows.length) return;
  // Live sockets only, as the list counts them: a socket that stopped pinging keeps its rows until their TTL.
  const live = await liveConnectionIds(rows.map((r) => r.connectionId), now);
  const socket = rows.find((r) => live.has(r.connectionId));
  if (socket) await announcePresence(user, [roomId], 'joined', socket.connectionId);
}
