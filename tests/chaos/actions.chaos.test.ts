/**
 * Chaos for message actions: 12 people in one room on the real local stack, each running the REAL client code
 * (ChatClient + RoomFeed with the changes feed + the HTTP API client). They send, edit, delete and react at random,
 * concurrently, while sockets are cut from both sides and the gateway restarts once mid-run.
 * Asserts: every action gets an answer (success, or a typed refusal the model allows: MESSAGE_DELETED after a delete
 * raced it), and afterwards EVERY client holds exactly the table's final state of every message (body, edited,
 * deleted, reactions, rev) — whatever was missed live came through the changes feed. Seeded (CHAOS_SEED).
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack, type TestUser } from '../../amplify/local/testing';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromItem, type MessageItem } from '../../amplify/chat/message-items';
import { MESSAGES_TABLE } from '../../amplify/chat/tables';
import { ChatError } from '../../lib/chat-error';
import { ChatClient } from '../../lib/chat-client';
import { RoomFeed } from '../../lib/chat/room-feed';
import { ErrorCode, Paths, type ChatMessage } from '../../lib/protocol';
import { seededRandom } from './chaos-plan';
import { tabParts } from './chaos-user';

const USERS = 12;
const FIRST_MESSAGES = 3; // per person, before the actions start
const ACTIONS = 320;
const CONCURRENCY = 8;
const KILL_EVERY = 40;
const ROOM = 'chaos-actions';
const EMOJI = ['👍', '🎉', '❤️', '😂', '👀'];
const SEED = Number(process.env.CHAOS_SEED ?? 20_261_202);
/** Everything must be done within this (a bound, not a timed assertion); the test timeout sits above it. */
const BUDGET_MS = 240_000;

interface Person {
  readonly user: TestUser;
  readonly client: ChatClient;
  readonly feed: RoomFeed;
  cut(): boolean;
  stop(): void;
}

