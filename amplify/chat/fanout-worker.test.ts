/**
 * The fan-out worker's retry and age rules. `post` stands in for the `@connections` API only here, where the
 * answers under test (429, 5xx, 400) cannot be provoked from the local gateway; the clock and sleep are virtual so
 * backoff is checked without waiting. The real path (queue → worker → sockets) is in fanout.test.ts.
 */
import '../local/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WORKER_CONCURRENCY, deliverShard, isRetryable } from './fanout-worker';
import { logger } from './logger';
import { SHARD_MAX_AGE_MS, parseShard, splitShards, type Shard } from './fanout-shards';

const awsError = (name: string, status?: number) => Object.assign(new Error(name), { name, $metadata: status === undefined ? {} : { httpStatusCode: status } });

function shard(ids: string[], madeAt: number): Shard {
  return { v: 1, roomId: 'general', data: '{"type":"pong"}', connectionIds: ids, madeAt };
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** Fixes the full jitter at half the backoff ceiling, so waits are exact. */
const halfJitter = () => vi.spyOn(Math, 'random').mockReturnValue(0.5);

describe('deliverShard', () => {
  it('retries throttled and 5xx posts with growing waits until each one lands; counts 410 as gone', async () => {
    let now = 1_000_000;
    const waits: number[] = [];
    const attempts = new Map<string, number>();
    const result = await deliverShard(shard(['a', 'b', 'c', 'gone'], now), {
      clock: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
      post: async (id) => {
        const n = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, n);
        if (id === 'gone') return false;
        if (id === 'a' && n < 3) throw awsError('LimitExceededException', 429);
        if (id === 'b' && n < 2) throw awsError('InternalServerErrorException', 502);
        return true;
      },
    });
    expect(result).toEqual({ delivered: 3, gone: 1, failed: 0, expired: 0, retryRounds: 2 });
    expect(attempts.get('c')).toBe(1);
    expect(attempts.get('a')).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('gives up (does not post late) once the next retry would pass the age bound', async () => {
    let now = 5_000_000;
    const madeAt = now;
    let posts = 0;
    const result = await deliverShard(shard(['a'], madeAt), {
      clock: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      post: async () => {
        posts++;
        throw awsError('ThrottlingException', 429);
      },
    });
    expect(result.failed).toBe(1);
    expect(result.delivered).toBe(0);
    expect(now - madeAt).toBeLessThan(SHARD_MAX_AGE_MS);
    expect(posts).toBe(result.retryRounds + 1);
  });

  it('drops a shard that arrives older than the bound without posting', async () => {
    let posts = 0;
    const result = await deliverShard(shard(['a', 'b'], 0), { clock: () => SHARD_MAX_AGE_MS, post: async () => ++posts > 0 });
    expect(result).toMatchObject({ expired: 2, delivered: 0 });
    expect(posts).toBe(0);
  });

  it('does not retry a client error (it would fail again) and still posts the others', async () => {
    const result = await deliverShard(shard(['bad', 'ok'], Date.now()), {
      post: async (id) => {
        if (id === 'bad') throw awsError('BadRequestException', 400);
        return true;
      },
    });
    expect(result).toMatchObject({ delivered: 1, failed: 1, retryRounds: 0 });
  });

  it('backs off 100 ms doubling per round up to 2 s (full jitter), until the age bound', async () => {
    halfJitter();
    let now = 0;
    const waits: number[] = [];
    let posts = 0;
    const result = await deliverShard(shard(['a'], 0), {
      clock: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
      post: async () => {
        posts++;
        throw awsError('LimitExceededException', 429);
      },
    });
    // 50 + 100 + 200 + 400 + 800 ms, then 1 s a round while the next one still ends before 20 s.
    expect(waits).toEqual([50, 100, 200, 400, 800, ...Array<number>(18).fill(1000)]);
    expect(result).toEqual({ delivered: 0, gone: 0, failed: 1, expired: 0, retryRounds: 23 });
    expect(posts).toBe(24);
  });

  it('does not retry when the wait would end exactly at the age bound, and says so', async () => {
    halfJitter();
    const warn = vi.spyOn(logger, 'warn');
    let posts = 0;
    const result = await deliverShard(shard(['a'], 0), {
      clock: () => SHARD_MAX_AGE_MS - 50,
      sleep: async () => {},
      post: async () => {
        posts++;
        throw awsError('ThrottlingException', 429);
      },
    });
    expect(result).toEqual({ delivered: 0, gone: 0, failed: 1, expired: 0, retryRounds: 0 });
    expect(posts).toBe(1);
    expect(warn).toHaveBeenCalledWith('fan-out retries ran out of time', { roomId: 'general', recipients: 1 });
  });

  it('really waits between rounds when no sleep is injected', async () => {
    halfJitter();
    let posts = 0;
    const started = Date.now();
    const result = await deliverShard(shard(['a'], started), {
      post: async () => {
        if (++posts === 1) throw awsError('ServiceUnavailableException', 503);
        return true;
      },
    });
    expect(result).toMatchObject({ delivered: 1, retryRounds: 1 });
    // Round 0 waits 0.5 × 100 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it(`keeps at most ${WORKER_CONCURRENCY} posts in flight`, async () => {
    let inFlight = 0;
    let most = 0;
    const result = await deliverShard(shard(Array.from({ length: 100 }, (_, i) => `c${i}`), Date.now()), {
      post: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return true;
      },
    });
    expect(result.delivered).toBe(100);
    expect(most).toBe(WORKER_CONCURRENCY);
  });

  it('logs an expired shard and a post that failed for good', async () => {
    const warn = vi.spyOn(logger, 'warn');
    await deliverShard(shard(['a', 'b'], 0), { clock: () => SHARD_MAX_AGE_MS, post: async () => true });
    expect(warn).toHaveBeenCalledWith('fan-out shard expired before delivery', { roomId: 'general', recipients: 2 });
    await deliverShard(shard(['bad'], Date.now()), {
      post: async () => {
        throw awsError('ForbiddenException', 403);
      },
    });
    expect(warn).toHaveBeenCalledWith('fan-out post failed', { connectionId: 'bad', error: 'ForbiddenException' });
  });

  it('classifies errors', () => {
    // Throttling by status or by name, whatever the other says; any 5xx; no answer at all.
    expect(isRetryable(awsError('TooManyRequestsException', 429))).toBe(true);
    expect(isRetryable(awsError('LimitExceededException', 400))).toBe(true);
    expect(isRetryable(awsError('ThrottlingException', 400))).toBe(true);
    expect(isRetryable(awsError('ServiceUnavailableException', 503))).toBe(true);
    expect(isRetryable(null)).toBe(true);
    expect(isRetryable(undefined)).toBe(true);
    expect(isRetryable(awsError('LimitExceededException', 429))).toBe(true);
    expect(isRetryable(awsError('InternalServerError', 500))).toBe(true);
    expect(isRetryable(new Error('socket hang up'))).toBe(true);
    expect(isRetryable(awsError('ForbiddenException', 403))).toBe(false);
    expect(isRetryable(awsError('GoneException', 410))).toBe(false);
  });
});

describe('shards', () => {
  it('splits recipients into shards of the given size that round-trip through a queue body', () => {
    const ids = Array.from({ length: 250 }, (_, i) => `c${i}`);
    const shards = splitShards('general', '{"type":"pong"}', ids, 42, 100);
    expect(shards.map((s) => s.connectionIds.length)).toEqual([100, 100, 50]);
    expect(shards.flatMap((s) => s.connectionIds)).toEqual(ids);
    expect(parseShard(JSON.stringify(shards[2]))).toEqual(shards[2]);
  });

  it('keeps every shard within the SQS message limit even for the biggest frame', () => {
    const data = 'x'.repeat(128 * 1024);
    const ids = Array.from({ length: 10_000 }, (_, i) => `connection-id-${i}`);
    for (const s of splitShards('general', data, ids, 0, 100)) expect(Buffer.byteLength(JSON.stringify(s))).toBeLessThanOrEqual(256 * 1024);
  });

  it('refuses a body that is not a shard', () => {
    expect(() => parseShard('{"v":1,"roomId":"x"}')).toThrow('not a fan-out shard');
    expect(() => parseShard('nope')).toThrow();
  });
});
