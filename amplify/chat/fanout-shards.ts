/**
 * Sharded fan-out for big rooms. Above `FANOUT_SHARD_THRESHOLD` recipients in a page, the sending handler does not
 * post itself: it splits the recipients into shards of `FANOUT_SHARD_SIZE` connection ids and hands them to the
 * fan-out worker through SQS (SendMessageBatch, 10 shards per call). Below it, the direct path stays as it was,
 * so small rooms pay nothing extra. Without a queue configured (FANOUT_QUEUE_URL unset) everything stays direct.
 *
 * Gap fill: standard queues reorder, duplicate and deliver late. A shard carries the time it was made, and the
 * worker drops a shard older than `SHARD_MAX_AGE_MS` instead of posting it, which bounds how late a live message
 * can arrive well below the client's gap-fill overlap (GAP_OVERLAP_MS, 30 s): a message either arrives inside the
 * overlap the client re-reads on every gap fill, or not at all (and then the next gap fill finds it). Duplicates are
 * harmless: clients de-duplicate by messageId and presence deltas are idempotent.
 */

/** Env var holding the fan-out queue's URL (set only on functions allowed to send to it). */
export const FANOUT_QUEUE_URL_ENV = 'FANOUT_QUEUE_URL';
/** Recipients in one page above which the page goes through the queue (env FANOUT_SHARD_THRESHOLD overrides). */
export const FANOUT_SHARD_THRESHOLD = 200;
/** Env var overriding the threshold (operations tuning; tests use a tiny one). */
export const FANOUT_SHARD_THRESHOLD_ENV = 'FANOUT_SHARD_THRESHOLD';
/** Connection ids per shard (one SQS message, one slice of a worker's batch). */
export const FANOUT_SHARD_SIZE = 50;
/** A shard older than this is dropped, not posted: well below the client's 30 s gap-fill overlap. */
export const SHARD_MAX_AGE_MS = 20_000;
/** SQS message size limit (bytes) for one shard: ids + the serialized frame must fit. */
const SQS_MESSAGE_MAX_BYTES = 256 * 1024;

/** One shard as it travels through the queue. */
export interface Shard {
  readonly v: 1;
  readonly roomId: string;
  /** The serialized server frame, posted as-is. */
  readonly data: string;
  readonly connectionIds: readonly string[];
  /** Epoch ms when the sender made the shard (the age bound counts from here). */
  readonly madeAt: number;
}

/** True when a fan-out queue is configured for this function. */
export function shardingEnabled(): boolean {
  return Boolean(process.env[FANOUT_QUEUE_URL_ENV]);
}

/** Whether `recipients` (in one page) should go through the queue. */
export function shouldShard(recipients: number): boolean {
  const threshold = Number(process.env[FANOUT_SHARD_THRESHOLD_ENV] || FANOUT_SHARD_THRESHOLD);
  return recipients > threshold && shardingEnabled();
}

/** Splits `ids` into shards of at most `size` ids, each also within the SQS message size limit. */
export function splitShards(roomId: string, data: string, ids: readonly string[], madeAt: number, size = Number(process.env.FANOUT_SHARD_SIZE || FANOUT_SHARD_SIZE)): Shard[] {
  // Ids are ~16 ASCII characters; leave room for the JSON around them.
  const room = SQS_MESSAGE_MAX_BYTES - Buffer.byteLength(data) - 1024;
  const fit = Math.max(1, Math.min(size, Math.floor(room / 24)));
  const shards: Shard[] = [];
  for (let i = 0; i < ids.length; i += fit) shards.push({ v: 1, roomId, data, connectionIds: ids.slice(i, i + fit), madeAt });
  return shards;
}

/** Parses a queue message body into a Shard; throws on anything else (the record then fails alone). */
export function parseShard(body: string): Shard {
  const value = JSON.parse(body) as Partial<Shard>;
  if (
    value?.v !== 1 ||
    typeof value.roomId !== 'string' ||
    typeof value.data !== 'string' ||
    typeof value.madeAt !== 'number' ||
    !Array.isArray(value.connectionIds) ||
    !value.connectionIds.every((id) => typeof id === 'string')
  ) {
    throw new Error('not a fan-out shard');
  }
  return value as Shard;
}
