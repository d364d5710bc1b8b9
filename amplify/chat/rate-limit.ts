/**
 * Per-user send limit, shared by every socket and the HTTP route of that user (so reconnecting does not
 * reset it): a fixed window counted in DynamoDB with ONE conditional UpdateItem per send, which is
 * atomic across Lambda instances. A refused send does not count.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ChatError } from '../../lib/chat-error';
import { ErrorCode, LIMITS } from '../../lib/protocol';
import { Keys, RATE_LIMITS_TABLE, requiredEnv } from './tables';
import { db, isConditionFailure, nowSeconds } from './db';

/** RATE_LIMITED, with how long to wait (the rest of the current window). */
export class RateLimitedError extends ChatError {
  constructor(retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super(
      ErrorCode.RateLimited,
      `You are sending faster than ${LIMITS.sendRateLimit} messages per ${LIMITS.sendRateWindowMs / 1000} seconds; ` +
        `wait ${seconds} second${seconds === 1 ? '' : 's'} and send again`,
      retryAfterMs,
    );
  }
}

/** The fixed window `now` falls in: [start, end), aligned to multiples of the window length. */
export function sendWindow(now: number): { start: number; end: number } {
  const start = now - (now % LIMITS.sendRateWindowMs);
  return { start, end: start + LIMITS.sendRateWindowMs };
}

/** Counts one send for `userId`, or throws RateLimitedError (counting nothing) when the window is full. */
export async function consumeSendAllowance(userId: string, now = Date.now()): Promise<void> {
  const { start, end } = sendWindow(now);
  try {
    await db().send(
      new UpdateCommand({
        TableName: requiredEnv(RATE_LIMITS_TABLE.envVar),
        Key: { [RATE_LIMITS_TABLE.partitionKey.name]: Keys.rateWindow(userId, start) },
        UpdateExpression: 'ADD sent :one SET expiresAt = :exp',
        ConditionExpression: 'attribute_not_exists(sent) OR sent < :limit',
        // Kept one window past its end, then TTL removes it; nothing ever reads an old window.
        ExpressionAttributeValues: { ':one': 1, ':limit': LIMITS.sendRateLimit, ':exp': nowSeconds(end + LIMITS.sendRateWindowMs) },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new RateLimitedError(end - now);
    throw error;
  }
}

/** Counts one room creation for `userId`, or throws RATE_LIMITED (counting nothing) when the hour's allowance is used. */
export async function consumeCreateAllowance(userId: string, now = Date.now()): Promise<void> {
  const window = LIMITS.roomCreateWindowMs;
  const start = now - (now % window);
  const end = start + window;
  try {
    await db().send(
      new UpdateCommand({
        TableName: requiredEnv(RATE_LIMITS_TABLE.envVar),
        Key: { [RATE_LIMITS_TABLE.partitionKey.name]: Keys.createWindow(userId, start) },
        UpdateExpression: 'ADD sent :one SET expiresAt = :exp',
        ConditionExpression: 'attribute_not_exists(sent) OR sent < :limit',
        ExpressionAttributeValues: { ':one': 1, ':limit': LIMITS.roomCreateLimit, ':exp': nowSeconds(end + window) },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const minutes = Math.max(1, Math.ceil((end - now) / 60_000));
    throw new ChatError(
      ErrorCode.RateLimited,
      `You can create ${LIMITS.roomCreateLimit} rooms per hour; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
      end - now,
    );
  }
}

/** One fixed-window allowance: its limit, window and key, and the words a refusal uses. */
interface Allowance {
  readonly limit: number;
  readonly windowMs: number;
  readonly key: (userId: string, windowStart: number) => string;
  readonly what: string;
}

const EDIT_ALLOWANCE: Allowance = {
  limit: LIMITS.editRateLimit,
  windowMs: LIMITS.editRateWindowMs,
  key: Keys.editWindow,
  what: 'edits and deletes',
};
const REACTION_ALLOWANCE: Allowance = {
  limit: LIMITS.reactionRateLimit,
  windowMs: LIMITS.reactionRateWindowMs,
  key: Keys.reactWindow,
  what: 'reactions',
};

/** Counts one use of `allowance` (one conditional UpdateItem) or throws RATE_LIMITED counting nothing. */
async function consume(allowance: Allowance, userId: string, now: number): Promise<void> {
  const start = now - (now % allowance.windowMs);
  const end = start + allowance.windowMs;
  try {
    await db().send(
      new UpdateCommand({
        TableName: requiredEnv(RATE_LIMITS_TABLE.envVar),
        Key: { [RATE_LIMITS_TABLE.partitionKey.name]: allowance.key(userId, start) },
        UpdateExpression: 'ADD sent :one SET expiresAt = :exp',
        ConditionExpression: 'attribute_not_exists(sent) OR sent < :limit',
        ExpressionAttributeValues: { ':one': 1, ':limit': allowance.limit, ':exp': nowSeconds(end + allowance.windowMs) },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const seconds = Math.max(1, Math.ceil((end - now) / 1000));
    throw new ChatError(
      ErrorCode.RateLimited,
      `You can make ${allowance.limit} ${allowance.what} per ${allowance.windowMs / 1000} seconds; ` +
        `wait ${seconds} second${seconds === 1 ? '' : 's'} and try again`,
      end - now,
    );
  }
}

/** Counts one edit or delete for `userId` (their own allowance, separate from sending). */
export function consumeEditAllowance(userId: string, now = Date.now()): Promise<void> {
  return consume(EDIT_ALLOWANCE, userId, now);
}

/** Counts one reaction set/unset for `userId`; never touches the send allowance. */
export function consumeReactionAllowance(userId: string, now = Date.now()): Promise<void> {
  return consume(REACTION_ALLOWANCE, userId, now);
}
