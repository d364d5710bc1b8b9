/**
 * The Connector's socket life against a real `ws` server on 127.0.0.1:0 (lib/chat/test-server.ts), in virtual time:
 * first connect and its statuses, backoff that resets only after a socket stayed up, retryNow, stop() racing a
 * ticket fetch, ticket failures in words or not, drop(), and the rollover before the 2-hour cap (its timing, its
 * drain, a refused rollover, a drop during one).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatError } from '../chat-error';
import { ErrorCode, LIMITS } from '../protocol';
import type { ChatClientOptions, ConnectionStatus } from './client-types';
import { Connector } from './connector';
import type { SocketLink } from './socket-link';
import { closeOf, lossyNetwork, startTestServer, until, virtualClock, type TestServer } from './test-server';

let server: TestServer;
const connectors: Connector[] = [];
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  for (const connector of connectors.splice(0)) connector.stop();
  await server.stop();
});

/** A deferred value: a ticket request the test answers when it wants. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A connector in virtual time with numbered tickets (random 0.5: backoff delays are half their ceiling). */
function makeConnector(overrides: Partial<ChatClientOptions> = {}) {
  const clock = virtualClock();
  const { net, Socket } = lossyNetwork();
  let tickets = 0;
  const seen = {
    statuses: [] as ConnectionStatus[],
    promoted: [] as { link: SocketLink; reconnect: boolean; rollover: boolean }[],
    lost: 0,
    errors: [] as string[],
    retries: [] as { attempt: number; delayMs: number }[],
    stopped: [] as string[],
  };
  const options: ChatClientOptions = {
    webSocketUrl: server.url,
    fetchTicket: async () => `ticket-${++tickets}`,
    random: () => 0.5,
    backoff: { initialMs: 100, maxMs: 10_000 },
    heartbeatMs: 0,
    rolloverMs: 0,
    ...overrides,
  };
  const connector = new Connector(options, Socket, clock, {
    status: (status) => seen.statuses.push(status),
    promoted: (link, info) => seen.promoted.push({ link, ...info }),
    frame: () => {},
    invalid: () => {},
    lost: () => seen.lost++,
    error: (frame) => seen.errors.push(frame.code),
    retry: (info) => seen.retries.push(info),
    stopped: (error) => seen.stopped.push(error.code),
  });
  connectors.push(connector);
  return { connector, clock, net, seen, tickets: () => tickets };
}

const ticketsUsed = () => server.handshakes.map((h) => h.ticket);

