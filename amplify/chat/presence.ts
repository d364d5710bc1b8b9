/**
 * Presence: who is in a room, from the room's live connection rows, one entry per user however many
 * sockets they have. Rows die with $disconnect, a 410 during any fan-out, or a missed heartbeat (TTL),
 * so a socket that vanished without $disconnect drops out of the next computation by itself.
 */
import type { PresenceFrame, PresenceUser } from '../../lib/protocol';
import { listRoomConnections, type RoomConnection } from './connections';
import { postToAll, type BroadcastResult } from './broadcast';

/** Adjustments for the event being announced (the index is eventually consistent on AWS). */
export interface PresenceChange {
  /** A row just written: counted even if the index does not show it yet. */
  readonly joining?: RoomConnection;
  /** A row just deleted: not counted even if the index still shows it. */
  readonly leavingConnectionId?: string;
}

/** The presence frame for these connections: de-duplicated by user, sorted by name then id. */
export function presenceFrame(roomId: string, connections: readonly RoomConnection[]): PresenceFrame {
  const byUser = new Map<string, PresenceUser>();
  for (const c of connections) if (!byUser.has(c.userId)) byUser.set(c.userId, { userId: c.userId, displayName: c.displayName });
  const users = [...byUser.values()].sort((a, b) => a.displayName.localeCompare(b.displayName) || a.userId.localeCompare(b.userId));
  return { type: 'presence', roomId, users };
}

/** The room's live connections with `change` applied. */
export async function roomConnections(roomId: string, change: PresenceChange = {}, now = Date.now()): Promise<RoomConnection[]> {
  const rows = (await listRoomConnections(roomId, now)).filter((c) => c.connectionId !== change.leavingConnectionId);
  const joining = change.joining;
  // The newest row first, so a user's latest display name wins the de-duplication.
  return joining ? [joining, ...rows.filter((c) => c.connectionId !== joining.connectionId)] : rows;
}

/** Who is in the room now. */
export async function roomPresence(roomId: string, change: PresenceChange = {}, now = Date.now()): Promise<PresenceFrame> {
  return presenceFrame(roomId, await roomConnections(roomId, change, now));
}

/**
 * Tells everyone in the room but the socket the change is about who is there now. A joining socket is
 * skipped because it is not open until $connect returns (a post would 410); it asks with `presence`.
 */
export async function announcePresence(roomId: string, change: PresenceChange, now = Date.now()): Promise<BroadcastResult> {
  const connections = await roomConnections(roomId, change, now);
  const skip = change.joining?.connectionId;
  const recipients = connections.map((c) => c.connectionId).filter((id) => id !== skip);
  return postToAll(recipients, presenceFrame(roomId, connections));
}
