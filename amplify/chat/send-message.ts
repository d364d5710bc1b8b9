/**
 * The one "send a message" use case, shared by the WebSocket sendMessage route and the HTTP POST:
 * authorize, validate, de-duplicate by clientMessageId, rate-limit, store, broadcast to the room's subscribers.
 *
 * Authorization: a member may send; in an existing public room a non-member may too, and becomes a member (limits
 * checked BEFORE anything is stored, the membership written after the message is durable); anything else is the
 * same NOT_FOUND as a missing room, with nothing stored or sent.
 *
 * Order matters, without transactions:
 *  1. a known clientMessageId answers with the ORIGINAL message (as it is now: edited, or a deleted placeholder)
 *     before the limiter runs, so a retry of a stored send is never refused or counted twice;
 *  2. the limiter counts the send (nothing is written when it refuses);
 *  3. the receipt claim decides which attempt's message owns the id, then that message is put (a put of
 *     the same item is a no-op, so a retry after a crash between 3 and 4 heals it).
 * A retry re-broadcasts the original message: the first attempt may have died before its broadcast, and
 * clients de-duplicate by messageId, so an extra copy is harmless while a missing one would be lost. That
 * re-broadcast costs the sender one unit of rate limit (skipped, not refused, when none is left), so
 * repeating one id cannot make a room-wide fan-out for free.
 * A message fanned out more than `LIMITS.lateStoreMs` after its id's time (starved, or re-stored by a retry) is also
 * put in the room's change order (`recordIfLate`): a reconnecting client reading back by time would miss it.
 * `onStored` runs once the message is durable and before the fan-out: the sender's ack must not wait for a
 * big room's broadcast (that wait could outlast the client's ack timeout and cause needless retries).
 */
import { ErrorCode, type ChatMessage, type ReplyQuote } from '../../lib/protocol';
import { ChatError, parseBody } from '../../lib/chat-error';
import type { ChatUser } from './identity';
import { getMessageItem, messageNotFound, newMessage, putMessage } from './messages';
import { quoteOf, withQuotes } from './message-items';
import { indexMentions, putFreshMessage } from './mentions';
import { claimReceipt, findReceipt, type Receipt } from './receipts';
import { RateLimitedError, consumeSendAllowance } from './rate-limit';
import { broadcast, type BroadcastResult } from './broadcast';
import { recordIfLate } from './changes';
import { lookUpSend } from './send-lookup';
import { parseRoom, publicRoom, roomNotFound } from './room-access';
import { ensureRoomAllowance, joinPublic } from './room-membership';
import { touchRoomActivity, type RoomRow } from './rooms';
import { logger } from './logger';
import { count, timing } from './metrics';

/** What a send did: the stored message (the original one for a retry), and how the fan-out went. */
export interface SendResult {
  readonly message: ChatMessage;
  readonly broadcast: BroadcastResult;
  /** True when the clientMessageId was already taken and the original message was returned. */
  readonly replayed: boolean;
}

const NO_BROADCAST: BroadcastResult = { delivered: 0, gone: 0, failed: 0 };

/** Charges one send for a replay's re-broadcast; false when the sender has none left. */
async function allowanceLeft(userId: string, now: number): Promise<boolean> {
  try {
    await consumeSendAllowance(userId, now);
    return true;
  } catch (error) {
    if (error instanceof RateLimitedError) return false;
    throw error;
  }
}

/** The quote for a reply to `messageId` in `roomId`: MESSAGE_NOT_FOUND / MESSAGE_DELETED refuse it (nothing stored). */
async function replyQuote(roomId: string, messageId: string): Promise<ReplyQuote> {
  const quoted = await getMessageItem(roomId, messageId);
  if (!quoted) throw messageNotFound();
  if (quoted.deletedAt) throw new ChatError(ErrorCode.MessageDeleted, 'That message was deleted; it cannot be replied to');
  return quoteOf(messageId, quoted);
}

/**
 * The message a receipt stands for, as it is NOW (a deleted one comes back as its placeholder, never its text).
 * When the row is missing (a crash between receipt and message), it is rebuilt from this retry's body with the
 * receipt's ids (legacy receipts: their copy) and `missing` is set so the caller stores it.
 */