describe('Connector', () => {
  it('starts closed, opens one socket however often it is started, and clears its connect timer once open', async () => {
    const { connector, clock, net, seen } = makeConnector();
    expect(connector.status).toBe('closed');
    expect(connector.stop()).toBe(false); // never started: nothing to stop, nothing reported
    expect(seen.statuses).toEqual([]);
    const accepted = server.nextConnection();
    connector.start();
    connector.start();
    const socket = await accepted;
    await until(() => seen.promoted.length === 1);
    expect(seen.promoted[0]).toMatchObject({ reconnect: false, rollover: false });
    expect(seen.statuses).toEqual(['connecting', 'open']);
    clock.advance(60_000); // far past the 15 s connect timeout
    expect(connector.stats).toMatchObject({ sockets: 1, connectTimeouts: 0, drops: 0 });
    expect(seen.statuses).toEqual(['connecting', 'open']);

    const closed = closeOf(socket);
    expect(connector.stop()).toBe(true);
    expect(await closed).toEqual({ code: 1000, reason: 'client closed' });
    await until(() => net.sockets[0]!.closed);
    expect(seen.statuses).toEqual(['connecting', 'open', 'closed']);
    expect(seen.lost).toBe(0); // a socket closed by stop() owes nothing
    expect(connector.stop()).toBe(false);
    expect(ticketsUsed()).toEqual(['ticket-1']);
  });

  it('backs off while refused, and starts backoff over only after a socket stayed open 10 s', async () => {
    server.refuse = true;
    const { connector, clock, seen } = makeConnector();
    clock.advance(20_000); // "up for 10 s" is measured from when the socket opened, not from time zero
    connector.start();
    await until(() => seen.retries.length === 1);
    expect(seen.retries).toEqual([{ attempt: 1, delayMs: 50 }]); // attempts count from 1
    clock.advance(49);
    expect(server.handshakes).toHaveLength(1);
    clock.advance(1);
    await until(() => seen.retries.length === 2);
    expect(seen.retries[1]).toEqual({ attempt: 2, delayMs: 100 });
    expect(seen.statuses).toEqual(['connecting', 'reconnecting']); // never "connecting" again
    server.refuse = false;
    let accepted = server.nextConnection();
    clock.advance(100);
    let socket = await accepted;
    await until(() => seen.promoted.length === 1);

    // Up 5 s, then dropped: the backoff carries on where it was.
    clock.advance(5_000);
    socket.terminate();
    await until(() => seen.retries.length === 3);
    expect(seen.retries[2]).toEqual({ attempt: 3, delayMs: 200 });
    accepted = server.nextConnection();
    clock.advance(200);
    socket = await accepted;
    await until(() => seen.promoted.length === 2);
    expect(seen.promoted[1]).toMatchObject({ reconnect: true, rollover: false });
    // Up exactly 10 s: healthy, so the next drop starts from the first delay.
    clock.advance(10_000);
    socket.terminate();
    await until(() => seen.retries.length === 4);
    expect(seen.retries[3]).toEqual({ attempt: 1, delayMs: 50 });
    expect(connector.stats).toMatchObject({ drops: 2, reconnects: 1, sockets: 4 });
    expect(seen.lost).toBe(2); // the two dropped sockets (a refused handshake never carried anything)
  });

  it('retryNow skips the backoff wait; with no retry pending, or stopped, it does nothing', async () => {
    const { connector, seen, tickets } = makeConnector();
    connector.retryNow();
    expect(tickets()).toBe(0);
    server.refuse = true;
    connector.start();
    await until(() => seen.retries.length === 1);
    server.refuse = false;
    connector.retryNow(); // no time passes
    await until(() => seen.promoted.length === 1);
    connector.retryNow();
    await new Promise((r) => setImmediate(r));
    expect(tickets()).toBe(2);
    connector.stop();
    connector.retryNow();
    expect(tickets()).toBe(2);
  });

  it('retryNow is a reconnect like any other: a session that cannot get a ticket stops', async () => {
    server.refuse = true;
    let calls = 0;
    const { connector, seen } = makeConnector({
      fetchTicket: async () => {
        if (++calls === 2) throw new ChatError(ErrorCode.Unauthorized, 'Sign in again');
        return `ticket-${calls}`;
      },
    });
    connector.start();
    await until(() => seen.retries.length === 1);
    connector.retryNow();
    await until(() => seen.stopped.length === 1);
    expect(connector.status).toBe('closed');
  });

  it('a ticket that arrives after stop() opens nothing, even when a new start() is under way', async () => {
    const first = deferred<string>();
    let calls = 0;
    const { connector, seen } = makeConnector({ fetchTicket: () => (++calls === 1 ? first.promise : Promise.resolve(`ticket-${calls}`)) });
    connector.start();
    connector.stop();
    connector.start();
    await until(() => seen.promoted.length === 1);
    first.resolve('ticket-1');
    await new Promise((r) => setImmediate(r));
    expect(ticketsUsed()).toEqual(['ticket-2']);
    expect(connector.stats.sockets).toBe(1);

    // A ticket request that fails after stop() reports nothing.
    const late = deferred<string>();
    const quiet = makeConnector({ fetchTicket: () => late.promise });
    quiet.connector.start();
    quiet.connector.stop();
    late.reject(new ChatError(ErrorCode.Internal, 'The chat server could not be reached'));
    await new Promise((r) => setImmediate(r));
    expect(quiet.seen).toMatchObject({ errors: [], retries: [], stopped: [] });
  });

  it('ticket failures: a network error is retried quietly, a typed one in words, UNAUTHORIZED on a reconnect stops', async () => {
    const failures: unknown[] = [new TypeError('fetch failed'), new ChatError(ErrorCode.Internal, 'The chat server could not be reached')];
    let calls = 0;
    const { connector, clock, seen } = makeConnector({
      fetchTicket: async () => {
        calls++;
        const failure = failures.shift();
        if (failure) throw failure;
        return `ticket-${calls}`;
      },
    });
    connector.start();
    await until(() => seen.retries.length === 1);
    expect(seen.errors).toEqual([]);
    expect(clock.pending()).toBe(1); // the retry only: the attempt's connect timer is gone
    clock.advance(seen.retries[0]!.delayMs);
    await until(() => seen.retries.length === 2);
    expect(seen.errors).toEqual(['INTERNAL']);
    const accepted = server.nextConnection();
    clock.advance(seen.retries[1]!.delayMs);
    const socket = await accepted;
    await until(() => seen.promoted.length === 1);
    failures.push(new ChatError(ErrorCode.Unauthorized, 'Sign in again'));
    socket.terminate();
    await until(() => seen.retries.length === 3);
    clock.advance(seen.retries[2]!.delayMs);
    await until(() => seen.stopped.length === 1);
    expect(seen.stopped).toEqual(['UNAUTHORIZED']);
    expect(connector.status).toBe('closed');
    clock.advance(60_000);
    expect(calls).toBe(4);
  });

  it('drop() ends only the live socket, saying "not connected"; a reconnect follows', async () => {
    const { connector, clock, seen } = makeConnector();
    let accepted = server.nextConnection();
    connector.start();
    let socket = await accepted;
    await until(() => seen.promoted.length === 1);
    const firstLink = seen.promoted[0]!.link;
    socket.terminate();
    await until(() => seen.retries.length === 1);
    accepted = server.nextConnection();
    clock.advance(seen.retries[0]!.delayMs);
    socket = await accepted;
    await until(() => seen.promoted.length === 2);
    connector.drop(firstLink); // an old socket: nothing happens
    expect([connector.status, connector.stats.drops]).toEqual(['open', 1]);
    const closed = closeOf(socket);
    connector.drop(seen.promoted[1]!.link);
    expect(await closed).toEqual({ code: 1000, reason: 'not connected' });
    expect(connector.stats.drops).toBe(2);
    expect(seen.retries).toHaveLength(2);
  });
});

