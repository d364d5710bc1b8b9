/**
 * Message storage: ULID ids sort by time, so a room's history is one Query on its partition,
 * newest first, paged with an exclusive `before` cursor.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory, type ULIDFactory } from 'ulid';
import { ChatError } from '../../lib/chat-error';
import { ErrorCode, mentionsIn, type ChatMessage, type HistoryResponse, type ReplyQuote } from '../../lib/protocol';
import { MESSAGES_TABLE, requiredEnv } from './tables';
import { conditionally, db } from './db';
import type { ChatUser } from './identity';
import { withQuotes, type MessageItem } from './message-items';

/**
 * Monotonic: two messages in the same millisecond still sort in send order. Made for the first message, not at
 * import: functions that only read messages (get-messages, rooms) then neither run nor bundle it.
 */
let nextId: ULIDFactory | undefined;

/** Forgets this container's id factory (tests: one sharing a worker after another that made ids at other times). */
export function resetMessageIds(): void {
  nextId = undefined;
}

const table = () => requiredEnv(MESSAGES_TABLE.envVar);

/** Input of `newMessage`; the body is already validated. */
export interface NewMessage {
  readonly roomId: string;
  readonly author: ChatUser;
  readonly body: string;
  readonly clientMessageId?: string;
  /** The quote of the message this one replies to (validated by the caller: same room, not deleted). */
  readonly replyTo?: ReplyQuote;
}

/** A message with a fresh id and timestamp, not yet stored. */
export function newMessage(input: NewMessage, now = Date.now()): ChatMessage {
  // Derived here from the `<@id>` tokens: the client never says whom a message mentions.
  const mentions = mentionsIn(input.body);
  return {
    roomId: input.roomId,
    messageId: (nextId ??= monotonicFactory())(now),
    authorId: input.author.userId,
    authorName: input.author.displayName,
    body: input.body,
    createdAt: new Date(now).toISOString(),
    ...(input.clientMessageId ? { clientMessageId: input.clientMessageId } : {}),
    ...(mentions.length ? { mentions } : {}),
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
  };
}

/** The row for a new message: the quote becomes an id only, reactions an empty map (so set/unset are one update). */
export function toItem(message: ChatMessage): MessageItem & { reactions: Record<string, never> } {
  const { replyTo, reactions: _wire, ...rest } = message;
  return { ...rest, reactions: {}, ...(replyTo ? { replyToMessageId: replyTo.messageId } : {}) };
}

/** The row of one message of `roomId` (strongly consistent), or undefined. */
export async function getMessageItem(roomId: string, messageId: string): Promise<MessageItem | undefined> {
  const { Item } = await db().send(new GetCommand({ TableName: table(), Key: { roomId, messageId }, ConsistentRead: true }));
  return Item as MessageItem | undefined;
}

/** The typed error for a message id that is not in this room (missing, or another room's). */
export function messageNotFound(): ChatError {
  return new ChatError(ErrorCode.MessageNotFound, 'That message is not in this room any more; reload the room');
}

/**
 * Stores `message`; idempotent. The put never overwrites: an existing item with this id can only be this
 * very message from an earlier attempt (ids are ULIDs, 80 random bits per millisecond, and a retried
 * send reuses the id from its receipt), so finding it means the work is already done.
 */
export async function putMessage(message: ChatMessage): Promise<void> {
  await conditionally(db().send(new PutCommand({ TableName: table(), Item: toItem(message), ConditionExpression: 'attribute_not_exists(messageId)' })));
}

/** One Query of a room's partition; `range` is the sort-key condition on `:id`. */
async function queryRoom(roomId: string, range: string, id: string, forward: boolean, limit: number): Promise<MessageItem[]> {
  const { Items = [] } = await db().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: `roomId = :room AND messageId ${range} :id`,
      ExpressionAttributeValues: { ':room': roomId, ':id': id },
      ScanIndexForward: forward,
      Limit: limit,
    }),
  );
  return Items as MessageItem[];
}