async function messageOfReceipt(
  receipt: Receipt,
  retry: { author: ChatUser; body: string; clientMessageId: string; replyToMessageId?: string },
): Promise<{ message: ChatMessage; missing: boolean }> {
  const row = await getMessageItem(receipt.roomId, receipt.messageId);
  if (row) return { message: (await withQuotes([row]))[0]!, missing: false };
  if (receipt.message) return { message: receipt.message, missing: true };
  const replyTo = retry.replyToMessageId ? await replyQuote(receipt.roomId, retry.replyToMessageId).catch(() => undefined) : undefined;
  const rebuilt = newMessage({ roomId: receipt.roomId, author: retry.author, body: retry.body, clientMessageId: retry.clientMessageId, replyTo });
  return { message: { ...rebuilt, messageId: receipt.messageId, createdAt: receipt.createdAt, authorName: receipt.authorName }, missing: true };
}

/** Validates and stores `body` from `author` in `roomId` (once per clientMessageId), then fans it out. */
export async function sendMessage(
  input: {
    roomId: string;
    author: ChatUser;
    body: unknown;
    clientMessageId?: string;
    /** Quote-reply: a live message of the same room. */
    replyToMessageId?: string;
    onStored?: (message: ChatMessage) => Promise<void>;
  },
  now = Date.now(),
): Promise<SendResult> {
  const body = parseBody(input.body);
  const { author, clientMessageId } = input;
  const { roomId, kind } = parseRoom(input.roomId);
  let joining: RoomRow | undefined;
  // Membership (authorization) and receipt (idempotency) in one request; the checks still run in that order.
  const lookup = await lookUpSend(roomId, author.userId, clientMessageId);
  if (!lookup.membership) {
    joining = kind === 'public' ? await publicRoom(roomId) : undefined;
    if (!joining) throw roomNotFound();
    await ensureRoomAllowance(author.userId);
  }
  let receipt = lookup.receipt;
  if (!receipt) {
    try {
      await consumeSendAllowance(author.userId, now);
    } catch (error) {
      // A concurrent twin of this very send may have been stored meanwhile: answer with it, not a refusal.
      receipt = error instanceof RateLimitedError && clientMessageId ? await findReceipt(author.userId, clientMessageId) : undefined;
      if (!receipt) {
        if (error instanceof RateLimitedError) count('RateLimitedSends');
        throw error;
      }
    }
  }
  let message: ChatMessage;
  let store = true;
  if (!receipt) {
    const replyTo = input.replyToMessageId ? await replyQuote(roomId, input.replyToMessageId) : undefined;
    message = newMessage({ roomId, author, body, clientMessageId, replyTo }, now);
    receipt = clientMessageId ? await claimReceipt(author.userId, clientMessageId, message, now) : undefined;
  }
  const replayed = receipt !== undefined;
  if (receipt) {
    const found = await messageOfReceipt(receipt, { author, body, clientMessageId: clientMessageId!, replyToMessageId: input.replyToMessageId });
    message = found.message;
    store = found.missing;
  }
  // A fresh message and its mention items: one request. A retry re-storing a lost row: the conditional put, then its
  // items (idempotent).
  if (store && !replayed) await putFreshMessage(message!);
  if (store && replayed) {
    await putMessage(message!);
    await indexMentions(message!);
  }
  if (store && !replayed) count('MessagesStored');
  await input.onStored?.(message!);
  if (joining) await joinPublic(author, joining, now);
  // A deleted message is never re-broadcast (its placeholder already went out with the delete). A retry that had to
  // re-store the row is broadcast whatever the allowance: its first attempt died before any broadcast.
  if (replayed && (message!.deletedAt || (!store && !(await allowanceLeft(author.userId, now))))) {
    return { message: message!, broadcast: NO_BROADCAST, replayed };
  }
  // After the allowance (a replayed id cannot write entries for free), before the fan-out reads the room's sockets.
  await recordIfLate(message!.roomId, message!.messageId);
  const fanOutStart = Date.now();
  const result = await broadcast(message!.roomId, { type: 'message', message: message! });
  timing('FanOutDuration', Date.now() - fanOutStart);
  await touchRoomActivity(message!.roomId, message!.createdAt, now).catch((error: Error) => logger.warn('activity stamp failed', { error: error.name }));
  return { message: message!, broadcast: result, replayed };
}
