/**
 * Chaos: 50 people spread over 10 rooms (each in 2–5 of them) on the real local stack (dynalite + gateway + the
 * real handlers), each running the REAL tab state (ChatSession: one socket for all their rooms, a RoomFeed per room,
 * the sidebar's unread counts). 5,000 messages (some mentioning a room member) are sent by random people to random
 * rooms of theirs while sockets are cut at random — from the server (DELETE @connections/{id}) and from the client
 * (terminate, no close handshake) — read positions move at random (as another tab would), and the gateway is
 * restarted once mid-run.
 * Asserts: nothing sent is lost (every send acked), nothing is stored twice (one row per (author,
 * clientMessageId)), every message is in the room it was sent to, afterwards every client holds exactly each of its
 * rooms' stored sequence in messageId order, and every client's unread and mention counts converge to the true
 * counts (others' messages after the stored read position, capped at "99+"), as does the server's "my rooms".
 * Seeded (CHAOS_SEED) so a failure can be replayed; bounded by a hard time budget; prints its figures.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack, type TestUser } from '../../amplify/local/testing';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBERSHIPS_TABLE, MESSAGES_TABLE } from '../../amplify/chat/tables';
import { db } from '../../amplify/chat/db';
import { LIMITS, Paths, mentionToken, type MyRoom } from '../../lib/protocol';
import { Pacer, seededRandom, sendOrder } from './chaos-plan';
import { chaosUser, type ChaosUser } from './chaos-user';

const USERS = 50;
/** 5,000 messages in all (CHAOS_PER_USER overrides it for a quick replay; the suite runs the full size). */
const PER_USER = Number(process.env.CHAOS_PER_USER ?? 100);
const ROOMS = Array.from({ length: 10 }, (_, i) => `chaos-${i}`);
/** Each person is in this many rooms (inclusive range). */
const ROOMS_PER_USER = { min: 2, max: 5 };
/** Sends awaiting their ack at once, across all users. */
const SEND_CONCURRENCY = 16;
/** One random socket is cut every this many acks (alternating server side and client side). */
const KILL_EVERY_ACKS = 60;
/** One random person marks one random room of theirs read every this many acks... */
const READ_EVERY_ACKS = 100;
/** ...and at this share of the run everyone reads every room once, so most final counts are exact (below "99+"). */
const READ_SWEEP_AT = 0.95;
/** Share of messages that mention another member of the room. */
const MENTION_SHARE = 0.1;
const SEED = Number(process.env.CHAOS_SEED ?? 20_240_601);
/**
 * Everything (sending, chaos, catch-up, convergence) must be done within this; the test timeout sits above it.
 * One room of 50 took 161 s on a quiet 2-core machine (250,000 @connections posts); rooms of ~17 members send
 * about a third of the posts but each send also checks membership, so the run stays CPU-bound on one core. In
 * `npm test` it runs beside e2e at a lower priority (scripts/run-tests.ts): 296–454 s there; once 692 s on a busy
 * host (when it started at once, beside everything), so 600 s failed the suite without anything being wrong. A
 * bound, not a timing.
 */
const BUDGET_MS = 900_000;
/** Unread counts must match the truth within this once everyone is caught up (a sidebar reload is debounced). */
const CONVERGE_MS = 20_000;

let stack: TestStack;
let users: ChaosUser[] = [];
/** DynamoDB requests of the handlers (they run in this process, on this client) during the run, by command. */
const requests = new Map<string, number>();
let counting = false;
db().middlewareStack.add(
  (next, context) => async (args) => {
    if (counting) requests.set(String(context.commandName).replace(/Command$/, ''), (requests.get(String(context.commandName).replace(/Command$/, '')) ?? 0) + 1);
    return next(args);
  },
  { step: 'initialize', name: 'chaosRequestCounter' },
);
const random = seededRandom(SEED);