describe('Connector rollover', () => {
  it('swaps sockets 7.5 min before the 2 h cap (random 0.5): the old one closes as "replaced" and is not a drop', async () => {
    const { connector, clock, net, seen } = makeConnector({ rolloverMs: undefined });
    const first = server.nextConnection();
    connector.start();
    const old = await first;
    await until(() => seen.promoted.length === 1);
    const at = LIMITS.maxConnectionMs - 7.5 * 60_000;
    clock.advance(at - 1);
    await new Promise((r) => setImmediate(r));
    expect(ticketsUsed()).toEqual(['ticket-1']);
    const next = server.nextConnection();
    const oldClosed = closeOf(old);
    clock.advance(1);
    await next;
    await until(() => seen.promoted.length === 2);
    expect(seen.promoted[1]).toMatchObject({ reconnect: false, rollover: true });
    expect(await oldClosed).toEqual({ code: 1000, reason: 'replaced' });
    await until(() => net.sockets[0]!.closed);
    expect(seen.statuses).toEqual(['connecting', 'open']);
    expect(connector.stats).toMatchObject({ rollovers: 1, drops: 0, reconnects: 0 });
    expect(seen.retries).toEqual([]);
    expect(seen.lost).toBe(1); // the replaced socket: what it still owed goes out on the new one
  });

  it('a refused rollover keeps the live socket and tries again after a backoff, never "reconnecting"', async () => {
    const { connector, clock, seen } = makeConnector({ rolloverMs: 1_000 });
    connector.start();
    await until(() => seen.promoted.length === 1);
    server.refuse = true;
    clock.advance(1_000);
    await until(() => server.handshakes.length === 2);
    await until(() => connector.stats.sockets === 2 && clock.pending() === 1); // the refused candidate ended: one timer, the next try
    expect(seen.lost).toBe(0);
    expect(connector.status).toBe('open');
    expect(seen.retries).toEqual([]);
    server.refuse = false;
    clock.advance(49); // the rollover's own backoff: 50 ms
    await new Promise((r) => setImmediate(r));
    expect(server.handshakes).toHaveLength(2);
    clock.advance(1);
    await until(() => seen.promoted.length === 2);
    expect(seen.promoted[1]).toMatchObject({ rollover: true });
    expect(seen.statuses).toEqual(['connecting', 'open']);
  });

  it('a socket URL that cannot be built backs off at once, leaving no connect timer behind', async () => {
    const { connector, clock, seen } = makeConnector({ webSocketUrl: 'not a url' });
    connector.start();
    await until(() => seen.retries.length === 1);
    expect(clock.pending()).toBe(1);
    expect(connector.stats.connectTimeouts).toBe(0);
  });

  it("after a drop the old socket's rollover is cancelled: the reconnected one swaps on its own schedule", async () => {
    const { connector, clock, seen } = makeConnector({ rolloverMs: 60_000 });
    let accepted = server.nextConnection();
    connector.start();
    const first = await accepted;
    await until(() => seen.promoted.length === 1);
    clock.advance(30_000);
    first.terminate();
    await until(() => seen.retries.length === 1);
    accepted = server.nextConnection();
    clock.advance(seen.retries[0]!.delayMs);
    await accepted;
    await until(() => seen.promoted.length === 2);
    expect(clock.pending()).toBe(1); // the new socket's rollover only
    clock.advance(29_000); // past the old socket's 60 s
    await new Promise((r) => setImmediate(r));
    expect(server.handshakes).toHaveLength(2);
    expect(connector.stats.rollovers).toBe(0);
  });

  it("a rollover's connect timer outlives a drop during it, and does nothing when it fires", async () => {
    const rolloverTicket = deferred<string>();
    let calls = 0;
    const { connector, clock, seen } = makeConnector({
      rolloverMs: 1_000,
      backoff: { initialMs: 40_000, maxMs: 40_000 }, // the reconnect waits 20 s, longer than the 15 s connect timeout
      fetchTicket: () => (++calls === 2 ? rolloverTicket.promise : Promise.resolve(`ticket-${calls}`)),
    });
    const accepted = server.nextConnection();
    connector.start();
    const socket = await accepted;
    await until(() => seen.promoted.length === 1);
    clock.advance(1_000); // the rollover asks for its ticket (which never comes)
    socket.terminate();
    await until(() => seen.retries.length === 1);
    expect(seen.retries[0]!.delayMs).toBe(20_000);
    clock.advance(15_000); // the rollover attempt's connect timeout
    expect(connector.stats.connectTimeouts).toBe(0);
    expect(seen.retries).toHaveLength(1);
    clock.advance(5_000);
    await until(() => seen.promoted.length === 2);
  });

  it('a drop while the rollover ticket is on its way: that ticket opens nothing, the reconnect uses its own', async () => {
    const rolloverTicket = deferred<string>();
    let calls = 0;
    const { connector, clock, seen } = makeConnector({
      rolloverMs: 1_000,
      fetchTicket: () => (++calls === 2 ? rolloverTicket.promise : Promise.resolve(`ticket-${calls}`)),
    });
    const accepted = server.nextConnection();
    connector.start();
    const socket = await accepted;
    await until(() => seen.promoted.length === 1);
    clock.advance(1_000);
    expect(calls).toBe(2);
    socket.terminate();
    await until(() => seen.retries.length === 1);
    clock.advance(seen.retries[0]!.delayMs);
    await until(() => seen.promoted.length === 2);
    rolloverTicket.resolve('ticket-2');
    await new Promise((r) => setImmediate(r));
    expect(connector.stats.sockets).toBe(2); // no socket was even started with it
    expect(ticketsUsed()).toEqual(['ticket-1', 'ticket-3']);
    expect(seen.promoted[1]).toMatchObject({ reconnect: true, rollover: false });
  });
});
