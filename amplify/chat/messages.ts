/**
 * Message storage: ULID ids sort by time, so a room's history is one Query on its partition,
 * newest first, paged with an exclusive `before` cursor.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { mentionsIn, type ChatMessage, type HistoryResponse } from '../../lib/protocol';
import { MESSAGES_TABLE, requiredEnv } from './tables';
import { conditionally, db } from './db';
import type { ChatUser } from './identity';

/** Monotonic: two messages in the same millisecond still sort in send order. */
const nextId = monotonicFactory();

const table = () => requiredEnv(MESSAGES_TABLE.envVar);

/** Input of `newMessage`; the body is already validated. */
export interface NewMessage {
  readonly roomId: string;
  readonly author: ChatUser;
  readonly body: string;
  readonly clientMessageId?: string;
}

/** A message with a fresh id and timestamp, not yet stored. */
export function newMessage(input: NewMessage, now = Date.now()): ChatMessage {
  // Derived here from the `<@id>` tokens: the client never says whom a message mentions.
  const mentions = mentionsIn(input.body);
  return {
    roomId: input.roomId,
    messageId: nextId(now),
    authorId: input.author.userId,
    authorName: input.author.displayName,
    body: input.body,
    createdAt: new Date(now).toISOString(),
    ...(input.clientMessageId ? { clientMessageId: input.clientMessageId } : {}),
    ...(mentions.length ? { mentions } : {}),
  };
}

/**
 * Stores `message`; idempotent. The put never overwrites: an existing item with this id can only be this
 * very message from an earlier attempt (ids are ULIDs, 80 random bits per millisecond, and a retried
 * send reuses the id from its receipt), so finding it means the work is already done.
 */
export async function putMessage(message: ChatMessage): Promise<void> {
  await conditionally(db().send(new PutCommand({ TableName: table(), Item: message, ConditionExpression: 'attribute_not_exists(messageId)' })));
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
  const page = Items.slice(0, limit) as ChatMessage[];
  const hasMore = Items.length > limit;
  return { messages: page, nextBefore: hasMore ? page[page.length - 1]!.messageId : null };
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
