/**
 * Smoke run of `npm run bench` (tiny sizes): proves every part runs end to end and that the counters count what
 * happened (posts per message = room size, one latency sample per receiving socket per message). No timing is
 * asserted; the real bench is `npm run bench`.
 */
import '../amplify/local/testing';
import { describe, expect, it } from 'vitest';
import { runBench } from './bench';

describe('bench smoke run', () => {
  it('measures rooms, baselines, presence, the model and a handler bundle in one run', async () => {
    const results = await runBench({
      sizes: [2, 5],
      messages: () => 3,
      sample: { rooms: 2, perRoom: 5, messages: 2 },
      storm: 3,
      stormRoom: 5,
      handlerRuns: 1,
      handlersOnly: ['ws-connect'],
      model: { trials: 1 },
      modelSizes: [5, 1_000],
      postCostPosts: 100,
      log: () => {},
    });
    if (process.env.BENCH_SMOKE_PRINT) console.log(JSON.stringify(results, null, 1));
    const [small, room5] = results.chat;
    expect(small!.latencyMs.samples).toBe(2 * 3);
    expect(room5!.latencyMs.samples).toBe(5 * 3);
    // Each message is posted once per subscribed socket, plus the sender's ack: no more (counted at the wire).
    expect(room5!.perMessage.posts).toBe(5 + 1);
    expect(room5!.perMessage.dynamo.PutItem).toBeGreaterThanOrEqual(1);
    expect(results.relay.map((r) => r.latencyMs.samples)).toEqual([6, 15]);
    // The AWS sample has no rooms: every message reaches all 10 sockets (2 rooms × 5), via one Scan.
    expect(results.awsSample!.perMessage.posts).toBe(10);
    expect(results.awsSample!.perMessage.dynamo.Scan).toBe(1);
    // A join in a room of 5: a delta to each other socket there (4 posts) plus the joiner's own answer frames.
    expect(results.presence[1]!.join.posts).toBeGreaterThanOrEqual(4);
    expect(results.storm!.changes).toBe(6);
    expect(results.model.rows.map((r) => r.path)).toEqual(['direct', 'sharded']);
    expect(results.handlers!.handlers).toHaveLength(1);
    expect(results.summary).toMatch(/^summary: room 2: p99 /);
  }, 300_000);
});
