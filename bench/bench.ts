/**
 * `npm run bench` in one function (the smoke test in `npm test` runs it tiny). One run measures, on this machine:
 *  - the chat stack (real tickets, sockets, handlers, dynalite, emulated API Gateway) with rooms of 10/100/1,000
 *    sockets: send→receive latency p50/p95/p99 at EVERY receiving socket, messages/s, and DynamoDB, `@connections`
 *    and SQS requests per message, counted at the wire;
 *  - baselines in the same run: a bare `ws` relay (the floor) at each size, and the AWS sample's algorithm (Scan,
 *    unbounded Promise.all, no rooms) with 10 rooms × 100 sockets;
 *  - presence: posts and bytes per join/leave at each size, and a reconnect storm;
 *  - the client cost of one post, fed with the per-send request counts into the AWS model (model.ts), where the
 *    latency targets for 1,000 and 10,000 sockets are checked;
 *  - lean handlers: bundle size and cold import of every handler against a bare DynamoDB handler.
 * Nothing asserts a time: the output is numbers and same-run ratios (results.json + a one-line summary).
 */
import { CONNECTIONS_TABLE } from '../amplify/chat/tables';
import { startTestStack } from '../amplify/local/testing';
import { awsSampleSender } from './aws-sample';
import { chatRoom, heartbeat, presenceCost, quiet, reconnectStorm, setupWorld, type ChatRoomResult, type PresenceCost, type StormResult } from './chat';
import { RequestCounter, diff, per, type Counts } from './counters';
import { measureFanOut, type FanOutResult } from './fanout-run';
import { measureHandlers } from './handlers';
import { DEFAULT_MODEL, runModel, type ModelConfig, type ModelVerdict } from './model';
import { measurePostCost } from './post-cost';
import { bareRelay } from './relay';
import { PRICES, costPerMillion, type CostRow } from './cost';

/** What to run. */
export interface BenchOptions {
  /** Room sizes (sockets) measured with real sockets. */
  readonly sizes: readonly number[];
  /** Messages per room size. */
  readonly messages: (size: number) => number;
  /** AWS-sample baseline: rooms × sockets per room (0 rooms = skip). */
  readonly sample: { rooms: number; perRoom: number; messages: number };
  /** Members reconnecting at once in the storm (0 = skip), in the room of `stormRoom` sockets. */
  readonly storm: number;
  readonly stormRoom: number;
  /** Handler bundles: cold-import runs (0 = skip), or only these handlers. */
  readonly handlerRuns: number;
  readonly handlersOnly?: readonly string[];
  /** Model overrides and room sizes. */
  readonly model: Partial<ModelConfig>;
  readonly modelSizes: readonly number[];
  /** Posts timed for the per-post cost (default 1,000). */
  readonly postCostPosts?: number;
  readonly log: (line: string) => void;
}

/** Everything one run measured (written to bench/results.json). */
export interface BenchResults {
  readonly date: string;
  readonly machine: { cpus: number; node: string };
  readonly chat: ChatRoomResult[];
  readonly relay: (FanOutResult & { roomSize: number })[];
  readonly awsSample?: FanOutResult & { rooms: number; perRoom: number; perMessage: Counts; chatSameRoomSize?: number };
  readonly presence: PresenceCost[];
  readonly storm?: StormResult;
  readonly postCost: Awaited<ReturnType<typeof measurePostCost>>;
  readonly model: ModelVerdict & { config: ModelConfig; note: string };
  readonly handlers?: Awaited<ReturnType<typeof measureHandlers>>;
  /** Dollars per million messages by room size (measured counts × list prices; Lambda time from the model). */
  readonly costPerMillionMessages: { prices: typeof PRICES; note: string; rows: CostRow[] };
  /** Parts of the run that failed (reported, not hidden). */
  readonly errors: string[];
  readonly summary: string;
}

