/**
 * Unread and mention counts and the preview, derived at read time from the Messages table and the member's read
 * position: no per-send counter and no copied preview, so the send path stays lean and an edited or deleted
 * message never lives on in a sidebar.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LIMITS, PREVIEW_MAX_CHARS, type ChatMessage, type MessagePreview } from '../../lib/protocol';
import { MESSAGES_TABLE, requiredEnv } from './tables';
import { db } from './db';
import { countMentions } from './mentions';

/** What a sidebar entry needs from the messages. */
export interface RoomActivity {
  /** Others' messages after the read position, exact up to the cap; cap + 1 = "99+". */
  readonly unread: number;
  /** Of those, the ones mentioning the member. */
  readonly mentions: number;
  readonly lastMessage: MessagePreview | null;
}

/** Counting stops here: one more than the cap is "99+". */
const COUNT_TO = LIMITS.unreadCountCap + 1;
/** Pages of own messages skipped at most while counting (someone who sent 400 messages in a row). */
const MAX_PAGES = 4;

const table = () => requiredEnv(MESSAGES_TABLE.envVar);

/** The preview of a message. */
export function toPreview(m: Pick<ChatMessage, 'messageId' | 'authorId' | 'authorName' | 'createdAt' | 'deletedAt'> & { body?: string }): MessagePreview {
  // A deleted message's row has no body: the preview says so instead of showing any text.
  const body = m.deletedAt ? '' : [...(m.body ?? '')].slice(0, PREVIEW_MAX_CHARS).join('');
  return { messageId: m.messageId, authorId: m.authorId, authorName: m.authorName, body, createdAt: m.createdAt, ...(m.deletedAt ? { deleted: true } : {}) };
}

async function page(roomId: string, options: { after?: string; limit: number; startKey?: Record<string, unknown> }) {
  const { Items = [], LastEvaluatedKey } = await db().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: options.after ? 'roomId = :r AND messageId > :a' : 'roomId = :r',
      ExpressionAttributeValues: { ':r': roomId, ...(options.after ? { ':a': options.after } : {}) },
      ProjectionExpression: 'messageId, authorId, authorName, body, createdAt, mentions, deletedAt',
      ScanIndexForward: false,
      Limit: options.limit,
      ExclusiveStartKey: options.startKey,
    }),
  );
  return { items: Items as ChatMessage[], next: LastEvaluatedKey };
}

/**
 * Unread/mentions/preview of `roomId` for `userId` reading up to `lastRead`. Usually one Query (newest first,
 * `messageId > lastRead`, Limit 100); one more (Limit 1) for the preview when nothing is unread. Mentions are counted
 * from those messages when they are ALL the unread ones; when there are more (99+, or pages of own messages left
 * unread), one exact COUNT Query of the mention index instead (mentions.ts).
 */
export async function roomActivity(roomId: string, userId: string, lastRead: string | undefined): Promise<RoomActivity> {
  let unread = 0;
  let mentions = 0;
  let newest: ChatMessage | undefined;
  let startKey: Record<string, unknown> | undefined;
  let complete = false;
  for (let pages = 0; pages < MAX_PAGES && unread < COUNT_TO; pages++) {
    const { items, next } = await page(roomId, { after: lastRead, limit: COUNT_TO, startKey });
    newest ??= items[0];
    for (const m of items) {
      // Your own messages are never unread to you; a deleted one is gone.
      if (m.authorId === userId || m.deletedAt || unread >= COUNT_TO) continue;
      unread++;
      if (m.mentions?.includes(userId)) mentions++;
    }
    if (!next) {
      complete = unread < COUNT_TO;
      break;
    }
    startKey = next;
  }
  if (!complete && unread > 0) mentions = await countMentions(roomId, userId, lastRead, COUNT_TO);
  if (!newest && lastRead) newest = (await page(roomId, { limit: 1 })).items[0];
  return { unread, mentions, lastMessage: newest ? toPreview(newest) : null };
}
