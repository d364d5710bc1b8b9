/**
 * One-time WebSocket tickets: the browser trades its Cognito token for a short-lived random ticket over
 * HTTPS, so no Cognito token ever appears in a WebSocket URL. Only a SHA-256 hash is stored; the
 * $connect authorizer consumes it with a conditional delete, so a ticket opens exactly one socket.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '../../lib/protocol';
import { TICKETS_TABLE, requiredEnv } from './tables';
import { db, isConditionFailure, nowSeconds } from './db';
import type { ChatUser } from './identity';

/** 256 random bits, base64url. */
const TICKET_BYTES = 32;

/** SHA-256 of the ticket, hex: the only form that is stored. */
export function hashTicket(ticket: string): string {
  return createHash('sha256').update(ticket, 'utf8').digest('hex');
}

/** Issues a ticket bound to `user`, valid for `LIMITS.ticketTtlSeconds`. */
export async function issueTicket(user: ChatUser, now = Date.now()): Promise<{ ticket: string; expiresAt: string }> {
  const ticket = randomBytes(TICKET_BYTES).toString('base64url');
  const expiresAt = nowSeconds(now) + LIMITS.ticketTtlSeconds;
  await db().send(
    new PutCommand({
      TableName: requiredEnv(TICKETS_TABLE.envVar),
      Item: { ticketHash: hashTicket(ticket), userId: user.userId, displayName: user.displayName, expiresAt },
      ConditionExpression: 'attribute_not_exists(ticketHash)',
    }),
  );
  return { ticket, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

/**
 * Consumes a ticket atomically: the delete succeeds for one caller only. Returns the bound user,
 * or undefined when the ticket is unknown, already used or expired (TTL deletion lags, so check).
 */
export async function consumeTicket(ticket: string | undefined, now = Date.now()): Promise<ChatUser | undefined> {
  if (!ticket || ticket.length > 256) return undefined;
  try {
    const { Attributes: item } = await db().send(
      new DeleteCommand({
        TableName: requiredEnv(TICKETS_TABLE.envVar),
        Key: { ticketHash: hashTicket(ticket) },
        ConditionExpression: 'attribute_exists(ticketHash)',
        ReturnValues: 'ALL_OLD',
      }),
    );
    if (!item || typeof item.expiresAt !== 'number' || item.expiresAt <= nowSeconds(now)) return undefined;
    return { userId: String(item.userId), displayName: String(item.displayName) };
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}
