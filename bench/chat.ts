/**
 * The chat stack under the bench: real users with real tickets and sockets on the local gateway (the same
 * handler modules as Lambda), rooms of several sizes sharing one socket per user (one socket carries all of a
 * user's rooms, as in the product), and the presence measurements (posts and bytes per join, reconnect storm).
 */
import { testUser, type TestStack, type TestUser } from '../amplify/local/testing';
import { BenchSocket, inBatches, join, openBenchSocket } from './client';
import { diff, per, type Counts, type RequestCounter } from './counters';
import { measureFanOut, type FanOutResult } from './fanout-run';

/** Members per room who send (the per-user rate limit is part of the product; rotating senders stays under it). */
const SENDERS = 4;
/** Sockets reconnecting at once in the storm. */
const STORM_PARALLEL = 100;
/** Sockets opened at once while setting up. */
const SETUP_PARALLEL = 32;

/** Everyone the bench connected. */
export interface ChatWorld {
  readonly users: TestUser[];
  readonly sockets: BenchSocket[];
  /** Room id per size; the first `size` sockets are subscribed to it, the first SENDERS are members. */
  readonly rooms: Map<number, string>;
}

/** Creates rooms of `sizes` and `max(sizes)` users whose sockets subscribe to every room their index fits in. */
export async function setupWorld(stack: TestStack, sizes: readonly number[], log: (line: string) => void): Promise<ChatWorld> {
  const max = Math.max(...sizes);
  const users = Array.from({ length: max }, (_, i) => testUser(`bench${i}`));
  const rooms = new Map<number, string>();
  const tag = Date.now().toString(36);
  for (const size of sizes) rooms.set(size, await stack.publicRoom(users[0]!, `bench-${size}-${tag}`));
  // Senders become members while their rooms are still empty (their presence fan-out is then nearly free).
  for (const size of sizes) for (let i = 1; i < Math.min(SENDERS, size); i++) await join(stack, users[i]!, rooms.get(size)!);
  const started = performance.now();
  const sockets = await inBatches(users, SETUP_PARALLEL, async (user, i) => {
    const socket = await openBenchSocket(stack, user);
    // Everyone else previews (a public room may be watched without joining): no presence fan-out per socket.
    await socket.subscribe(sizes.filter((s) => i < s).map((s) => rooms.get(s)!));
    return socket;
  });
  log(`  set up ${max} users/sockets in ${sizes.length} rooms in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { users, sockets, rooms };
}

/** One room size through the chat stack. */
export interface ChatRoomResult extends FanOutResult {
  readonly roomSize: number;
  /** Requests per message, counted at the wire. */
  readonly perMessage: Counts;
}

/** Sends `messages` messages into the room of `size`, rotating senders; each must reach all `size` sockets. */
export async function chatRoom(world: ChatWorld, size: number, messages: number, counter: RequestCounter): Promise<ChatRoomResult> {
  const roomId = world.rooms.get(size)!;
  const receivers = world.sockets.slice(0, size);
  const senders = receivers.slice(0, Math.min(SENDERS, size));
  await heartbeat(world.sockets);
  await quiet(counter);
  const before = counter.snapshot();
  const result = await measureFanOut(receivers, messages, (body, i) => {
    senders[i % senders.length]!.send({ action: 'sendMessage', roomId, body, clientMessageId: `${body}-${Date.now()}` });
  }, `room${size}`);
  // Late activity stamps and the like land after the last delivery: let them finish before counting.
  await quiet(counter);
  return { roomSize: size, ...result, perMessage: per(diff(counter.snapshot(), before), messages) };
}

/** Every socket pings once (what clients do each minute), so no row goes stale during a long run. */
export async function heartbeat(sockets: readonly BenchSocket[]): Promise<void> {
  await inBatches(sockets, SETUP_PARALLEL, (s) => s.ping());
}

/** Waits until no request has been counted for 100 ms. */
export async function quiet(counter: RequestCounter): Promise<void> {
  let last = JSON.stringify(counter.snapshot());
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    const now = JSON.stringify(counter.snapshot());
    if (now === last) return;
    last = now;
  }
}

/** Cost of one member joining (first socket subscribes) and leaving (last socket closes) a room. */
export interface PresenceCost {
  readonly roomSize: number;
  readonly join: { posts: number; bytes: number; dynamo: number; subscribeMs: number };
  readonly leave: { posts: number; bytes: number; dynamo: number };
}

/** Presence per join/leave in the room of `size` (a fresh member; the room's sockets are its audience). */
export async function presenceCost(stack: TestStack, world: ChatWorld, size: number, counter: RequestCounter): Promise<PresenceCost> {
  const user = testUser(`joiner${size}`);
  const roomId = world.rooms.get(size)!;
  await join(stack, user, roomId);
  const socket = await openBenchSocket(stack, user);
  await heartbeat(world.sockets);
  await quiet(counter);
  const before = counter.snapshot();
  const t0 = performance.now();
  await socket.subscribe([roomId]);
  const subscribeMs = Math.round((performance.now() - t0) * 10) / 10;
  await quiet(counter);
  const joined = diff(counter.snapshot(), before);
  const mid = counter.snapshot();
  // $disconnect runs after the close: wait until the room's last socket has seen the `left` delta, then for quiet.
  const audience = world.sockets[size - 1]!;
  const seenLeft = audience.next((f) => f.type === 'presenceDelta' && Array.isArray(f.left) && f.left.length > 0, 300_000);
  await socket.close();
  await seenLeft;
  await quiet(counter);
  const left = diff(counter.snapshot(), mid);
  return {
    roomSize: size,
    join: { posts: joined.posts, bytes: joined.postBytes, dynamo: joined.dynamoTotal, subscribeMs },
    leave: { posts: left.posts, bytes: left.postBytes, dynamo: left.dynamoTotal },
  };
}

/** A reconnect storm: `count` members of the room of `size` drop and reconnect at once. */
export interface StormResult {
  readonly roomSize: number;
  readonly reconnects: number;
  readonly changes: number;
  readonly posts: number;
  readonly postsPerChange: number;
  readonly bytesPerPost: number;
  /** Bytes posted per change (all frames of the storm ÷ changes). */
  readonly bytesPerChange: number;
  /** presenceDelta frames received by all sockets, and the users they named on average (coalescing: > 1). */
  readonly deltaFrames: number;
  readonly usersPerFrame: number;
  /** User changes delivered (joined + left entries received): without coalescing, each would have been its own frame. */
  readonly usersDelivered: number;
  readonly seconds: number;
}

/** The first `count` sockets of the room become members, then all drop at once and reconnect at once. */
export async function reconnectStorm(stack: TestStack, world: ChatWorld, size: number, count: number, counter: RequestCounter, log: (line: string) => void = () => {}): Promise<StormResult> {
  const roomId = world.rooms.get(size)!;
  const idx = Array.from({ length: count }, (_, i) => i);
  await inBatches(idx.slice(SENDERS), SETUP_PARALLEL, (i) => join(stack, world.users[i]!, roomId));
  // Joining 1,000 people takes longer than a connection row lives without a ping.
  await heartbeat(world.sockets);
  log('  storm: members joined; their sockets re-subscribe...');
  // Member sockets re-subscribe so their presence counts (each announces itself once, before the storm).
  await inBatches(idx.slice(SENDERS), SETUP_PARALLEL, (i) => world.sockets[i]!.subscribe([roomId]));
  await heartbeat(world.sockets);
  await quiet(counter);
  const before = counter.snapshot();
  const deltaCount = () => world.sockets.reduce((n, s) => n + (s.seen.get('presenceDelta') ?? 0), 0);
  const entryCount = () => world.sockets.reduce((n, s) => n + s.presenceEntries, 0);
  const [framesBefore, entriesBefore] = [deltaCount(), entryCount()];
  const t0 = performance.now();
  log('  storm: all drop...');
  await Promise.all(idx.map((i) => world.sockets[i]!.close()));
  log('  storm: all reconnect...');
  // The sockets that drop take their counts with them: keep what they had seen.
  const dropped = { frames: idx.reduce((n, i) => n + (world.sockets[i]!.seen.get('presenceDelta') ?? 0), 0), entries: idx.reduce((n, i) => n + world.sockets[i]!.presenceEntries, 0) };
  const rooms = [...world.rooms.entries()].filter(([s]) => s > 0).map(([, id]) => id);
  // At most STORM_PARALLEL at once: 1,000 simultaneous ticket fetches overrun the local HTTP server (in AWS, 500 new
  // connections/s per account is the bound anyway).
  await inBatches(idx, Math.min(count, STORM_PARALLEL), async (i) => {
    const socket = await openBenchSocket(stack, world.users[i]!);
    // Each answer waits for its presence fan-out, which a storm makes slow on a shared 2-core machine.
    await socket.subscribe(rooms.filter((_, k) => i < [...world.rooms.keys()][k]!), 300_000);
    world.sockets[i] = socket;
  });
  await quiet(counter);
  const seconds = (performance.now() - t0) / 1000;
  const d = diff(counter.snapshot(), before);
  const changes = 2 * count;
  const frames = deltaCount() + dropped.frames - framesBefore;
  const entries = entryCount() + dropped.entries - entriesBefore;
  return {
    roomSize: size,
    reconnects: count,
    changes,
    posts: d.posts,
    postsPerChange: Math.round((d.posts / changes) * 10) / 10,
    bytesPerPost: Math.round(d.postBytes / Math.max(1, d.posts)),
    bytesPerChange: Math.round(d.postBytes / changes),
    deltaFrames: frames,
    usersPerFrame: Math.round((entries / Math.max(1, frames)) * 10) / 10,
    usersDelivered: entries,
    seconds: Math.round(seconds * 10) / 10,
  };
}
