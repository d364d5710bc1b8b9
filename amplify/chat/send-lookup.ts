/**
 * The send path's two reads in ONE request: the sender's membership row (authorization) and, when the client gave a
 * clientMessageId, the send receipt (idempotency). One BatchGetItem across both tables, consistent reads like the two
 * GetItems it replaces (a fresh removal or a just-claimed receipt must be seen), unprocessed keys retried.
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { backoff, db } from './db';
import type { MembershipRow } from './memberships';
import { receiptKey, toReceipt, type Receipt } from './receipts';
import { MEMBERSHIPS_TABLE, SEND_RECEIPTS_TABLE, requiredEnv } from './tables';

/** What a send needs to know before it counts or writes anything. */
export interface SendLookup {
  readonly membership?: MembershipRow;
  /** The receipt of an earlier send with this clientMessageId, if any. */
  readonly receipt?: Receipt;
}

/** Reads membership and receipt together (one request, retries for unprocessed keys). */
export async function lookUpSend(roomId: string, userId: string, clientMessageId?: string): Promise<SendLookup> {
  const memberships = requiredEnv(MEMBERSHIPS_TABLE.envVar);
  const receipts = clientMessageId ? requiredEnv(SEND_RECEIPTS_TABLE.envVar) : undefined;
  let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
    [memberships]: { Keys: [{ roomId, userId }], ConsistentRead: true },
    ...(receipts ? { [receipts]: { Keys: [{ receiptKey: receiptKey(userId, clientMessageId!) }], ConsistentRead: true } } : {}),
  };
  let membership: MembershipRow | undefined;
  let receipt: Receipt | undefined;
  for (let attempt = 0; request && Object.keys(request).length; attempt++) {
    if (attempt > 0) await backoff(attempt);
    const { Responses, UnprocessedKeys } = await db().send(new BatchGetCommand({ RequestItems: request }));
    membership ??= Responses?.[memberships]?.[0] as MembershipRow | undefined;
    if (receipts) receipt ??= toReceipt(Responses?.[receipts]?.[0] as Record<string, unknown> | undefined);
    request = UnprocessedKeys as typeof request;
  }
  return { membership, receipt };
}
