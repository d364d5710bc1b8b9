/**
 * The mention index (Mentions table): one small item per member a message mentions, so a mention badge is one exact
 * COUNT Query above the read position however many messages are unread. Written with the message (a fresh message
 * and its items go in ONE BatchWriteItem: no extra request on the send path), kept in step by edit and delete.
 * The author is never indexed (your own messages are never unread to you).
 */
import { LIMITS, type ChatMessage } from '../../lib/protocol';
import { Keys, MENTIONS_TABLE, MESSAGES_TABLE, requiredEnv } from './tables';
import { batchDelete, batchPut, batchPutTables, queryCount } from './db';
import { putMessage, toItem } from './messages';

const table = () => requiredEnv(MENTIONS_TABLE.envVar);

/** The index items of `mentions` in a message of `roomId` by `authorId`. */
export function mentionItems(roomId: string, messageId: string, authorId: string, mentions: readonly string[] = []): Record<string, string>[] {
  return [...new Set(mentions)].filter((userId) => userId !== authorId).map((userId) => ({ mentionKey: Keys.mention(roomId, userId), messageId }));
}

/**
 * Stores a FRESH message (an id just generated, so no other writer can hold it) with its mention items in one
 * request: a plain PutItem without mentions, else one BatchWriteItem across Messages and Mentions.
 */
export async function putFreshMessage(message: ChatMessage): Promise<void> {
  const items = mentionItems(message.roomId, message.messageId, message.authorId, message.mentions);
  if (!items.length) return putMessage(message);
  await batchPutTables({ [requiredEnv(MESSAGES_TABLE.envVar)]: [toItem(message)], [table()]: items });
}

/** Writes the mention items of a message stored by another path (a retry that re-stores a lost row): idempotent. */
export async function indexMentions(message: ChatMessage): Promise<void> {
  await batchPut(table(), mentionItems(message.roomId, message.messageId, message.authorId, message.mentions));
}

/** After an edit or delete: items for who is mentioned now, none for who no longer is. */
export async function reindexMentions(
  message: { roomId: string; messageId: string; authorId: string },
  before: readonly string[] = [],
  after: readonly string[] = [],
): Promise<void> {
  const now = new Set(after);
  const dropped = before.filter((userId) => !now.has(userId));
  const added = after.filter((userId) => !before.includes(userId));
  await Promise.all([
    batchDelete(table(), mentionItems(message.roomId, message.messageId, message.authorId, dropped)),
    batchPut(table(), mentionItems(message.roomId, message.messageId, message.authorId, added)),
  ]);
}

/** Messages of `roomId` after `after` (exclusive) that mention `userId`, counted up to `max` (one COUNT Query). */
export function countMentions(roomId: string, userId: string, after: string | undefined, max = LIMITS.unreadCountCap + 1): Promise<number> {
  return queryCount(
    {
      TableName: table(),
      KeyConditionExpression: after ? 'mentionKey = :k AND messageId > :a' : 'mentionKey = :k',
      ExpressionAttributeValues: { ':k': Keys.mention(roomId, userId), ...(after ? { ':a': after } : {}) },
    },
    max,
  );
}
