/**
 * enqueueShards against the emulated SQS queue (amplify/local/queue.ts, served over HTTP to the real SQS client):
 * every shard arrives once, 10 per SendMessageBatch. Partial batch failures cannot be provoked from the emulator,
 * so for those tests only the SQS client's `send` is wrapped at the boundary: refused entries are answered as
 * `Failed` (as SQS does under throttling), the rest still go to the real queue. The backoff waits are read from
 * the timers the module sets.
 */
import '../local/testing';
import { createServer, type Server } from 'node:http';
import { SQSClient, SendMessageBatchCommand, type SendMessageBatchCommandInput, type SendMessageBatchCommandOutput } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalQueue } from '../local/queue';
import { closeServer, listen } from '../local/net';
import { enqueueShards } from './fanout-enqueue';
import { FANOUT_QUEUE_URL_ENV, splitShards, type Shard } from './fanout-shards';

let server: Server;
let queue: LocalQueue;
let queueUrl: string;
/** Bodies the queue handed to the "worker", in arrival order. */
const received: string[] = [];

beforeAll(async () => {
  server = createServer();
  const port = await listen(server, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  queueUrl = `${base}/queue/fanout`;
  queue = new LocalQueue({
    url: queueUrl,
    invoke: async (event: SQSEvent) => {
      received.push(...event.Records.map((r) => r.body));
    },
  });
  server.on('request', (req, res) => void queue.handle(req, res));
  Object.assign(process.env, {
    [FANOUT_QUEUE_URL_ENV]: queueUrl,
    AWS_ENDPOINT_URL_SQS: base,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
});
afterAll(async () => {
  queue.stop();
  await closeServer(server);
  delete process.env[FANOUT_QUEUE_URL_ENV];
});
afterEach(() => {
  vi.restoreAllMocks();
  received.length = 0;
  process.env[FANOUT_QUEUE_URL_ENV] = queueUrl;
});

const shardsOf = (n: number): Shard[] => splitShards('big', '{"type":"pong"}', Array.from({ length: n }, (_, i) => `c${i}`), 7, 1);

/**
 * Wraps the SQS client's `send`: entries whose body `refuse` picks come back as `Failed`, the others go on to the
 * queue. Returns the batch sizes sent and the backoff waits (timers of 25 ms and up) set by the module.
 */
function refuseEntries(refuse: (body: string, call: number) => boolean): { batches: number[]; waits: number[] } {
  const batches: number[] = [];
  const waits: number[] = [];
  // The one-argument form of `send`, as the module calls it.
  const realSend = SQSClient.prototype.send as (this: SQSClient, command: SendMessageBatchCommand) => Promise<SendMessageBatchCommandOutput>;
  const realSetTimeout = globalThis.setTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
    if (typeof ms === 'number' && ms >= 10 && ms <= 1000) waits.push(ms);
    return realSetTimeout(fn, ms);
  }) as typeof setTimeout);
  vi.spyOn(SQSClient.prototype, 'send').mockImplementation(async function (this: SQSClient, command: SendMessageBatchCommand) {
    const input = command.input as SendMessageBatchCommandInput;
    const call = batches.push(input.Entries?.length ?? 0);
    const refused = (input.Entries ?? []).filter((e) => refuse(e.MessageBody!, call));
    const accepted = (input.Entries ?? []).filter((e) => !refused.includes(e));
    const answer = accepted.length ? await realSend.call(this, new SendMessageBatchCommand({ ...input, Entries: accepted })) : { Successful: [], Failed: [] };
    return { ...answer, Failed: [...(answer.Failed ?? []), ...refused.map((e) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError' }))] };
  } as never);
  return { batches, waits };
}

describe('enqueueShards', () => {
  it('sends every shard to the queue once, 10 per batch, and returns how many', async () => {
    const shards = shardsOf(23);
    const sent = refuseEntries(() => false);
    expect(await enqueueShards(shards)).toBe(23);
    await queue.idle();
    expect(received.sort()).toEqual(shards.map((s) => JSON.stringify(s)).sort());
    expect(sent.batches.sort((a, b) => b - a)).toEqual([10, 10, 3]);
    // Nothing failed, so nothing waited.
    expect(sent.waits).toEqual([]);
  });

  it('re-sends only the entries SQS reported as failed, after a backoff of 50 then 100 ms', async () => {
    const shards = shardsOf(4);
    // c1 is refused twice, c3 once; the others land on the first call.
    const sent = refuseEntries((body, call) => (body.includes('"c1"') && call <= 2) || (body.includes('"c3"') && call === 1));
    expect(await enqueueShards(shards)).toBe(4);
    await queue.idle();
    expect(received.sort()).toEqual(shards.map((s) => JSON.stringify(s)).sort());
    expect(sent.batches).toEqual([4, 2, 1]);
    expect(sent.waits).toEqual([50, 100]);
  });

  it('gives up after 5 sends (waits 50, 100, 200, 400, 800 ms) when SQS keeps refusing', async () => {
    const sent = refuseEntries((body) => body.includes('"c0"'));
    await expect(enqueueShards(shardsOf(2))).rejects.toThrow('fan-out queue refused 1 shards');
    await queue.idle();
    expect(received).toEqual([JSON.stringify(shardsOf(2)[1])]);
    expect(sent.batches).toEqual([2, 1, 1, 1, 1]);
    expect(sent.waits).toEqual([50, 100, 200, 400, 800]);
  }, 10_000);

  it('refuses to run without a queue URL', async () => {
    delete process.env[FANOUT_QUEUE_URL_ENV];
    const sent = refuseEntries(() => false);
    await expect(enqueueShards(shardsOf(1))).rejects.toThrow(`${FANOUT_QUEUE_URL_ENV} is not set`);
    expect(sent.batches).toEqual([]);
  });
});