let stack: TestStack;
let people: Person[] = [];
const random = seededRandom(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** One person running the real browser code in Node (`ws` as the WebSocket, a jose-signed ID token). */
function person(user: TestUser, seed: number): Person {
  const { api, TrackedWebSocket, cutNewest } = tabParts(stack, user);
  const client = new ChatClient({
    webSocketUrl: stack.gateway.webSocketUrl,
    WebSocket: TrackedWebSocket,
    fetchTicket: async () => (await api.createTicket()).ticket,
    random: seededRandom(seed),
    backoff: { initialMs: 200, maxMs: 3_000 },
  });
  const feed = new RoomFeed(client, ROOM, (options) => api.getMessages(ROOM, options), {}, (options) => api.getChanges(ROOM, options));
  feed.start();
  client.subscribe([ROOM]);
  client.connect();
  return {
    user,
    client,
    feed,
    cut: cutNewest,
    stop() {
      feed.stop();
      client.close();
    },
  };
}

async function until(what: string, check: () => boolean, deadline: number): Promise<void> {
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`chaos: gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The room's rows as clients must see them. */
async function storedMessages(): Promise<ChatMessage[]> {
  const { Items = [] } = await stack.docClient.send(new ScanCommand({ TableName: stack.dynamo.tableNames[MESSAGES_TABLE.envVar], ConsistentRead: true }));
  return Items.filter((row) => row.roomId === ROOM)
    .map((row) => fromItem(row as MessageItem))
    .sort((a, b) => (a.messageId < b.messageId ? -1 : 1));
}

/** What must agree between a client and the table. */
const shape = (m: ChatMessage) => ({ id: m.messageId, body: m.body, edited: m.editedAt ?? null, deleted: m.deletedAt ?? null, reactions: m.reactions ?? [], rev: m.rev ?? 0 });

beforeAll(async () => {
  stack = await startTestStack();
  const users = Array.from({ length: USERS }, (_, i) => testUser(`Actor ${i}`));
  await stack.publicRoom(users[0]!, ROOM);
  for (const u of users.slice(1)) await stack.as(u, Paths.membership(ROOM), { method: 'PUT' });
  people = users.map((u, i) => person(u, SEED + i + 1));
  await until('every client to open', () => people.every((p) => p.client.status === 'open'), Date.now() + 30_000);
}, 60_000);

afterAll(async () => {
  for (const p of people) p.stop();
  await stack?.stop();
}, 60_000);

describe('chaos with message actions', () => {
  it('random edits, deletes and reactions under socket kills and a gateway restart: every client ends with the table state', async () => {
    const started = Date.now();
    const deadline = started + BUDGET_MS;
    const own = new Map<string, string[]>(people.map((p) => [p.user.sub, []]));
    const all: string[] = [];
    for (const p of people) {
      for (let i = 0; i < FIRST_MESSAGES; i++) {
        const m = await p.client.send(ROOM, `first ${i} from ${p.user.preferred_username}`);
        own.get(p.user.sub)!.push(m.messageId);
        all.push(m.messageId);
      }
    }
    const counts = { edit: 0, delete: 0, react: 0, send: 0, refusedDeleted: 0, killsClient: 0, killsServer: 0 };
    const failures: string[] = [];
    let next = 0;
    let restart: Promise<void> | undefined;

    const act = async (n: number) => {
      const p = pick(people);
      const roll = random();
      const mine = own.get(p.user.sub)!;
      try {
        if (roll < 0.5) {
          counts.react++;
          await p.client.react(ROOM, pick(all), pick(EMOJI), random() < 0.65 ? 'set' : 'unset');
        } else if (roll < 0.8 && mine.length) {
          counts.edit++;
          await p.client.edit(ROOM, pick(mine), `edit ${n} by ${p.user.preferred_username}`);
        } else if (roll < 0.84 && mine.length) {
          counts.delete++;
          await p.client.delete(ROOM, pick(mine));
        } else {
          counts.send++;
          const m = await p.client.send(ROOM, `later ${n}`);
          mine.push(m.messageId);
          all.push(m.messageId);
        }
      } catch (error) {
        // The one refusal a random plan runs into legitimately: acting on a message deleted meanwhile.
        if (error instanceof ChatError && error.code === ErrorCode.MessageDeleted) counts.refusedDeleted++;
        else failures.push(`${n}: ${(error as Error).name} ${(error as ChatError).code ?? ''} ${(error as Error).message}`);
      }
    };

    const worker = async () => {
      while (next < ACTIONS && Date.now() < deadline) {
        const n = next++;
        if (n > 0 && n % KILL_EVERY === 0) {
          const victim = pick(people);
          if ((n / KILL_EVERY) % 2) counts.killsClient += victim.cut() ? 1 : 0;
          else {
            // Server side: what API Gateway's DeleteConnection does.
            const rows = await stack.scan('CONNECTIONS_TABLE');
            const row = rows.find((r) => r.userId === victim.user.sub);
            if (row) {
              await fetch(`${stack.gateway.httpUrl}/@connections/${encodeURIComponent(String(row.connectionId))}`, { method: 'DELETE' }).catch(() => undefined);
              counts.killsServer++;
            }
          }
        }
        if (n === Math.floor(ACTIONS / 2)) restart = stack.restartGateway();
        await act(n);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await restart;
    const actionsMs = Date.now() - started;

    // Settle: everyone back online, then every feed reads back (history + changes feed) once more.
    await until('every client to reopen', () => people.every((p) => p.client.status === 'open'), deadline);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await Promise.all(people.map((p) => p.feed.sync()));
    await Promise.all(people.map((p) => p.feed.idle()));

    const stored = await storedMessages();
    const truth = stored.map(shape);
    const mismatched = people.filter((p) => JSON.stringify([...p.feed.log.list()].map(shape)) !== JSON.stringify(truth));
    const report = {
      seed: SEED,
      actions: next,
      ...counts,
      messages: stored.length,
      deleted: stored.filter((m) => m.deletedAt).length,
      edited: stored.filter((m) => m.editedAt && !m.deletedAt).length,
      reactions: stored.reduce((n, m) => n + (m.reactions ?? []).reduce((k, r) => k + r.userIds.length, 0), 0),
      liveChanges: people.reduce((n, p) => n + p.feed.stats.liveChanges, 0),
      fetchedChanges: people.reduce((n, p) => n + p.feed.stats.fetchedChanges, 0),
      reconnects: people.reduce((n, p) => n + p.client.stats.reconnects, 0),
      clientsMatchingTable: `${USERS - mismatched.length}/${USERS}`,
      actionsMs,
      wallMs: Date.now() - started,
    };
    console.log(`actions chaos report ${JSON.stringify(report, null, 2)}`);

    expect(failures).toEqual([]);
    expect(next).toBe(ACTIONS);
    expect(counts.killsClient + counts.killsServer).toBeGreaterThan(0);
    expect(report.edited + report.deleted).toBeGreaterThan(0);
    expect(report.reactions).toBeGreaterThan(0);
    for (const p of people) expect([...p.feed.log.list()].map(shape)).toEqual(truth);
  }, 300_000);
});
