/**
 * Chaos: 50 people in one room on the real local stack (dynalite + gateway + the real handlers), each
 * running the REAL client code (ChatClient + RoomFeed + the HTTP API client). 5,000 messages are sent by
 * random people while sockets are cut at random — from the server (DELETE @connections/{id}) and from the
 * client (terminate, no close handshake) — and the gateway is restarted once mid-run.
 * Asserts: nothing sent is lost (every send acked), nothing is stored twice (one row per (author,
 * clientMessageId)), and afterwards every client holds exactly the stored sequence, in messageId order.
 * Seeded (CHAOS_SEED) so a failure can be replayed; bounded by a hard time budget; prints its figures.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../../amplify/local/testing';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES_TABLE } from '../../amplify/chat/tables';
import { Pacer, seededRandom, sendOrder } from './chaos-plan';
import { chaosUser, type ChaosUser } from './chaos-user';

const USERS = 50;
const PER_USER = 100; // 5,000 messages in all
/**
 * Sends awaiting their ack at once, across all users. Measured at 6, 12, 20 and 40: the same speed (the
 * run is CPU-bound on the room fan-out, 50 @connections posts per message), so a moderate value.
 */
const SEND_CONCURRENCY = 16;
/** One random socket is cut every this many acks (alternating server side and client side). */
const KILL_EVERY_ACKS = 60;
const ROOM = 'chaos';
const SEED = Number(process.env.CHAOS_SEED ?? 20_240_601);
/**
 * Everything (sending, chaos, catch-up) must be done within this; the test timeout sits above it.
 * Measured 161 s on a quiet 2-core machine and 253 s with other test runs sharing it (load average 5):
 * 5,000 messages × 50 recipients = 250,000 @connections posts through the AWS SDK, all in this one
 * process (~0.65 ms of CPU each, end to end), so the run is bound by one core whatever the concurrency.
 */
const BUDGET_MS = 400_000;

let stack: TestStack;
let users: ChaosUser[] = [];
const random = seededRandom(SEED);

