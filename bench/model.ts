/**
 * The AWS model: a discrete-event simulation of one message reaching every socket of a room on AWS, for room sizes
 * this machine cannot hold with real sockets. Fed with per-post and per-send costs measured in the same bench run
 * plus configurable AWS figures: `@connections` latency with jitter (lognormal), DynamoDB and SQS latencies,
 * Lambda worker parallelism and cold starts, and API Gateway's account-level request quota (token bucket, shared
 * with every other post in the account). The latency targets apply to THIS model, not to the local stack.
 */

/** Model inputs. Defaults are typical published/observed AWS figures; override any of them. */
export interface ModelConfig {
  /** Client-side CPU per PostToConnection (ms), measured this run; scaled by `cpuScale` for the Lambda's CPU share. */
  postCpuMs: number;
  /** DynamoDB requests the sender makes before the fan-out starts (measured per message this run). */
  senderDynamoRequests: number;
  /** Median @connections round trip (ms) and lognormal jitter (sigma of ln). */
  postLatencyMs: number;
  postJitterSigma: number;
  /** One DynamoDB request (ms, median; same jitter). */
  dynamoMs: number;
  /** Client → API Gateway → Lambda invoke of the sending route (ms). */
  inboundMs: number;
  /** Posts in flight in the sending Lambda (direct path) and in each fan-out worker. */
  directConcurrency: number;
  workerConcurrency: number;
  /** Recipients above which the sender hands shards to the queue; recipients per shard. */
  shardThreshold: number;
  shardSize: number;
  /** SendMessageBatch round trip (ms); batches of 10 sent in parallel. */
  sqsSendMs: number;
  /** Queue → worker invocation (ESM poll + invoke), ms median (same jitter). */
  sqsToWorkerMs: number;
  /** Worker invocations that can run at once (Lambda concurrency for the worker / ESM pollers), and how many are warm. */
  workerSlots: number;
  warmWorkers: number;
  coldStartMs: number;
  /** API Gateway account quota: steady requests/s and burst (shared by every API call in account + region). */
  quotaRps: number;
  quotaBurst: number;
  /** Share of the quota this room's fan-out may use (the rest serves the other rooms). */
  quotaShare: number;
  /** Multiplier on measured CPU costs for the Lambda's vCPU share (1 = a 1,769 MB function ≈ one core here). */
  cpuScale: number;
  /** Recipients per subscriptions Query page (1 MB page / ~150-byte rows). */
  queryPageRows: number;
  /** Messages simulated per room size (each one room-wide fan-out; percentiles over all recipients). */
  trials: number;
  seed: number;
}

export const DEFAULT_MODEL: Omit<ModelConfig, 'postCpuMs' | 'senderDynamoRequests'> = {
  postLatencyMs: 15,
  postJitterSigma: 0.5,
  dynamoMs: 6,
  inboundMs: 15,
  directConcurrency: 16,
  workerConcurrency: 32,
  shardThreshold: 200,
  shardSize: 50,
  sqsSendMs: 20,
  sqsToWorkerMs: 30,
  workerSlots: 200,
  warmWorkers: 100,
  coldStartMs: 250,
  quotaRps: 10_000,
  quotaBurst: 5_000,
  quotaShare: 1,
  cpuScale: 1,
  queryPageRows: 6_000,
  trials: 5,
  seed: 42,
};

/** Tiny deterministic PRNG (mulberry32) so a run is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Event queue ordered by time (binary heap). */
class Events {
  private readonly heap: { t: number; seq: number; fn: (t: number) => void }[] = [];
  private seq = 0;
  at(t: number, fn: (t: number) => void): void {
    const h = this.heap;
    h.push({ t, seq: this.seq++, fn });
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (h[p]!.t < h[i]!.t || (h[p]!.t === h[i]!.t && h[p]!.seq < h[i]!.seq)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }
  run(): void {
    const h = this.heap;
    while (h.length) {
      const top = h[0]!;
      const last = h.pop()!;
      if (h.length) {
        h[0] = last;
        for (let i = 0; ; ) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          const less = (a: number, b: number) => h[a]!.t < h[b]!.t || (h[a]!.t === h[b]!.t && h[a]!.seq < h[b]!.seq);
          if (l < h.length && less(l, m)) m = l;
          if (r < h.length && less(r, m)) m = r;
          if (m === i) break;
          [h[m], h[i]] = [h[i]!, h[m]!];
          i = m;
        }
      }
      top.fn(top.t);
    }
  }
}

/** API Gateway's request quota as a token bucket: returns when a request wanting to start at `t` may go. */
class TokenBucket {
  private tokens: number;
  private last = 0;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  take(t: number): number {
    const now = Math.max(t, this.last);
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return now;
    }
    const wait = ((1 - this.tokens) * 1000) / this.rate;
    this.tokens = 0;
    this.last = now + wait;
    return now + wait;
  }
}

/**
 * Posts `recipients` from one Lambda starting at `start`: `concurrency` posts in flight, one event loop (CPU per
 * post serialized), each post waiting for the quota. Calls `receive(t)` for each recipient and `done(t)` at the end.
 */
