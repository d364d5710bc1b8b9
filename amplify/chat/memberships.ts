/**
 * Membership rows (Memberships table, PK roomId + SK userId): who is in which room, with each member's read
 * position and mute flag. Authorization for private rooms and DMs is one GetItem here.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LIMITS, type Member, type Membership, type RoomKind } from '../../lib/protocol';
import { MEMBERSHIPS_TABLE, requiredEnv } from './tables';
import { batchGet, conditionally, db, decodeCursor, encodeCursor, isConditionFailure, queryAll, queryCount } from './db';
import type { ChatUser } from './identity';

/** A stored membership. */
export interface MembershipRow {
  readonly roomId: string;
  readonly userId: string;
  readonly displayName: string;
  readonly kind: RoomKind;
  readonly role: 'owner' | 'member';
  readonly joinedAt: string;
  readonly lastReadMessageId?: string;
  readonly muted?: boolean;
}

const table = () => requiredEnv(MEMBERSHIPS_TABLE.envVar);
const [BY_USER] = MEMBERSHIPS_TABLE.indexes;

/** The member's own view of a row. */
export function toMembership(row: MembershipRow): Membership {
  return { role: row.role, joinedAt: row.joinedAt, lastReadMessageId: row.lastReadMessageId ?? null, muted: row.muted === true };
}

/** The row as member lists show it. */
export function toMember(row: MembershipRow): Member {
  return { userId: row.userId, displayName: row.displayName, role: row.role, joinedAt: row.joinedAt };
}

/** `user`'s membership of `roomId`, or undefined. Consistent: a removal must take effect on the very next request. */
export async function getMembership(roomId: string, userId: string): Promise<MembershipRow | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: table(), Key: { roomId, userId }, ConsistentRead: true }));
  return Item as MembershipRow | undefined;
}

/** Memberships for these (roomId, userId) pairs, keyed `roomId userId`; consistent for authorization. */
export async function getMemberships(pairs: readonly { roomId: string; userId: string }[], consistent = true): Promise<MembershipRow[]> {
  return (await batchGet(table(), pairs, { consistent })) as unknown as MembershipRow[];
}

/** Adds `user` to the room unless already a member; returns the row now stored and whether this call created it. */
export async function addMembership(
  input: { roomId: string; kind: RoomKind; user: ChatUser; role: 'owner' | 'member'; lastReadMessageId?: string },
  now = Date.now(),
): Promise<{ row: MembershipRow; created: boolean }> {
  const row: MembershipRow = {
    roomId: input.roomId,
    userId: input.user.userId,
    displayName: input.user.displayName,
    kind: input.kind,
    role: input.role,
    joinedAt: new Date(now).toISOString(),
    // A newcomer starts at the newest message: the history is there to read, but it is not "unread".
    ...(input.lastReadMessageId ? { lastReadMessageId: input.lastReadMessageId } : {}),
  };
  const created = await conditionally(db().send(new PutCommand({ TableName: table(), Item: row, ConditionExpression: 'attribute_not_exists(userId)' })));
  if (created) return { row, created };
  const existing = await getMembership(input.roomId, input.user.userId);
  return { row: existing ?? row, created: false };
}

/** Deletes the membership; returns the row it held (undefined when there was none). */
export async function removeMembership(roomId: string, userId: string): Promise<MembershipRow | undefined> {
  const { Attributes } = await db().send(new DeleteCommand({ TableName: table(), Key: { roomId, userId }, ReturnValues: 'ALL_OLD' }));
  return Attributes as MembershipRow | undefined;
}

/** Every membership of a user (at most `roomsPerUser` plus slack, so one or two pages). */
export function listUserMemberships(userId: string): Promise<MembershipRow[]> {
  return queryAll<MembershipRow>(byUser(userId));
}

/** How many rooms the user is in, counted up to `LIMITS.roomsPerUser` (enough to enforce the limit). */
export function countUserRooms(userId: string): Promise<number> {
  return queryCount(byUser(userId), LIMITS.roomsPerUser);
}

/** The Query of a user's memberships (the byUser index). */
function byUser(userId: string) {
  return {
    TableName: table(),
    IndexName: BY_USER.indexName,
    KeyConditionExpression: '#u = :u',
    ExpressionAttributeNames: { '#u': BY_USER.partitionKey.name },
    ExpressionAttributeValues: { ':u': userId },
  };
}

/** One page of a room's members, by user id. */
export async function listMembers(roomId: string, options: { limit: number; cursor?: string }): Promise<{ members: Member[]; nextCursor: string | null }> {
  const start = decodeCursor(options.cursor, ['roomId', 'userId']);
  const page = await db().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'roomId = :r',
      ExpressionAttributeValues: { ':r': roomId },
      // A cursor from another room cannot reach into it: the partition is pinned here.
      ExclusiveStartKey: start ? { roomId, userId: start.userId } : undefined,
      Limit: options.limit,
    }),
  );
  return { members: ((page.Items ?? []) as MembershipRow[]).map(toMember), nextCursor: encodeCursor(page.LastEvaluatedKey) };
}

/**
 * Moves the read position forward to `messageId` (never back: ULIDs sort by time). Returns the row afterwards, or
 * undefined when the user is not a member.
 */
export async function advanceReadPosition(roomId: string, userId: string, messageId: string): Promise<MembershipRow | undefined> {
  try {
    const { Attributes } = await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: { roomId, userId },
        UpdateExpression: 'SET lastReadMessageId = :m',
        ConditionExpression: 'attribute_exists(userId) AND (attribute_not_exists(lastReadMessageId) OR lastReadMessageId < :m)',
        ExpressionAttributeValues: { ':m': messageId },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes as MembershipRow;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // Not a member, or already read that far: the current row (or nothing) says which.
    return getMembership(roomId, userId);
  }
}

/** Sets the mute flag; undefined when the user is not a member. */
export async function setMuted(roomId: string, userId: string, muted: boolean): Promise<MembershipRow | undefined> {
  try {
    const { Attributes } = await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: { roomId, userId },
        UpdateExpression: 'SET muted = :m',
        ConditionExpression: 'attribute_exists(userId)',
        ExpressionAttributeValues: { ':m': muted },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes as MembershipRow;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}