/**
 * The neighbourhood of `messageId`: it, up to ⌊limit/2⌋ older and the rest newer, newest first (two Queries).
 * MESSAGE_NOT_FOUND when the message is not in this room.
 */
export async function listAround(roomId: string, messageId: string, limit: number): Promise<HistoryResponse> {
  const olderWanted = Math.floor(limit / 2);
  const newerWanted = limit - 1 - olderWanted;
  const [olderAndTarget, newer] = await Promise.all([
    queryRoom(roomId, '<=', messageId, false, olderWanted + 2),
    newerWanted > 0 ? queryRoom(roomId, '>', messageId, true, newerWanted + 1) : Promise.resolve([] as MessageItem[]),
  ]);
  if (olderAndTarget[0]?.messageId !== messageId) throw messageNotFound();
  const older = olderAndTarget.slice(1, 1 + olderWanted);
  const newerPage = newer.slice(0, newerWanted);
  const items = [...newerPage.reverse(), olderAndTarget[0], ...older];
  const moreOlder = olderAndTarget.length > 1 + olderWanted;
  // With no room for newer messages, whether any exist is unknown: offer the cursor, an empty page ends it.
  const moreNewer = newerWanted > 0 ? newer.length > newerWanted : true;
  return {
    messages: await withQuotes(items),
    nextBefore: moreOlder ? items[items.length - 1]!.messageId : null,
    nextAfter: moreNewer ? items[0]!.messageId : null,
  };
}

/** The `limit` messages just newer than `from` (exclusive), newest first; `nextAfter` continues towards the present. */
export async function listFrom(roomId: string, from: string, limit: number): Promise<HistoryResponse> {
  const newer = await queryRoom(roomId, '>', from, true, limit + 1);
  const page = newer.slice(0, limit).reverse();
  return {
    messages: await withQuotes(page),
    // Older ones exist (`from` itself at least): continue below the oldest of this page, or below `from`.
    nextBefore: page.length ? page[page.length - 1]!.messageId : from,
    nextAfter: newer.length > limit ? page[0]!.messageId : null,
  };
}

/** One page of a room's history, newest first. Fetches `limit + 1` to know whether an older page exists. */
export async function listMessages(roomId: string, options: { limit: number; before?: string; after?: string }): Promise<HistoryResponse> {
  const { limit, before, after } = options;
  if (before && after && before <= after) return { messages: [], nextBefore: null };
  // `after` (exclusive) fetches only what a cached room misses; BETWEEN is inclusive, so its ends are excluded below.
  const range = before && after ? ' AND messageId BETWEEN :after AND :before' : before ? ' AND messageId < :before' : after ? ' AND messageId > :after' : '';
  const { Items: raw = [] } = await db().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: `roomId = :room${range}`,
      ExpressionAttributeValues: { ':room': roomId, ...(before ? { ':before': before } : {}), ...(after ? { ':after': after } : {}) },
      ScanIndexForward: false,
      // Up to two more: the inclusive ends of BETWEEN, dropped below.
      Limit: limit + 1 + (before && after ? 2 : 0),
    }),
  );
  const Items = before && after ? raw.filter((m) => m.messageId !== before && m.messageId !== after) : raw;
  const page = Items.slice(0, limit) as MessageItem[];
  const hasMore = Items.length > limit;
  return { messages: await withQuotes(page), nextBefore: hasMore ? page[page.length - 1]!.messageId : null };
}

/** The id of the room's newest message, or undefined for an empty room (one Query, Limit 1, keys only). */
export async function newestMessageId(roomId: string): Promise<string | undefined> {
  const { Items = [] } = await db().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'roomId = :room',
      ExpressionAttributeValues: { ':room': roomId },
      ProjectionExpression: 'messageId',
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  return Items[0]?.messageId as string | undefined;
}
