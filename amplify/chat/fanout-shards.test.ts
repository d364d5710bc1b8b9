/**
 * The pure rules of sharded fan-out: when a page goes through the queue, how recipients are split (count and size
 * limits), and what the worker accepts as a shard. Exact values, env overrides included.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FANOUT_QUEUE_URL_ENV, FANOUT_SHARD_THRESHOLD_ENV, parseShard, shouldShard, splitShards } from './fanout-shards';

const ENV = [FANOUT_QUEUE_URL_ENV, FANOUT_SHARD_THRESHOLD_ENV, 'FANOUT_SHARD_SIZE'];
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
const sizes = (shards: { connectionIds: readonly string[] }[]) => shards.map((s) => s.connectionIds.length);

describe('shouldShard', () => {
  it('shards above 200 recipients by default, only when a queue is configured', () => {
    delete process.env[FANOUT_SHARD_THRESHOLD_ENV];
    process.env[FANOUT_QUEUE_URL_ENV] = 'http://queue';
    expect(shouldShard(200)).toBe(false);
    expect(shouldShard(201)).toBe(true);
    expect(shouldShard(1)).toBe(false);
    delete process.env[FANOUT_QUEUE_URL_ENV];
    expect(shouldShard(201)).toBe(false);
    expect(shouldShard(10_000)).toBe(false);
  });

  it('takes the threshold from FANOUT_SHARD_THRESHOLD when set', () => {
    process.env[FANOUT_QUEUE_URL_ENV] = 'http://queue';
    process.env[FANOUT_SHARD_THRESHOLD_ENV] = '2';
    expect(shouldShard(2)).toBe(false);
    expect(shouldShard(3)).toBe(true);
  });
});

describe('splitShards', () => {
  it('uses 50 ids per shard by default and FANOUT_SHARD_SIZE when set', () => {
    delete process.env.FANOUT_SHARD_SIZE;
    expect(sizes(splitShards('r', 'd', ids(120), 1))).toEqual([50, 50, 20]);
    process.env.FANOUT_SHARD_SIZE = '7';
    expect(sizes(splitShards('r', 'd', ids(15), 1))).toEqual([7, 7, 1]);
  });

  it('makes no empty shard: none for no ids, none at an exact multiple', () => {
    expect(splitShards('r', 'd', [], 1, 50)).toEqual([]);
    const shards = splitShards('room', 'frame', ids(100), 42, 50);
    expect(sizes(shards)).toEqual([50, 50]);
    expect(shards[1]).toEqual({ v: 1, roomId: 'room', data: 'frame', connectionIds: ids(100).slice(50), madeAt: 42 });
  });

  it('fits the ids into what the frame leaves of 256 KiB, minus 1 KiB, at 24 bytes per id', () => {
    // (262,144 - 131,072 - 1,024) / 24 = 5,418.7 → 5,418 ids per shard, whatever the requested size.
    expect(sizes(splitShards('r', 'x'.repeat(128 * 1024), ids(10_000), 1, 100_000))).toEqual([5_418, 4_582]);
    // Bytes, not characters: 40,000 three-byte characters leave (262,144 - 120,000 - 1,024) / 24 = 5,880 ids.
    expect(sizes(splitShards('r', '€'.repeat(40_000), ids(6_000), 1, 100_000))).toEqual([5_880, 120]);
    // A frame that leaves no room still gets one id per shard.
    expect(sizes(splitShards('r', 'x'.repeat(262_000), ids(2), 1, 50))).toEqual([1, 1]);
  });
});

describe('parseShard', () => {
  const valid = { v: 1, roomId: 'r', data: '{}', connectionIds: ['a', 'b'], madeAt: 5 };
  const body = (patch: Record<string, unknown>) => JSON.stringify({ ...valid, ...patch });

  it('returns a well-formed shard as it is', () => {
    expect(parseShard(JSON.stringify(valid))).toEqual(valid);
    expect(parseShard(body({ connectionIds: [] }))).toEqual({ ...valid, connectionIds: [] });
  });

  it.each([
    ['a JSON null', 'null'],
    ['another version', body({ v: 2 })],
    ['no version', body({ v: undefined })],
    ['a non-string roomId', body({ roomId: 1 })],
    ['a non-string data', body({ data: {} })],
    ['a non-number madeAt', body({ madeAt: '5' })],
    ['connectionIds that are not an array', body({ connectionIds: 'a' })],
    ['a non-string connection id among strings', body({ connectionIds: ['a', 2] })],
  ])('refuses %s', (_, text) => {
    expect(() => parseShard(text)).toThrow('not a fan-out shard');
  });
});
