/**
 * The metric output (EMF lines on stdout, as CloudWatch Logs receives them) of real handlers on the local stack:
 * a send, a refused ticket and a 410. Also: dimensions stay low-cardinality, and every metric is in CHAT_METRICS.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { HandshakeRefused, startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { postToAll } from './broadcast';
import { CHAT_METRICS, METRICS_NAMESPACE, flushMetrics, tapMetrics } from './metrics';

type Emf = Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } };

let stack: TestStack;
let lines: Emf[] = [];
beforeAll(async () => {
  stack = await startTestStack();
  tapMetrics(undefined); // the fixture's no-op tap off: handlers print real EMF, as in Lambda
});
afterAll(async () => {
  tapMetrics(() => {}); // the fixture's tap back on: the next files of this worker share the module
  await stack?.stop();
});
beforeEach(() => {
  lines = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    for (const line of String(chunk).split('\n')) {
      if (line.startsWith('{') && line.includes('"_aws"')) lines.push(JSON.parse(line) as Emf);
    }
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  });
});
afterEach(() => vi.restoreAllMocks());

/** Sum of one metric over the captured EMF lines (a value may be a number or an array of samples). */
const total = (name: string) =>
  lines.reduce((sum, l) => sum + [l[name] ?? []].flat().reduce((a: number, b) => a + (b as number), 0), 0);
const samples = (name: string) => lines.flatMap((l) => (l[name] === undefined ? [] : [l[name]].flat())) as number[];

describe('metric output', () => {
  it('a send: message stored, deliveries, ack latency and fan-out duration; dimensions service + deployment only', async () => {
    const [ada, bob] = [testUser('Ada'), testUser('Bob')];
    const room = await stack.publicRoom(ada, 'metrics-room');
    const a = await stack.connect(ada, room);
    const b = await stack.connect(bob, room);
    lines = [];
    a.send({ action: 'sendMessage', roomId: room, body: 'counted', clientMessageId: 'metrics-0001' });
    await a.next((f) => f.type === 'ack');
    await b.next((f) => f.type === 'message');
    await vi.waitFor(() => expect(total('MessagesStored')).toBe(1));
    expect(total('Deliveries')).toBeGreaterThanOrEqual(2); // both sockets got the message
    expect(samples('AckLatency')).toHaveLength(1);
    expect(samples('FanOutDuration')).toHaveLength(1);
    expect(total('RefusedTickets')).toBe(0);
    for (const line of lines) {
      const def = line._aws.CloudWatchMetrics[0]!;
      expect(def.Namespace).toBe(METRICS_NAMESPACE);
      expect(def.Dimensions).toEqual([['service', 'deployment']]);
      for (const m of def.Metrics) expect(Object.keys(CHAT_METRICS)).toContain(m.Name);
      expect(JSON.stringify(line)).not.toContain(room); // never a room id
    }
    await Promise.all([a.close(), b.close()]);
  });

  it('a refused ticket counts one RefusedTickets and nothing else', async () => {
    await expect(stack.openSocket({ ticket: 'not-a-real-ticket-000000000000' })).rejects.toBeInstanceOf(HandshakeRefused);
    await vi.waitFor(() => expect(total('RefusedTickets')).toBe(1));
    expect(total('ConnectionsOpened')).toBe(0);
  });

  it('a 410 counts one GoneConnections and no delivery or failure', async () => {
    const result = await postToAll(['NoSuchSocket0='], { type: 'pong' });
    expect(result).toEqual({ delivered: 0, gone: 1, failed: 0 });
    flushMetrics(); // outside a handler: flush by hand, as withMetrics does
    expect(total('GoneConnections')).toBe(1);
    expect(total('Deliveries')).toBe(0);
    expect(total('FailedPosts')).toBe(0);
  });

  it('an accepted handshake counts one ConnectionsOpened and no refusal', async () => {
    const socket = await stack.connect(testUser('Cy'));
    await vi.waitFor(() => expect(total('ConnectionsOpened')).toBe(1));
    expect(total('RefusedTickets')).toBe(0);
    await socket.close();
  });
});
