/**
 * Per-user allowances (sends, room creations, edits and deletes, reactions), shared by every socket and the HTTP
 * route of that user (so reconnecting does not reset them): a fixed window counted in DynamoDB with ONE conditional
 * UpdateItem per use, which is atomic across Lambda instances. A refused use does not count.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ChatError } from '../../lib/chat-error';
import { ErrorCode, LIMITS } from '../../lib/protocol';
import { Keys, RATE_LIMITS_TABLE, requiredEnv } from './tables';
import { db, isConditionFailure, nowSeconds } from './db';

/** "1 second", "7 seconds", "3 minutes": a wait rounded up, never below one unit. */
function waitWords(waitMs: number, unitMs: number, unit: string): string {
  const count = Math.max(1, Math.ceil(waitMs / unitMs));
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** RATE_LIMITED for a send, with how long to wait (the rest of the current window). */
export class RateLimitedError extends ChatError {
  constructor(retryAfterMs: number) {
    super(
      ErrorCode.RateLimited,
      `You are sending faster than ${LIMITS.sendRateLimit} messages per ${LIMITS.sendRateWindowMs / 1000} seconds; ` +
        `wait ${waitWords(retryAfterMs, 1000, 'second')} and send again`,
      retryAfterMs,
    );
  }
}

/** The fixed window of length `windowMs` that `now` falls in: [start, end), aligned to multiples of its length. */
function fixedWindow(now: number, windowMs: number): { start: number; end: number } {
  const start = now - (now % windowMs);
  return { start, end: start + windowMs };
}

/** The send window `now` falls in. */
export function sendWindow(now: number): { start: number; end: number } {
  return fixedWindow(now, LIMITS.sendRateWindowMs);
}

/** One fixed-window allowance: its limit, window and row key, and the refusal that says how long to wait. */
interface Allowance {
  readonly limit: number;
  readonly windowMs: number;
  readonly key: (userId: string, windowStart: number) => string;
  readonly refusal: (waitMs: number) => ChatError;
}

/** "You can make 30 edits and deletes per 60 seconds; wait 12 seconds and try again". */
const perSeconds = (limit: number, windowMs: number, what: string) => (waitMs: number) =>
  new ChatError(
    ErrorCode.RateLimited,
    `You can make ${limit} ${what} per ${windowMs / 1000} seconds; wait ${waitWords(waitMs, 1000, 'second')} and try again`,
    waitMs,
  );

const SEND: Allowance = {
  limit: LIMITS.sendRateLimit,
  windowMs: LIMITS.sendRateWindowMs,
  key: Keys.rateWindow,
  refusal: (waitMs) => new RateLimitedError(waitMs),
};
const CREATE: Allowance = {
  limit: LIMITS.roomCreateLimit,
  windowMs: LIMITS.roomCreateWindowMs,
  key: Keys.createWindow,
  refusal: (waitMs) =>
    new ChatError(
      ErrorCode.RateLimited,
      `You can create ${LIMITS.roomCreateLimit} rooms per hour; try again in ${waitWords(waitMs, 60_000, 'minute')}`,
      waitMs,
    ),
};
const EDIT: Allowance = {
  limit: LIMITS.editRateLimit,
  windowMs: LIMITS.editRateWindowMs,
  key: Keys.editWindow,
  refusal: perSeconds(LIMITS.editRateLimit, LIMITS.editRateWindowMs, 'edits and deletes'),
};
const REACTION: Allowance = {
  limit: LIMITS.reactionRateLimit,
  windowMs: LIMITS.reactionRateWindowMs,
  key: Keys.reactWindow,
  refusal: perSeconds(LIMITS.reactionRateLimit, LIMITS.reactionRateWindowMs, 'reactions'),
};

/** Counts one use of `allowance` (one conditional UpdateItem) or throws its refusal, counting nothing. */
async function consume(allowance: Allowance, userId: string, now: number): Promise<void> {
  const { start, end } = fixedWindow(now, allowance.windowMs);
  try {
    await db().send(
      new UpdateCommand({
        TableName: requiredEnv(RATE_LIMITS_TABLE.envVar),
        Key: { [RATE_LIMITS_TABLE.partitionKey.name]: allowance.key(userId, start) },
        UpdateExpression: 'ADD sent :one SET expiresAt = :exp',
        ConditionExpression: 'attribute_not_exists(sent) OR sent < :limit',
        // Kept one window past its end, then TTL removes it; nothing ever reads an old window.
        ExpressionAttributeValues: { ':one': 1, ':limit': allowance.limit, ':exp': nowSeconds(end + allowance.windowMs) },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw allowance.refusal(end - now);
    throw error;
  }
}

/** Counts one send for `userId`, or throws RateLimitedError (counting nothing) when the window is full. */
export function consumeSendAllowance(userId: string, now = Date.now()): Promise<void> {
  return consume(SEND, userId, now);
}

/** Counts one room creation for `userId`, or throws RATE_LIMITED (counting nothing) when the hour's allowance is used. */
export function consumeCreateAllowance(userId: string, now = Date.now()): Promise<void> {
  return consume(CREATE, userId, now);
}

/** Counts one edit or delete for `userId` (their own allowance, separate from sending). */
export function consumeEditAllowance(userId: string, now = Date.now()): Promise<void> {
  return consume(EDIT, userId, now);
}

/** Counts one reaction set/unset for `userId`; never touches the send allowance. */
export function consumeReactionAllowance(userId: string, now = Date.now()): Promise<void> {
  return consume(REACTION, userId, now);
}
