/**
 * Message storage: ULID ids sort by time, so a room's history is one Query on its partition,
 * newest first, paged with an exclusive `before` cursor.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { ChatMessage, HistoryResponse } from '../../lib/protocol';
import { MESSAGES_TABLE, requiredEnv } from './tables';
import { db } from './db';
import type { ChatUser } from './identity';

/** Monotonic: two messages in the same millisecond still sort in send order. */
const nextId = monotonicFactory();

const table = () => requiredEnv(MESSAGES_TABLE.envVar);

/** Input of `storeMessage`; the body is already validated. */
export interface NewMessage {
  readonly roomId: string;
  readonly author: ChatUser;
  readonly body: string;
  readonly clientMessageId?: string;
}

/** Stores a message with a fresh id; the put is conditional so an id is never overwritten. */
export async function storeMessage(input: NewMessage, now = Date.now()): Promise<ChatMessage> {
  const message: ChatMessage = {
    roomId: input.roomId,
    messageId: nextId(now),
    authorId: input.author.userId,
    authorName: input.author.displayName,
    body: input.body,
    createdAt: new Date(now).toISOString(),
    ...(input.clientMessageId ? { clientMessageId: input.clientMessageId } : {}),
  };
  await db().send(
    new PutCommand({
      TableName: table(),
      Item: message,
      ConditionExpression: 'attribute_not_exists(messageId)',
    }),
  );
  return message;
}

/** One page of a room's history, newest first. Fetches `limit + 1` to know whether an older page exists. */
export async function listMessages(roomId: string, options: { limit: number; before?: string }): Promise<HistoryResponse> {
  const { limit, before } = options;
  const { Items = [] } = await db().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: before ? 'roomId = :room AND messageId < :before' : 'roomId = :room',
      ExpressionAttributeValues: { ':room': roomId, ...(before ? { ':before': before } : {}) },
      ScanIndexForward: false,
      Limit: limit + 1,
    }),
  );
  const page = Items.slice(0, limit) as ChatMessage[];
  const hasMore = Items.length > limit;
  return { messages: page, nextBefore: hasMore ? page[page.length - 1]!.messageId : null };
}
