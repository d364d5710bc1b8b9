/**
 * The fan-out worker's core: posts one shard (see fanout-shards.ts) to its connections. A 410 removes that socket's
 * rows (as on the direct path); throttling (429 / LimitExceeded), 5xx and network errors are retried with
 * exponential backoff and full jitter, but only while the shard is younger than SHARD_MAX_AGE_MS, so no post
 * lands later than the gap-fill bound; other errors are logged and skipped, one bad socket never stops the rest.
 * A shard that is already too old when it arrives (a late redelivery) is dropped, not posted.
 */
import { postSerialized } from './broadcast';
import { SHARD_MAX_AGE_MS, type Shard } from './fanout-shards';
import { logger } from './logger';

/** Posts in flight per shard. */
export const WORKER_CONCURRENCY = 32;
/** First retry wait; doubles per round up to RETRY_MAX_MS (full jitter). */
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 2_000;

/** What happened to one shard's recipients. */
export interface ShardOutcome {
  readonly delivered: number;
  readonly gone: number;
  /** Given up: a non-retryable error, or still throttled when the age bound ran out. */
  readonly failed: number;
  /** Recipients not posted because the shard arrived too old. */
  readonly expired: number;
  /** Retry rounds used. */
  readonly retryRounds: number;
}

/** True for errors worth retrying: throttling, server-side failures and failures without an HTTP answer. */
export function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  const status = e?.$metadata?.httpStatusCode;
  if (status === undefined) return true; // network: no answer at all
  return status === 429 || status >= 500 || e?.name === 'LimitExceededException' || e?.name === 'ThrottlingException';
}

/** Posts `shard`; `sleep` and `clock` are injectable so tests can run the backoff without waiting. */
export async function deliverShard(
  shard: Shard,
  deps: { clock?: () => number; sleep?: (ms: number) => Promise<void>; post?: (id: string, data: string) => Promise<boolean> } = {},
): Promise<ShardOutcome> {
  const clock = deps.clock ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // Gone sockets' `left` announcements run after the shard's own posts (see broadcast.ts postData).
  const later: Promise<unknown>[] = [];
  const post = deps.post ?? ((id: string, data: string) => postSerialized(id, data, later));
  const deadline = shard.madeAt + SHARD_MAX_AGE_MS;
  if (clock() >= deadline) {
    logger.warn('fan-out shard expired before delivery', { roomId: shard.roomId, recipients: shard.connectionIds.length });
    return { delivered: 0, gone: 0, failed: 0, expired: shard.connectionIds.length, retryRounds: 0 };
  }
  let delivered = 0;
  let gone = 0;
  let failed = 0;
  let pending = [...shard.connectionIds];
  let round = 0;
  for (;;) {
    const retry: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(WORKER_CONCURRENCY, pending.length) }, async () => {
        for (let i = next++; i < pending.length; i = next++) {
          const id = pending[i]!;
          try {
            if (await post(id, shard.data)) delivered++;
            else gone++;
          } catch (error) {
            if (isRetryable(error)) retry.push(id);
            else {
              failed++;
              logger.warn('fan-out post failed', { connectionId: id, error: (error as Error).name });
            }
          }
        }
      }),
    );
    if (retry.length === 0) break;
    const wait = Math.random() * Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** round);
    if (clock() + wait >= deadline) {
      failed += retry.length;
      logger.warn('fan-out retries ran out of time', { roomId: shard.roomId, recipients: retry.length });
      break;
    }
    round++;
    await sleep(wait);
    pending = retry;
  }
  await Promise.all(later);
  return { delivered, gone, failed, expired: 0, retryRounds: round };
}