function postFrom(ev: Events, start: number, recipients: number, concurrency: number, cpuMs: number, latency: () => number, bucket: TokenBucket, receive: (t: number) => void, done: (t: number) => void): void {
  let left = recipients;
  let inFlight = 0;
  let cpuFree = start;
  const pump = (t: number) => {
    while (inFlight < concurrency && left > 0) {
      left--;
      inFlight++;
      cpuFree = Math.max(t, cpuFree) + cpuMs;
      const go = bucket.take(cpuFree);
      ev.at(go + latency(), (end) => {
        receive(end);
        inFlight--;
        if (left > 0) pump(end);
        else if (inFlight === 0) done(end);
      });
    }
  };
  if (recipients === 0) ev.at(start, done);
  else ev.at(start, pump);
}

/** Percentiles (ms) of the time from send to receipt over every recipient of every simulated message. */
export interface ModelRow {
  readonly roomSize: number;
  readonly path: 'direct' | 'sharded';
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly postsPerMessage: number;
  readonly sqsRequestsPerMessage: number;
  readonly workerInvocationsPerMessage: number;
}

/** Simulates one room size with the design's path choice (or `force` one path). */
export function simulate(config: ModelConfig, roomSize: number, force?: 'direct' | 'sharded'): ModelRow {
  const random = rng(config.seed + roomSize);
  const normal = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const jitter = (median: number) => median * Math.exp(config.postJitterSigma * normal());
  const path = force ?? (roomSize > config.shardThreshold ? 'sharded' : 'direct');
  const cpu = config.postCpuMs * config.cpuScale;
  const samples: number[] = [];
  let sqsRequests = 0;
  let invocations = 0;
  for (let trial = 0; trial < config.trials; trial++) {
    const ev = new Events();
    const bucket = new TokenBucket(config.quotaRps * config.quotaShare, config.quotaBurst * config.quotaShare);
    let t = jitter(config.inboundMs);
    for (let i = 0; i < config.senderDynamoRequests; i++) t += jitter(config.dynamoMs);
    const pages = Math.max(1, Math.ceil(roomSize / config.queryPageRows));
    const receive = (at: number) => samples.push(at);
    if (path === 'direct') {
      // The direct path reads a page, posts it, reads the next (as broadcast() does).
      let at = t;
      for (let p = 0; p < pages; p++) {
        at += jitter(config.dynamoMs);
        const n = Math.min(config.queryPageRows, roomSize - p * config.queryPageRows);
        let finished = at;
        postFrom(ev, at, n, config.directConcurrency, cpu, () => jitter(config.postLatencyMs), bucket, receive, (end) => (finished = end));
        ev.run();
        at = finished;
      }
    } else {
      for (let p = 0; p < pages; p++) t += jitter(config.dynamoMs);
      const shards = Math.ceil(roomSize / config.shardSize);
      const batches = Math.ceil(shards / 10);
      sqsRequests += batches;
      // Shards reach the worker pool as the queue delivers them; a free slot takes the next one, a slot used for
      // the first time beyond the warm ones pays a cold start. All shards share one event loop (and one quota).
      let free = config.workerSlots;
      let used = 0;
      const waiting: number[] = [];
      const start = (at: number, n: number) => {
        free--;
        invocations++;
        const cold = used++ >= config.warmWorkers ? config.coldStartMs : 0;
        postFrom(ev, at + cold, n, config.workerConcurrency, cpu, () => jitter(config.postLatencyMs), bucket, receive, (end) => {
          free++;
          const next = waiting.shift();
          if (next !== undefined) start(end, next);
        });
      };
      for (let s = 0; s < shards; s++) {
        const n = Math.min(config.shardSize, roomSize - s * config.shardSize);
        const sentAt = t + jitter(config.sqsSendMs);
        ev.at(sentAt + jitter(config.sqsToWorkerMs), (at) => (free > 0 ? start(at, n) : waiting.push(n)));
      }
      ev.run();
    }
  }
  samples.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(samples[Math.min(samples.length - 1, Math.ceil((p / 100) * samples.length) - 1)]!);
  return {
    roomSize,
    path,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    postsPerMessage: roomSize,
    sqsRequestsPerMessage: Math.round((sqsRequests / config.trials) * 10) / 10,
    workerInvocationsPerMessage: Math.round((invocations / config.trials) * 10) / 10,
  };
}

/** The targets, checked against the model. */
export interface ModelVerdict {
  readonly rows: ModelRow[];
  readonly directOnly: ModelRow[];
  readonly targets: { name: string; value: number; limit: number; met: boolean }[];
}

/** Runs the model for `sizes` (design path) and for the direct path alone, and checks the targets. */
export function runModel(config: ModelConfig, sizes: readonly number[] = [10, 100, 1_000, 10_000]): ModelVerdict {
  const rows = sizes.map((n) => simulate(config, n));
  const directOnly = sizes.map((n) => simulate(config, n, 'direct'));
  const at = (n: number) => rows.find((r) => r.roomSize === n);
  const targets: ModelVerdict['targets'] = [];
  if (at(10_000)) targets.push({ name: '10,000 sockets p99 (ms)', value: at(10_000)!.p99, limit: 1000, met: at(10_000)!.p99 <= 1000 });
  if (at(1_000)) targets.push({ name: '1,000 sockets p99 (ms)', value: at(1_000)!.p99, limit: 300, met: at(1_000)!.p99 <= 300 });
  for (const n of sizes.filter((s) => s <= config.shardThreshold)) {
    const d = directOnly.find((r) => r.roomSize === n)!;
    targets.push({ name: `${n} sockets p99 no slower than direct (ms)`, value: at(n)!.p99, limit: d.p99, met: at(n)!.p99 <= d.p99 });
  }
  return { rows, directOnly, targets };
}
