/**
 * The per-room change order (docs/messages.md): every edit, delete and reaction change, and every message stored
 * late (`recordIfLate`), gets the room's next `seq` from an atomic counter, and an entry with ids only. `listChanges` answers "what changed since N" with the
 * messages' CURRENT states, so a reconnecting client needs one fetch, not a replay.
 *
 * Entries may be written slightly out of seq order (two writers allocate 5 and 6, 6 lands first). That is safe
 * because the message row is updated before its seq is allocated and the fan-out happens after the entry is
 * written: a client that subscribed and then fetched either sees the entry or receives the change live.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decodeTime } from 'ulid';
import { LIMITS, type ChangeEntryKind, type ChangesResponse } from '../../lib/protocol';
import { CHANGE_COUNTER_SEQ, Keys, MESSAGES_TABLE, MESSAGE_CHANGES_TABLE, requiredEnv } from './tables';
import { batchGet, db } from './db';
import { withQuotes, type MessageItem } from './message-items';

const table = () => requiredEnv(MESSAGE_CHANGES_TABLE.envVar);

/** One stored change entry. */
interface ChangeEntry {
  readonly roomId: string;
  readonly seq: string;
  readonly messageId: string;
  readonly change: ChangeEntryKind;
  readonly at: string;
}

/** Allocates the room's next change number and writes its entry (ids only); returns the number. Two requests. */
export async function recordChange(roomId: string, messageId: string, change: ChangeEntryKind, now = Date.now()): Promise<number> {
  const { Attributes } = await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: { roomId, seq: CHANGE_COUNTER_SEQ },
      UpdateExpression: 'ADD #last :one',
      ExpressionAttributeNames: { '#last': 'last' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const seq = Attributes!.last as number;
  const entry: ChangeEntry = { roomId, seq: Keys.changeSeq(seq), messageId, change, at: new Date(now).toISOString() };
  await db().send(new PutCommand({ TableName: table(), Item: entry }));
  return seq;
}

/**
 * Records `messageId` as `stored` when it is fanned out more than `LIMITS.lateStoreMs` after its id's time (a starved
 * invocation; a retry re-storing a row its first attempt lost). Clients read back by time, newest held minus a 30 s
 * overlap, which cannot reach such a message; the change order can. Call it once the row is durable and before the
 * fan-out (the order `recordChange` relies on). Returns the seq, or undefined when the message is on time.
 */
export async function recordIfLate(roomId: string, messageId: string, now = Date.now()): Promise<number | undefined> {
  if (now - decodeTime(messageId) <= LIMITS.lateStoreMs) return undefined;
  return recordChange(roomId, messageId, 'stored', now);
}

/** The room's change counter now (0 before the first change): where a fresh client starts its `since`. */
export async function currentChangeSeq(roomId: string): Promise<number> {
  const { Item } = await db().send(new GetCommand({ TableName: table(), Key: { roomId, seq: CHANGE_COUNTER_SEQ }, ConsistentRead: true }));
  return (Item?.last as number | undefined) ?? 0;
}

/**
 * Changes after `since`, oldest first, at most `limit` entries read (limit + 1 to know if more exist); a message
 * changed several times in the page comes once, at its latest seq, with its current state (one BatchGet).
 */
export async function listChanges(roomId: string, since: number, limit: number): Promise<ChangesResponse> {
  const { Items = [] } = await db().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'roomId = :room AND seq > :since',
      ExpressionAttributeValues: { ':room': roomId, ':since': Keys.changeSeq(since) },
      ConsistentRead: true,
      Limit: limit + 1,
    }),
  );
  const entries = (Items as ChangeEntry[]).slice(0, limit);
  const hasMore = Items.length > limit;
  const latest = new Map<string, ChangeEntry>();
  for (const e of entries) {
    latest.delete(e.messageId);
    latest.set(e.messageId, e);
  }
  const rows = (await batchGet(
    requiredEnv(MESSAGES_TABLE.envVar),
    [...latest.keys()].map((messageId) => ({ roomId, messageId })),
    { consistent: true },
  )) as unknown as MessageItem[];
  const byId = new Map(rows.map((r) => [r.messageId, r]));
  const kept = [...latest.values()].filter((e) => byId.has(e.messageId));
  const messages = kept.length ? await withQuotes(kept.map((e) => byId.get(e.messageId)!)) : [];
  return {
    changes: kept.map((e, i) => ({ seq: Number(e.seq), change: e.change, message: messages[i]! })),
    nextSince: entries.length ? Number(entries[entries.length - 1]!.seq) : since,
    hasMore,
  };
}
