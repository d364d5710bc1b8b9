/**
 * Idempotent-send receipts ("receipt first"). dynalite has no transactions, so instead of writing the
 * message and a dedupe marker atomically, a send first claims `${userId}#${clientMessageId}` with a
 * conditional put; only the winner's message is ever written, and any later or concurrent attempt finds the
 * receipt and answers with that same message.
 *
 * A receipt holds IDS ONLY (room, message id, time, author name), never the body: a retry reads the message row as
 * it is NOW, so after a delete it gets the placeholder and can never resurrect the text. When the row does not
 * exist yet (a crash between receipt and message), the retry rebuilds it from its own body and the receipt's ids.
 * Receipts written before this change held the whole message; `scrubReceipt` removes that copy on delete.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LIMITS, type ChatMessage } from '../../lib/protocol';
import { Keys, SEND_RECEIPTS_TABLE, requiredEnv } from './tables';
import { conditionally, db, nowSeconds } from './db';

const table = () => requiredEnv(SEND_RECEIPTS_TABLE.envVar);

/** The receipt key (see Keys.receipt). */
export const receiptKey = Keys.receipt;

/** What a receipt says about the message that owns a clientMessageId. */
export interface Receipt {
  readonly roomId: string;
  readonly messageId: string;
  readonly createdAt: string;
  readonly authorName: string;
  /** Legacy receipts only (written before ids-only receipts): the whole message. */
  readonly message?: ChatMessage;
}

/** The ids part of `message` a receipt keeps. */
function idsOf(message: ChatMessage): Receipt {
  return { roomId: message.roomId, messageId: message.messageId, createdAt: message.createdAt, authorName: message.authorName };
}

/** Reads a receipt item, legacy or not. */
export function toReceipt(item: Record<string, unknown> | undefined): Receipt | undefined {
  if (!item) return undefined;
  const legacy = item.message as ChatMessage | undefined;
  if (legacy && !item.messageId) return { ...idsOf(legacy), message: legacy };
  return {
    roomId: item.roomId as string,
    messageId: item.messageId as string,
    createdAt: item.createdAt as string,
    authorName: item.authorName as string,
  };
}

/**
 * The receipt of an earlier send with this id, if any. Not filtered by expiry: while a receipt exists a claim would
 * fail on it anyway, so honouring it keeps the two paths consistent.
 */
export async function findReceipt(userId: string, clientMessageId: string): Promise<Receipt | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: table(), Key: { receiptKey: receiptKey(userId, clientMessageId) }, ConsistentRead: true }),
  );
  return toReceipt(Item);
}

/** Claims the id for `candidate`; returns undefined when it won, else the receipt of the faster twin. */
export async function claimReceipt(userId: string, clientMessageId: string, candidate: ChatMessage, now = Date.now()): Promise<Receipt | undefined> {
  const claimed = await conditionally(
    db().send(
      new PutCommand({
        TableName: table(),
        Item: {
          receiptKey: receiptKey(userId, clientMessageId),
          ...idsOf(candidate),
          expiresAt: nowSeconds(now + LIMITS.clientMessageIdRetentionMs),
        },
        ConditionExpression: 'attribute_not_exists(receiptKey)',
      }),
    ),
  );
  if (claimed) return undefined;
  const winner = await findReceipt(userId, clientMessageId);
  if (!winner) throw new Error('send receipt vanished between the claim and the read');
  return winner;
}

/**
 * Replaces the whole-message copy a LEGACY receipt holds (receipts now hold ids only) by the ids, so a deleted
 * message's text is gone from receipts too. Touches nothing when there is no such copy; never creates a receipt.
 */
export async function scrubReceipt(userId: string, clientMessageId: string, message: Receipt): Promise<void> {
  await conditionally(
    db().send(
      new UpdateCommand({
        TableName: table(),
        Key: { receiptKey: receiptKey(userId, clientMessageId) },
        UpdateExpression: 'SET roomId = :room, messageId = :id, createdAt = :at, authorName = :name REMOVE #message',
        ConditionExpression: 'attribute_exists(#message)',
        ExpressionAttributeNames: { '#message': 'message' },
        ExpressionAttributeValues: { ':room': message.roomId, ':id': message.messageId, ':at': message.createdAt, ':name': message.authorName },
      }),
    ),
  );
}
