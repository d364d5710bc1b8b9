/**
 * `npm run bench`: end-to-end message fan-out through the real handlers on the local stack, reported as
 * ratios against baselines measured in the same run on the same machine:
 *   - transport floor: a bare `ws` server relaying the same frames to the same number of sockets;
 *   - storage floor:   the same number of DynamoDB puts (dynalite) without any fan-out.
 * Absolute times vary by machine; the ratios say where the time goes. Nothing here asserts a time.
 */
import { WebSocket, WebSocketServer } from 'ws';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { startTestStack, testUser, type TestSocket, type TestStack } from '../amplify/local/testing';
import { MESSAGES_TABLE } from '../amplify/chat/tables';
import { db } from '../amplify/chat/db';

/** DynamoDB requests the handlers make (the gateway runs them in this process, on this very client), by command. */
const requests = new Map<string, number>();
let counting = false;
db().middlewareStack.add(
  (next, context) => async (args) => {
    if (counting) requests.set(context.commandName ?? '?', (requests.get(context.commandName ?? '?') ?? 0) + 1);
    return next(args);
  },
  { step: 'initialize', name: 'benchRequestCounter' },
);

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 20);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100);

/** Median of a few runs, in ms. */
async function median(runs: number, fn: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await fn());
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Time for MESSAGES frames, sent one after another round-robin by the SOCKETS users (the server's per-user
 * rate limit is part of the product; spreading senders keeps the bench under it), to each reach every socket.
 */
async function chatFanOut(stack: TestStack): Promise<number> {
  const sockets: TestSocket[] = [];
  for (let i = 0; i < SOCKETS; i++) sockets.push(await stack.connect(testUser(`u${i}`), 'bench'));
  for (const socket of sockets) await socket.settle();
  let run = 0;
  return await median(3, async () => {
    run++;
    // Counted once, in the second run: by then every sender is a member (a first send in a public room also joins).
    counting = run === 2;
    const start = performance.now();
    for (let i = 0; i < MESSAGES; i++) {
      const sender = sockets[i % SOCKETS]!;
      sender.send({ action: 'sendMessage', roomId: 'bench', body: `m${i}`, clientMessageId: `bench-${run}-${i}` });
      await sender.next((f) => f.type === 'ack', 10_000);
    }
    for (const socket of sockets) for (let i = 0; i < MESSAGES; i++) await socket.next((f) => f.type === 'message', 10_000);
    counting = false;
    return performance.now() - start;
  });
}

/** The same traffic through a bare relay: the floor any WebSocket fan-out pays on this machine. */
async function bareRelay(): Promise<number> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  const url = `ws://127.0.0.1:${(server.address() as { port: number }).port}`;
  server.on('connection', (ws) =>
    ws.on('message', (data) => {
      ws.send('ack');
      for (const client of server.clients) client.send(String(data));
    }),
  );
  const sockets = await Promise.all(
    Array.from(
      { length: SOCKETS },
      () =>
        new Promise<WebSocket>((resolve) => {
          const ws = new WebSocket(url);
          ws.once('open', () => resolve(ws));
        }),
    ),
  );
  const counts = sockets.map(() => 0);
  let acks = 0;
  let wake = () => {};
  sockets.forEach((ws, i) =>
    ws.on('message', (d) => {
      if (String(d) === 'ack') acks++;
      else counts[i]!++;
      wake();
    }),
  );
  const until = (cond: () => boolean) =>
    new Promise<void>((resolve) => {
      wake = () => cond() && resolve();
      wake();
    });
  try {
    return await median(3, async () => {
      counts.fill(0);
      const start = performance.now();
      for (let i = 0; i < MESSAGES; i++) {
        const before = acks;
        sockets[i % SOCKETS]!.send(`m${i}`);
        await until(() => acks > before);
      }
      await until(() => counts.every((c) => c >= MESSAGES));
      return performance.now() - start;
    });
  } finally {
    for (const ws of sockets) ws.terminate();
    await new Promise((r) => server.close(r));
  }
}

/** MESSAGES sequential puts into the local messages table. */
async function storageOnly(stack: TestStack): Promise<number> {
  return median(3, async () => {
    const start = performance.now();
    for (let i = 0; i < MESSAGES; i++) {
      await stack.docClient.send(
        new PutCommand({
          TableName: stack.dynamo.tableNames[MESSAGES_TABLE.envVar],
          Item: { roomId: 'bench', messageId: `${Date.now()}-${i}-${Math.random()}`, body: `m${i}` },
        }),
      );
    }
    return performance.now() - start;
  });
}

// One stack for both measurements: handler modules cache their clients, so one gateway per process.
const stack = await startTestStack();
const relay = await bareRelay();
const storage = await storageOnly(stack);
const chat = await chatFanOut(stack);
await stack.stop();
const perMessage = (ms: number) => (ms / MESSAGES).toFixed(2);
console.log(`fan-out: ${MESSAGES} messages to ${SOCKETS} sockets, median of 3 runs`);
console.log(`  bare ws relay      ${relay.toFixed(0)} ms  (${perMessage(relay)} ms/message)  baseline`);
console.log(`  dynalite puts only ${storage.toFixed(0)} ms  (${perMessage(storage)} ms/message)  baseline`);
console.log(`  chat stack         ${chat.toFixed(0)} ms  (${perMessage(chat)} ms/message)`);
console.log(`  ratio chat / relay   = ${(chat / relay).toFixed(1)}x`);
console.log(`  ratio chat / storage = ${(chat / storage).toFixed(1)}x`);
const total = [...requests.values()].reduce((a, b) => a + b, 0);
const detail = [...requests].sort().map(([name, n]) => `${name.replace(/Command$/, '')} ${(n / MESSAGES).toFixed(2)}`).join(', ');
console.log(`  DynamoDB requests per send (member with clientMessageId): ${(total / MESSAGES).toFixed(2)}  (${detail})`);
process.exit(0);
