/**
 * Room rows (Rooms table): one per room, holding what lists show. Public rooms carry `browse` so the sparse
 * `byActivity` index lists them for Browse without a Scan; private rooms and DMs never appear there.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_ROOM, LIMITS, type RoomKind, type RoomSummary } from '../../lib/protocol';
import { BROWSE_PUBLIC, ROOMS_TABLE, requiredEnv } from './tables';
import { batchGet, conditionally, db, decodeCursor, encodeCursor } from './db';

/** A stored room. */
export interface RoomRow {
  readonly roomId: string;
  readonly kind: RoomKind;
  readonly name: string;
  readonly topic: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly lastActivityAt: string;
  readonly memberCount: number;
  /** Public rooms only: puts the room in the Browse index. */
  readonly browse?: typeof BROWSE_PUBLIC;
  /** DMs only: display names of the two members at creation, by user id. */
  readonly dmNames?: Record<string, string>;
}

const table = () => requiredEnv(ROOMS_TABLE.envVar);
const [BY_ACTIVITY] = ROOMS_TABLE.indexes;

/** The row as clients see it (a DM's name is filled in per viewer by the caller). */
export function toSummary(row: RoomRow, name = row.name): RoomSummary {
  return {
    roomId: row.roomId,
    kind: row.kind,
    name,
    topic: row.topic ?? '',
    memberCount: Math.max(0, Number(row.memberCount ?? 0)),
    createdAt: row.createdAt,
    lastActivityAt: row.lastActivityAt ?? row.createdAt,
  };
}

/** A new room row (not yet stored). */
export function newRoomRow(input: { roomId: string; kind: RoomKind; name: string; topic?: string; createdBy: string; dmNames?: Record<string, string> }, now = Date.now()): RoomRow {
  const at = new Date(now).toISOString();
  return {
    roomId: input.roomId,
    kind: input.kind,
    name: input.name,
    topic: input.topic ?? '',
    createdBy: input.createdBy,
    createdAt: at,
    lastActivityAt: at,
    memberCount: 0,
    ...(input.kind === 'public' ? { browse: BROWSE_PUBLIC } : {}),
    ...(input.dmNames ? { dmNames: input.dmNames } : {}),
  };
}

/** The room, or undefined. */
export async function getRoom(roomId: string, consistent = false): Promise<RoomRow | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: table(), Key: { roomId }, ConsistentRead: consistent }));
  return Item as RoomRow | undefined;
}

/** Several rooms in one call per 100 (missing ones are left out). */
export async function getRooms(roomIds: readonly string[]): Promise<Map<string, RoomRow>> {
  const rows = (await batchGet(table(), roomIds.map((roomId) => ({ roomId })))) as unknown as RoomRow[];
  return new Map(rows.map((r) => [r.roomId, r]));
}

/** Stores `row` unless the id exists; false when it does (public: name taken; DM: already there). */
export function createRoomRow(row: RoomRow): Promise<boolean> {
  return conditionally(db().send(new PutCommand({ TableName: table(), Item: row, ConditionExpression: 'attribute_not_exists(roomId)' })));
}

/** `general` exists after this (created on first need: a fresh stack, or the upgrade of an old one). */
export async function ensureDefaultRoom(now = Date.now()): Promise<void> {
  await createRoomRow(newRoomRow({ roomId: DEFAULT_ROOM, kind: 'public', name: DEFAULT_ROOM, topic: 'Everyone, everything', createdBy: 'system' }, now));
}

/**
 * Adds `delta` to the member count. With `max`, an increment is refused (false) once the room is full. The count
 * drives Browse and the private-room cap; membership rows stay the truth for authorization.
 */
export function addToMemberCount(roomId: string, delta: number, max?: number): Promise<boolean> {
  const capped = max !== undefined && delta > 0;
  return conditionally(
    db().send(
      new UpdateCommand({
        TableName: table(),
        Key: { roomId },
        UpdateExpression: 'ADD memberCount :d',
        ConditionExpression: capped ? 'attribute_exists(roomId) AND (attribute_not_exists(memberCount) OR memberCount < :max)' : 'attribute_exists(roomId)',
        ExpressionAttributeValues: { ':d': delta, ...(capped ? { ':max': max } : {}) },
      }),
    ),
  );
}

/** Activity stamps this container wrote recently: a busy room costs one Rooms write a minute, not one per send. */
const lastTouched = new Map<string, number>();
/** How stale Browse's "last activity" may be. */
export const ACTIVITY_RESOLUTION_MS = 60_000;
/** Bounded, so a container serving many rooms does not grow without end. */
const TOUCHED_MAX = 5000;

/** Moves the room's lastActivityAt to `at` (forward only), at most once per ACTIVITY_RESOLUTION_MS per container. */
export async function touchRoomActivity(roomId: string, at: string, now = Date.now()): Promise<boolean> {
  const last = lastTouched.get(roomId);
  if (last !== undefined && now - last < ACTIVITY_RESOLUTION_MS) return false;
  if (lastTouched.size >= TOUCHED_MAX) lastTouched.clear();
  lastTouched.set(roomId, now);
  return conditionally(
    db().send(
      new UpdateCommand({
        TableName: table(),
        Key: { roomId },
        UpdateExpression: 'SET lastActivityAt = :at',
        ConditionExpression: 'attribute_exists(roomId) AND lastActivityAt < :at',
        ExpressionAttributeValues: { ':at': at },
      }),
    ),
  );
}

/** Forgets the per-container activity stamps (tests). */
export function resetActivityCache(): void {
  lastTouched.clear();
}

/** One page of public rooms, most recent activity first, from the sparse index. */
export async function browsePublicRooms(options: { limit: number; cursor?: string }): Promise<{ rooms: RoomSummary[]; nextCursor: string | null }> {
  const start = decodeCursor(options.cursor, ['roomId', 'browse', 'lastActivityAt']);
  if (start && start.browse !== BROWSE_PUBLIC) return { rooms: [], nextCursor: null };
  const page = await db().send(
    new QueryCommand({
      TableName: table(),
      IndexName: BY_ACTIVITY.indexName,
      KeyConditionExpression: '#b = :b',
      ExpressionAttributeNames: { '#b': BY_ACTIVITY.partitionKey.name },
      ExpressionAttributeValues: { ':b': BROWSE_PUBLIC },
      ScanIndexForward: false,
      Limit: Math.min(options.limit, LIMITS.listPageMax),
      ExclusiveStartKey: start,
    }),
  );
  const rooms = ((page.Items ?? []) as RoomRow[]).map((row) => toSummary(row));
  return { rooms, nextCursor: encodeCursor(page.LastEvaluatedKey) };
}