/** Runs the bench; returns the results (the caller writes and prints them). */
export async function runBench(o: BenchOptions): Promise<BenchResults> {
  const counter = new RequestCounter();
  const log = o.log;
  const errors: string[] = [];
  try {
    log('relay baseline...');
    const relay: BenchResults['relay'] = [];
    for (const size of o.sizes) relay.push({ roomSize: size, ...(await bareRelay(size, o.messages(size))) });

    log('post cost...');
    const postCost = await measurePostCost(o.postCostPosts);

    const stack = await startTestStack();
    let chat: ChatRoomResult[] = [];
    let presence: PresenceCost[] = [];
    let awsSample: BenchResults['awsSample'];
    let storm: StormResult | undefined;
    try {
      const sampleSockets = o.sample.rooms * o.sample.perRoom;
      const sizes = [...new Set([...o.sizes, ...(sampleSockets ? [sampleSockets] : [])])].sort((a, b) => a - b);
      log(`chat stack: setting up rooms of ${sizes.join('/')} sockets...`);
      const world = await setupWorld(stack, sizes, log);
      for (const size of o.sizes) {
        log(`chat stack: room of ${size}...`);
        chat.push(await chatRoom(world, size, o.messages(size), counter));
      }
      for (const size of o.sizes) presence.push(await presenceCost(stack, world, size, counter));
      if (o.sample.rooms > 0) {
        log(`AWS sample: ${o.sample.rooms} rooms × ${o.sample.perRoom} sockets...`);
        const send = awsSampleSender(stack.docClient, stack.dynamo.tableNames[CONNECTIONS_TABLE.envVar]!, stack.gateway.httpUrl);
        // Every socket gets every message; the latency that counts is at the room's own sockets (every 10th).
        const roomOf = (i: number) => i % o.sample.rooms;
        const receivers = world.sockets.slice(0, sampleSockets).filter((_, i) => roomOf(i) === 0);
        await heartbeat(world.sockets);
        await quiet(counter);
        const before = counter.snapshot();
        const result = await measureFanOut(receivers, o.sample.messages, (body) => send('sample-0', body), 'sample');
        awsSample = { rooms: o.sample.rooms, perRoom: o.sample.perRoom, ...result, perMessage: per(diff(counter.snapshot(), before), o.sample.messages) };
      }
      if (o.storm > 0) {
        log(`reconnect storm: ${o.storm} members of the room of ${o.stormRoom}...`);
        try {
          storm = await reconnectStorm(stack, world, o.stormRoom, o.storm, counter);
        } catch (error) {
          // Report, keep the rest of the run: the storm is the part most at the mercy of a loaded machine.
          log(`reconnect storm failed: ${(error as Error).message}`);
          errors.push(`storm: ${(error as Error).message}`);
        }
      }
      await Promise.all(world.sockets.map((s) => s.close().catch(() => {})));
    } finally {
      await stack.stop();
    }

    const biggest = chat.at(-1);
    const config: ModelConfig = {
      ...DEFAULT_MODEL,
      postCpuMs: postCost.cpuMsPerPost,
      senderDynamoRequests: Math.ceil(chat[0]?.perMessage.dynamoTotal ?? 6),
      ...o.model,
    };
    const model = {
      ...runModel(config, o.modelSizes),
      config,
      note: 'Latency targets (10,000 sockets p99 ≤ 1 s, 1,000 ≤ 300 ms, small rooms no slower) apply to this MODEL of AWS, fed with this run\'s measured per-post cost and per-send request counts; the local stack on 2 cores cannot reach them with real sockets.',
    };

    const costs = chat.map((c) => {
      const modelled = runModel({ ...config, trials: 1 }, [c.roomSize]).rows[0]!;
      const sharded = Object.keys(c.perMessage.sqs).length > 0;
      const shardSeconds = (Math.ceil(config.shardSize / config.workerConcurrency) * config.postLatencyMs + config.shardSize * config.postCpuMs) / 1000;
      const senderSeconds = sharded ? 0.1 : modelled.p99 / 1000;
      const workerSeconds = sharded ? Math.ceil(c.roomSize / config.shardSize) * shardSeconds : 0;
      return costPerMillion(c.roomSize, c.perMessage, senderSeconds, workerSeconds);
    });
    const costPerMillionMessages = {
      prices: PRICES,
      note: 'Request counts measured in this run (per message, all receivers subscribed); Lambda seconds from the AWS model (sender 0.5 GB, worker 1.769 GB, arm64). Excludes connection minutes ($0.25 per million) and pings.',
      rows: costs,
    };

    let handlers: BenchResults['handlers'];
    if (o.handlerRuns > 0) {
      log('handler bundles and cold imports...');
      handlers = await measureHandlers({ runs: o.handlerRuns, only: o.handlersOnly });
    }

    const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}x` : 'n/a');
    const parts = chat.map((c) => {
      const r = relay.find((x) => x.roomSize === c.roomSize)!;
      return `room ${c.roomSize}: p99 ${c.latencyMs.p99} ms = ${ratio(c.latencyMs.p99, r.latencyMs.p99)} relay`;
    });
    const same = awsSample && chat.find((c) => c.roomSize === o.sample.perRoom);
    if (awsSample && same) parts.push(`AWS sample ${o.sample.rooms}x${o.sample.perRoom}: p99 ${ratio(awsSample.latencyMs.p99, same.latencyMs.p99)} ours, posts/msg ${ratio(awsSample.perMessage.posts, same.perMessage.posts)} ours`);
    if (biggest) parts.push(`room ${biggest.roomSize}: ${biggest.perMessage.dynamoTotal} DynamoDB + ${biggest.perMessage.posts} posts per message`);
    const m10k = model.rows.find((r) => r.roomSize === 10_000);
    if (m10k) parts.push(`model 10,000 p99 ${m10k.p99} ms (${model.targets.every((t) => t.met) ? 'all model targets met' : 'model targets MISSED'})`);
    if (handlers) {
      const worstSize = Math.max(...handlers.handlers.map((h) => h.bytes));
      const worstRatio = Math.max(...handlers.handlers.map((h) => h.cpuRatioToBare));
      parts.push(`handlers max ${Math.round(worstSize / 1024)} KB, cold import max ${worstRatio}x bare (CPU)`);
    }
    return {
      date: new Date().toISOString(),
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      chat,
      relay,
      awsSample,
      presence,
      storm,
      postCost,
      model,
      handlers,
      costPerMillionMessages,
      errors,
      summary: `summary: ${parts.join('; ')}`,
    };
  } finally {
    counter.stop();
  }
}