/** Waits for `check`, failing with `what` once the run's budget is spent (a bound, not an assertion). */
async function until(what: string, check: () => boolean, deadline: number): Promise<void> {
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`chaos: gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every row of the Messages table (paged: 5,000 rows exceed one 1 MB Scan page). */
async function storedMessages(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.docClient.send(
      new ScanCommand({ TableName: stack.dynamo.tableNames[MESSAGES_TABLE.envVar], ConsistentRead: true, ExclusiveStartKey: start }),
    );
    rows.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return rows.filter((row) => row.roomId === ROOM);
}

beforeAll(async () => {
  stack = await startTestStack();
  users = Array.from({ length: USERS }, (_, i) => chaosUser(stack, testUser(`User ${i}`), ROOM, seededRandom(SEED + i + 1)));
  await until('every client to open', () => users.every((u) => u.client.status === 'open'), Date.now() + 30_000);
}, 60_000);

afterAll(async () => {
  for (const u of users) u.stop();
  await stack?.stop();
}, 60_000);

describe('chaos', () => {
  it('5,000 messages, 50 clients, random socket kills and a gateway restart: none lost, none doubled, all clients complete', async () => {
    const started = Date.now();
    const deadline = started + BUDGET_MS;
    const order = sendOrder(USERS, PER_USER, random);
    const pacers = users.map(() => new Pacer());
    const failures: string[] = [];
    const kills = { server: 0, client: 0, missed: 0 };
    let acked = 0;
    let nextKill = KILL_EVERY_ACKS;
    let restart: Promise<void> | undefined;
    let restartMs = 0;
    const chaos: Promise<unknown>[] = [];

    const cut = async (serverSide: boolean) => {
      if (serverSide) {
        const ids = stack.gateway.openConnections();
        const id = ids[Math.floor(random() * ids.length)];
        if (!id) return void kills.missed++;
        // What API Gateway's DeleteConnection does; the client only sees its socket close.
        const reply = await fetch(`${stack.gateway.httpUrl}/@connections/${encodeURIComponent(id)}`, { method: 'DELETE' }).catch(() => undefined);
        if (reply?.status === 204) kills.server++;
        else kills.missed++;
      } else if (users[Math.floor(random() * USERS)]!.cutSocket()) kills.client++;
      else kills.missed++;
    };
    const onAck = () => {
      acked++;
      if (acked >= nextKill) {
        nextKill += KILL_EVERY_ACKS;
        if (!restart || restartMs) chaos.push(cut((nextKill / KILL_EVERY_ACKS) % 2 === 0));
      }
      if (!restart && acked >= order.length / 2) {
        const t = Date.now();
        restart = stack.restartGateway().then(() => void (restartMs = Date.now() - t));
      }
    };

    let next = 0;
    // The hard bound: a send that is never acked (a client bug) fails the run at the deadline instead of hanging it.
    let budgetTimer: ReturnType<typeof setTimeout> | undefined;
    const outOfTime = new Promise<never>((_, reject) => {
      budgetTimer = setTimeout(() => reject(new Error(`chaos: budget of ${BUDGET_MS} ms spent`)), BUDGET_MS);
    });
    outOfTime.catch(() => {});
    const progress = process.env.CHAOS_VERBOSE
      ? setInterval(() => {
          const open = users.filter((u) => u.client.status === 'open').length;
          const pending = users.reduce((n, u) => n + u.client.pendingSends, 0);
          console.log(`t=${Date.now() - started} acked=${acked} next=${next} open=${open} pending=${pending} kills=${JSON.stringify(kills)} restart=${restartMs}`);
        }, 5000)
      : undefined;
    const worker = async () => {
      while (next < order.length && Date.now() < deadline) {
        const i = next++;
        const who = order[i]!;
        await pacers[who]!.take();
        try {
          await Promise.race([users[who]!.send(`message ${i} from user ${who}`, `chaos-${SEED}-${i}`), outOfTime]);
          onAck();
        } catch (error) {
          failures.push(`send ${i}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: SEND_CONCURRENCY }, worker));
    await Promise.race([Promise.all([restart, ...chaos]), outOfTime]);
    clearInterval(progress);
    const sendMs = Date.now() - started;

    // Catch-up: every client back on a socket, then the same bounded gap fill a reconnect runs.
    await until('every client to reconnect', () => users.every((u) => u.client.status === 'open'), deadline);
    await Promise.race([Promise.all(users.map((u) => u.feed.sync().then(() => u.feed.idle()))), outOfTime]);
    clearTimeout(budgetTimer);

    const stored = await storedMessages();
    const storedIds = stored.map((row) => String(row.messageId)).sort();
    const byKey = new Map<string, number>();
    for (const row of stored) byKey.set(`${row.authorId}#${row.clientMessageId}`, (byKey.get(`${row.authorId}#${row.clientMessageId}`) ?? 0) + 1);
    const duplicates = [...byKey.values()].filter((n) => n > 1).length;
    const storedById = new Map(stored.map((row) => [String(row.messageId), row]));
    const ackMismatches = users.flatMap((u) =>
      [...u.acked].filter(([cmid, m]) => storedById.get(m.messageId)?.clientMessageId !== cmid || storedById.get(m.messageId)?.authorId !== u.user.sub),
    );
    const complete = users.map((u) => u.feed.log.list().map((m) => m.messageId));
    const completeCount = complete.filter((ids) => ids.length === storedIds.length && ids.every((id, k) => id === storedIds[k])).length;

    const sum = (pick: (u: ChaosUser) => number) => users.reduce((total, u) => total + pick(u), 0);
    const report = {
      seed: SEED,
      sent: sum((u) => u.sent.length),
      acked: sum((u) => u.acked.size),
      failures: failures.length,
      stored: stored.length,
      duplicates,
      transmissions: sum((u) => u.client.stats.transmissions),
      resends: sum((u) => u.client.stats.resends),
      rateLimited: sum((u) => u.client.stats.rateLimited),
      ackTimeouts: sum((u) => u.client.stats.ackTimeouts),
      kills: kills.server + kills.client,
      killsServerSide: kills.server,
      killsClientSide: kills.client,
      killsMissed: kills.missed,
      gatewayRestarts: 1,
      restartMs,
      reconnects: sum((u) => u.client.stats.reconnects),
      drops: sum((u) => u.client.stats.drops),
      duplicateFramesDropped: sum((u) => u.client.stats.duplicates),
      gapFills: sum((u) => u.feed.stats.fills),
      gapPages: sum((u) => u.feed.stats.pages),
      gapIncomplete: sum((u) => u.feed.stats.incomplete),
      heldFromLive: sum((u) => u.feed.stats.live),
      heldFromHistory: sum((u) => u.feed.stats.fromHistory),
      maxDeliveryLagMs: Math.max(...users.map((u) => u.lag.maxMs)),
      clientsComplete: `${completeCount}/${USERS}`,
      fewestHeld: Math.min(...complete.map((ids) => ids.length)),
      sendPhaseMs: sendMs,
      wallMs: Date.now() - started,
    };
    console.log(`chaos report ${JSON.stringify(report, null, 2)}`);

    expect(failures).toEqual([]);
    expect(report.sent).toBe(USERS * PER_USER);
    expect(report.acked).toBe(USERS * PER_USER);
    expect(duplicates).toBe(0);
    expect(stored).toHaveLength(USERS * PER_USER);
    expect(ackMismatches).toEqual([]);
    expect(report.kills).toBeGreaterThan(0);
    expect(completeCount).toBe(USERS);
  });
});
