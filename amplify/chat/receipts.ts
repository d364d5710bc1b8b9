/**
 * Idempotent-send receipts ("receipt first"). dynalite has no transactions, so instead of writing the
 * message and a dedupe marker atomically, a send first claims `${userId}#${clientMessageId}` with a
 * conditional put holding the WHOLE candidate message; only the winner's message is ever written, and
 * any later or concurrent attempt reads the receipt and gets that same message back. A crash between
 * receipt and message is healed by the retry, which re-puts the message from the receipt.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { LIMITS, type ChatMessage } from '../../lib/protocol';
import { Keys, SEND_RECEIPTS_TABLE, requiredEnv } from './tables';
import { conditionally, db, nowSeconds } from './db';

const table = () => requiredEnv(SEND_RECEIPTS_TABLE.envVar);

/** The receipt key (see Keys.receipt). */
export const receiptKey = Keys.receipt;

/**
 * The message an earlier send with this id stored, if any. Not filtered by expiry: while a receipt
 * exists a claim would fail on it anyway, so honouring it keeps the two paths consistent.
 */
export async function findReceipt(userId: string, clientMessageId: string): Promise<ChatMessage | undefined> {
  const { Item } = await db().send(
    new GetCommand({ TableName: table(), Key: { receiptKey: receiptKey(userId, clientMessageId) }, ConsistentRead: true }),
  );
  return Item?.message as ChatMessage | undefined;
}

/** Claims the id for `candidate`; returns the message that owns the id (the candidate, or a faster twin's). */
export async function claimReceipt(userId: string, clientMessageId: string, candidate: ChatMessage, now = Date.now()): Promise<ChatMessage> {
  const claimed = await conditionally(
    db().send(
      new PutCommand({
        TableName: table(),
        Item: {
          receiptKey: receiptKey(userId, clientMessageId),
          message: candidate,
          expiresAt: nowSeconds(now + LIMITS.clientMessageIdRetentionMs),
        },
        ConditionExpression: 'attribute_not_exists(receiptKey)',
      }),
    ),
  );
  if (claimed) return candidate;
  const winner = await findReceipt(userId, clientMessageId);
  if (!winner) throw new Error('send receipt vanished between the claim and the read');
  return winner;
}