/** Waits for `check`, failing with `what` once the run's budget is spent (a bound, not an assertion). */
async function until(what: string, check: () => boolean | Promise<boolean>, deadline: number): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`chaos: gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every row of a table (paged: 5,000 rows exceed one 1 MB Scan page). */
async function scanAll(envVar: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.docClient.send(new ScanCommand({ TableName: stack.dynamo.tableNames[envVar], ConsistentRead: true, ExclusiveStartKey: start }));
    rows.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return rows;
}

/** 2–5 distinct rooms per person; person k < 10 creates (and so is in) room k. */
function assignRooms(): string[][] {
  return Array.from({ length: USERS }, (_, i) => {
    const count = ROOMS_PER_USER.min + Math.floor(random() * (ROOMS_PER_USER.max - ROOMS_PER_USER.min + 1));
    const mine = new Set(i < ROOMS.length ? [ROOMS[i]!] : []);
    while (mine.size < count) mine.add(ROOMS[Math.floor(random() * ROOMS.length)]!);
    return [...mine].sort();
  });
}

beforeAll(async () => {
  stack = await startTestStack();
  const people: TestUser[] = Array.from({ length: USERS }, (_, i) => testUser(`User ${i}`));
  const assignment = assignRooms();
  for (const [k, roomId] of ROOMS.entries()) await stack.publicRoom(people[k]!, roomId);
  for (const [i, rooms] of assignment.entries()) {
    for (const roomId of rooms) {
      if (roomId === ROOMS[i]) continue;
      const reply = await stack.as(people[i]!, Paths.membership(roomId), { method: 'PUT' });
      if (reply.status !== 200) throw new Error(`join ${roomId}: ${reply.status}`);
    }
  }
  users = people.map((person, i) => chaosUser(stack, person, assignment[i]!, seededRandom(SEED + i + 1)));
  await until(
    'every client to open and subscribe to all its rooms',
    () => users.every((u) => u.session.client.status === 'open' && u.session.list.loaded && u.rooms.every((r) => u.session.client.subscriptions.includes(r))),
    Date.now() + 100_000,
  );
}, 150_000);

afterAll(async () => {
  for (const u of users) u.stop();
  await stack?.stop();
}, 60_000);

/** Unread and mention counts as the server defines them: others' messages after the read position, capped. */
function trueCounts(messages: Record<string, unknown>[], memberships: Record<string, unknown>[]): Map<string, { unread: number; mentions: number }> {
  const cap = LIMITS.unreadCountCap + 1;
  const counts = new Map<string, { unread: number; mentions: number }>();
  for (const m of memberships) {
    const lastRead = (m.lastReadMessageId as string | undefined) ?? '';
    const after = messages.filter((x) => x.roomId === m.roomId && x.authorId !== m.userId && String(x.messageId) > lastRead);
    // Mentions are exact however many messages are unread (the mention index, docs/rooms.md), capped like unread.
    const mentioned = after.filter((x) => ((x.mentions as string[] | undefined) ?? []).includes(String(m.userId)));
    counts.set(`${m.userId} ${m.roomId}`, { unread: Math.min(after.length, cap), mentions: Math.min(mentioned.length, cap) });
  }
  return counts;
}

describe('chaos', () => {
  it('5,000 messages, 50 clients in 10 rooms, random socket kills, read positions and a gateway restart: none lost, none doubled, all clients complete, unread counts converge', async () => {
    const started = Date.now();
    counting = true;
    const deadline = started + BUDGET_MS;
    const order = sendOrder(USERS, PER_USER, random);
    const pacers = users.map(() => new Pacer());
    const membersOf = new Map(ROOMS.map((r) => [r, users.filter((u) => u.rooms.includes(r))]));
    const plan = order.map((who, i) => {
      const u = users[who]!;
      const roomId = u.rooms[Math.floor(random() * u.rooms.length)]!;
      const others = membersOf.get(roomId)!.filter((m) => m !== u);
      const mention = random() < MENTION_SHARE && others.length ? ` ${mentionToken(others[Math.floor(random() * others.length)]!.user.sub)}` : '';
      return { who, roomId, body: `message ${i} from user ${who}${mention}`, clientMessageId: `chaos-${SEED}-${i}` };
    });
    const failures: string[] = [];
    const kills = { server: 0, client: 0, missed: 0 };
    let reads = 0;
    let swept = false;
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
      if (acked % READ_EVERY_ACKS === 0) {
        const u = users[Math.floor(random() * USERS)]!;
        if (u.markRead(u.rooms[Math.floor(random() * u.rooms.length)]!)) reads++;
      }
      if (!swept && acked >= order.length * READ_SWEEP_AT) {
        swept = true;
        for (const u of users) for (const r of u.rooms) if (u.markRead(r)) reads++;
      }
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
          const open = users.filter((u) => u.session.client.status === 'open').length;
          const pending = users.reduce((n, u) => n + u.session.client.pendingSends, 0);
          console.log(`t=${Date.now() - started} acked=${acked} next=${next} open=${open} pending=${pending} kills=${JSON.stringify(kills)} restart=${restartMs}`);
        }, 5000)
      : undefined;
    const worker = async () => {
      while (next < plan.length && Date.now() < deadline) {
        const i = next++;
        const { who, roomId, body, clientMessageId } = plan[i]!;
        await pacers[who]!.take();
        try {
          await Promise.race([users[who]!.send(roomId, body, clientMessageId), outOfTime]);
          onAck();
        } catch (error) {
          failures.push(`send ${i}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: SEND_CONCURRENCY }, worker));
    await Promise.race([Promise.all([restart, ...chaos]), outOfTime]);
    clearInterval(progress);
    counting = false;
    const sendMs = Date.now() - started;

    // Catch-up: every client back on a socket, then the same bounded gap fill a reconnect runs, for every room.
    await until('every client to reconnect', () => users.every((u) => u.session.client.status === 'open'), deadline);
    await Promise.race([Promise.all(users.flatMap((u) => u.rooms.map((r) => u.feed(r).sync().then(() => u.feed(r).idle())))), outOfTime]);
    const catchUpMs = Date.now() - started - sendMs;

    const stored = (await scanAll(MESSAGES_TABLE.envVar)).filter((row) => ROOMS.includes(String(row.roomId)));
    const byKey = new Map<string, number>();
    for (const row of stored) byKey.set(`${row.authorId}#${row.clientMessageId}`, (byKey.get(`${row.authorId}#${row.clientMessageId}`) ?? 0) + 1);
    const duplicates = [...byKey.values()].filter((n) => n > 1).length;
    const storedById = new Map(stored.map((row) => [String(row.messageId), row]));
    const planById = new Map(plan.map((p) => [p.clientMessageId, p]));
    const ackMismatches = users.flatMap((u) =>
      [...u.acked].filter(([cmid, m]) => {
        const row = storedById.get(m.messageId);
        return row?.clientMessageId !== cmid || row?.authorId !== u.user.sub || row?.roomId !== planById.get(cmid)?.roomId;
      }),
    );
    const storedIn = new Map(ROOMS.map((r) => [r, stored.filter((row) => row.roomId === r).map((row) => String(row.messageId)).sort()]));
    const incomplete = users.flatMap((u) =>
      u.rooms.flatMap((r) => {
        const held = u.feed(r).log.list().map((m) => m.messageId);
        const want = storedIn.get(r)!;
        return held.length === want.length && held.every((id, k) => id === want[k]) ? [] : [`${u.user.preferred_username} in ${r}: holds ${held.length} of ${want.length}`];
      }),
    );

    // Unread convergence: the tab's counts (live frames + reloads) and the server's "my rooms" against the truth.
    const truth = trueCounts(stored, (await scanAll(MEMBERSHIPS_TABLE.envVar)).filter((m) => ROOMS.includes(String(m.roomId))));
    const clientMismatches = () =>
      users.flatMap((u) =>
        u.rooms.flatMap((r) => {
          const want = truth.get(`${u.user.sub} ${r}`);
          const entry = u.session.list.get(r);
          const got = entry && { unread: entry.unread, mentions: entry.mentions };
          return JSON.stringify(got) === JSON.stringify(want) ? [] : [`${u.user.preferred_username} in ${r}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`];
        }),
      );
    const convergeStart = Date.now();
    await until('unread counts to converge', () => clientMismatches().length === 0, Math.min(deadline, convergeStart + CONVERGE_MS)).catch(() => undefined);
    const convergeMs = Date.now() - convergeStart;
    clearTimeout(budgetTimer);
    const serverMismatches: string[] = [];
    for (const u of users) {
      const { rooms } = (await stack.as(u.user, Paths.myRooms)).json as { rooms: MyRoom[] };
      for (const entry of rooms) {
        const want = truth.get(`${u.user.sub} ${entry.room.roomId}`);
        if (want?.unread !== entry.unread || want.mentions !== entry.mentions) serverMismatches.push(`${u.user.preferred_username} in ${entry.room.roomId}`);
      }
      if (rooms.length !== u.rooms.length) serverMismatches.push(`${u.user.preferred_username}: ${rooms.length} rooms`);
    }

    const sum = (pick: (u: ChaosUser) => number) => users.reduce((total, u) => total + pick(u), 0);
    const feeds = users.flatMap((u) => u.rooms.map((r) => u.feed(r)));
    const counts = [...truth.values()];
    const report = {
      seed: SEED,
      rooms: ROOMS.length,
      membersPerRoom: ROOMS.map((r) => membersOf.get(r)!.length),
      sent: sum((u) => u.sent.length),
      acked: sum((u) => u.acked.size),
      failures: failures.length,
      stored: stored.length,
      storedPerRoom: ROOMS.map((r) => storedIn.get(r)!.length),
      duplicates,
      mentions: stored.filter((row) => (row.mentions as unknown[] | undefined)?.length).length,
      readPositionsMoved: reads,
      transmissions: sum((u) => u.session.client.stats.transmissions),
      resends: sum((u) => u.session.client.stats.resends),
      rateLimited: sum((u) => u.session.client.stats.rateLimited),
      ackTimeouts: sum((u) => u.session.client.stats.ackTimeouts),
      kills: kills.server + kills.client,
      killsServerSide: kills.server,
      killsClientSide: kills.client,
      killsMissed: kills.missed,
      gatewayRestarts: 1,
      restartMs,
      reconnects: sum((u) => u.session.client.stats.reconnects),
      drops: sum((u) => u.session.client.stats.drops),
      duplicateFramesDropped: sum((u) => u.session.client.stats.duplicates),
      gapFills: feeds.reduce((n, f) => n + f.stats.fills, 0),
      gapPages: feeds.reduce((n, f) => n + f.stats.pages, 0),
      gapIncomplete: feeds.reduce((n, f) => n + f.stats.incomplete, 0),
      maxDeliveryLagMs: Math.max(...users.map((u) => u.lag.maxMs)),
      roomFeedsComplete: `${feeds.length - incomplete.length}/${feeds.length}`,
      unreadTruth: { exact: counts.filter((c) => c.unread <= LIMITS.unreadCountCap).length, capped: counts.filter((c) => c.unread > LIMITS.unreadCountCap).length, withMentions: counts.filter((c) => c.mentions > 0).length },
      clientCountMismatches: clientMismatches().length,
      serverCountMismatches: serverMismatches.length,
      convergeMs,
      dynamoRequestsPerMessage: Object.fromEntries([...requests].sort().map(([k, n]) => [k, Number((n / plan.length).toFixed(2))])),
      sendPhaseMs: sendMs,
      catchUpMs,
      wallMs: Date.now() - started,
    };
    console.log(`chaos report ${JSON.stringify(report, null, 2)}`);
    if (incomplete.length || clientMismatches().length) console.log(`chaos details ${JSON.stringify({ incomplete: incomplete.slice(0, 10), counts: clientMismatches().slice(0, 10) }, null, 2)}`);

    expect(failures).toEqual([]);
    expect(report.sent).toBe(USERS * PER_USER);
    expect(report.acked).toBe(USERS * PER_USER);
    expect(duplicates).toBe(0);
    expect(stored).toHaveLength(USERS * PER_USER);
    expect(ackMismatches).toEqual([]);
    expect(report.kills).toBeGreaterThan(0);
    expect(incomplete).toEqual([]);
    expect(serverMismatches).toEqual([]);
    expect(clientMismatches().slice(0, 10)).toEqual([]);
    // The counts under test are not all trivially "99+" or zero.
    expect(report.unreadTruth.exact).toBeGreaterThan(counts.length / 4);
    expect(report.unreadTruth.withMentions).toBeGreaterThan(0);
  });
});
