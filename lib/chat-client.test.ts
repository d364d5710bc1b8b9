/**
 * ChatClient's connection life against a real `ws` server on 127.0.0.1:0 (lib/chat/test-server.ts plays
 * API Gateway): tickets, frames, reconnect with backoff, heartbeat, rollover before the 2 h cap, sign-out.
 * The outbox (re-sends) has its own file: lib/chat/outbox.test.ts.
 */
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ChatClient, backoffDelay, type ChatClientOptions, type ConnectionStatus } from './chat-client';
import { ChatError } from './chat-error';
import { startTestServer, type TestServer } from './chat/test-server';
import { ErrorCode, type ChatMessage } from './protocol';

const message = (id: string, body = 'hi'): ChatMessage => ({
  roomId: 'general',
  messageId: id,
  authorId: 'u1',
  authorName: 'Ada',
  body,
  createdAt: new Date(0).toISOString(),
});

let server: TestServer;
const clients: ChatClient[] = [];

beforeEach(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.stop();
});

/** A client with fast, observable settings; tickets are numbered so freshness is visible. */
function makeClient(overrides: Partial<ChatClientOptions> = {}) {
  let n = 0;
  const statuses: ConnectionStatus[] = [];
  const retries: number[] = [];
  const opened: { reconnect: boolean; rollover: boolean }[] = [];
  const client = new ChatClient({
    webSocketUrl: server.url,
    fetchTicket: async () => `ticket-${++n}`,
    WebSocket: WebSocket,
    random: () => 0.5,
    backoff: { initialMs: 20, maxMs: 1000 },
    heartbeatMs: 0,
    ...overrides,
  });
  client.on('status', (s) => statuses.push(s));
  client.on('retry', (r) => retries.push(r.delayMs));
  client.on('opened', (o) => opened.push(o));
  clients.push(client);
  return { client, statuses, retries, opened, tickets: () => n };
}

/**
 * Timers the test fires by hand: nothing scheduled runs on its own, `runAll` runs everything due at any time
 * (and what that schedules). Proves "never happens" without sleeping: if a reconnect were scheduled, `runAll`
 * would run it.
 */
function manualTimers() {
  const due = new Map<number, () => void>();
  let next = 0;
  return {
    setTimeout: (fn: () => void) => {
      due.set(++next, fn);
      return next;
    },
    clearTimeout: (handle: unknown) => void due.delete(handle as number),
    pending: () => due.size,
    runAll() {
      for (let round = 0; round < 100 && due.size > 0; round++) {
        const batch = [...due];
        due.clear();
        for (const [, fn] of batch) fn();
      }
    },
  };
}

/** Lets pending promise callbacks (a ticket fetch started by a timer) run. */
const flushPromises = () => new Promise((resolve) => setImmediate(resolve));

/** Waits for a condition driven by real sockets (a bound, not an assertion about time). */
const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('ChatClient connection', () => {
  it('connects with a ticket only, subscribes to its rooms, and parses server frames', async () => {
    const { client, statuses, opened } = makeClient();
    const got: ChatMessage[] = [];
    const errors: string[] = [];
    const subscribed: unknown[] = [];
    client.on('message', (m) => got.push(m));
    client.on('error', (e) => errors.push(e.code));
    client.on('subscribed', (p) => subscribed.push(p));
    client.subscribe(['general', 'design']);
    const connection = server.nextConnection();
    client.connect();
    const socket = await connection;
    await until(() => client.status === 'open' && subscribed.length === 1);
    expect(server.handshakes).toEqual([{ ticket: 'ticket-1', room: null }]);
    expect(statuses).toEqual(['connecting', 'open']);
    expect(opened).toEqual([{ reconnect: false, rollover: false }]);
    expect(server.received[0]!.frames[0]).toEqual({ action: 'subscribe', roomIds: ['general', 'design'] });
    // A room added later goes out alone; one already followed is not asked for again.
    client.subscribe(['design', 'p_01j00000000000000000000000']);
    await until(() => subscribed.length === 2);
    expect(server.received[0]!.frames[1]).toEqual({ action: 'subscribe', roomIds: ['p_01j00000000000000000000000'] });
    expect(client.markRead('general', '01J0000000000000000000000A')).toBe(true);
    client.unsubscribe(['design']);
    await until(() => server.received[0]!.frames.length === 4);
    expect(server.received[0]!.frames.slice(2)).toEqual([
      { action: 'markRead', roomId: 'general', messageId: '01J0000000000000000000000A' },
      { action: 'unsubscribe', roomIds: ['design'] },
    ]);
    expect(client.subscriptions).toEqual(['general', 'p_01j00000000000000000000000']);
    // resubscribe asks again for a room already followed (the server checks it afresh) and follows a new one.
    client.resubscribe(['general', 'lobby']);
    await until(() => server.received[0]!.frames.length === 5);
    expect(server.received[0]!.frames[4]).toEqual({ action: 'subscribe', roomIds: ['general', 'lobby'] });
    expect(client.subscriptions).toEqual(['general', 'p_01j00000000000000000000000', 'lobby']);

    socket.send(JSON.stringify({ type: 'message', message: message('01A') }));
    socket.send(JSON.stringify({ type: 'message', message: message('01A') })); // delivered once
    socket.send('not json');
    socket.send(JSON.stringify({ type: 'surprise' }));
    socket.send(JSON.stringify({ type: 'error', code: 'BAD_FRAME', message: 'Frames must be JSON' }));
    socket.send(JSON.stringify({ type: 'pong' }));
    await until(() => errors.length === 1);
    expect(got.map((m) => m.messageId)).toEqual(['01A']);
    expect(errors).toEqual(['BAD_FRAME']);
    expect(client.stats.invalidFrames).toBe(2);
    expect(client).not.toHaveProperty('invalidFrames'); // counted once, in stats
    expect(client.stats.duplicates).toBe(1);
  });

  it('refuses to send before connect() and after close()', async () => {
    const { client } = makeClient();
    await expect(client.send('general', 'hello')).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    await expect(client.send('general', '   ')).rejects.toBeInstanceOf(ChatError);
  });

  it('reconnects after a drop with a FRESH ticket each time, and says so', async () => {
    const { client, statuses, opened } = makeClient();
    server.onFrame = (socket, frame) => {
      if (frame.action === 'subscribe' && server.handshakes.length < 3) socket.close(1001, 'going away');
      return 'default';
    };
    client.subscribe(['general']);
    client.connect();
    await until(() => server.handshakes.length === 3 && client.status === 'open' && opened.length === 3);
    expect(server.handshakes.map((s) => s.ticket)).toEqual(['ticket-1', 'ticket-2', 'ticket-3']);
    expect(statuses).toContain('reconnecting');
    expect(opened.map((o) => o.reconnect)).toEqual([false, true, true]);
    expect(client.stats).toMatchObject({ reconnects: 2, drops: 2 });
  });

  it('backs off exponentially with full jitter while the handshake keeps failing', async () => {
    server.refuse = true;
    const { client, retries } = makeClient();
    client.connect();
    await until(() => retries.length >= 4);
    expect(retries.slice(0, 4)).toEqual([10, 20, 40, 80]); // ceiling 20·2^n, random 0.5
    expect(new Set(server.handshakes.map((s) => s.ticket)).size).toBe(server.handshakes.length);
    expect(backoffDelay(20, () => 1, { initialMs: 20, maxMs: 1000 })).toBe(1000);
    expect(backoffDelay(3, () => 0, { initialMs: 20 })).toBe(0);
    expect(backoffDelay(3, () => 1, { initialMs: 20 })).toBe(160);
  });

  it('stops for good when the session cannot give a ticket (UNAUTHORIZED), and says why', async () => {
    const errors: string[] = [];
    let calls = 0;
    const { client } = makeClient({
      fetchTicket: async () => {
        calls++;
        throw new ChatError(ErrorCode.Unauthorized, 'Sign in again');
      },
    });
    client.on('error', (e) => errors.push(e.code));
    client.connect();
    await until(() => client.status === 'closed');
    expect(errors).toEqual(['UNAUTHORIZED']);
    expect(calls).toBe(1);
    await expect(client.send('general', 'hello')).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });

  it('stops for good when the server says this client is outdated (CLIENT_OUTDATED): a reload is the fix, not a retry', async () => {
    const errors: string[] = [];
    let calls = 0;
    const { client } = makeClient({
      fetchTicket: async () => {
        calls++;
        throw new ChatError(ErrorCode.ClientOutdated, 'A new version is available — reload');
      },
    });
    client.on('error', (e) => errors.push(e.code));
    client.connect();
    await until(() => client.status === 'closed');
    expect(errors).toEqual(['CLIENT_OUTDATED']);
    expect(calls).toBe(1);
  });

  it('keeps retrying when the ticket endpoint is unreachable', async () => {
    let calls = 0;
    const { client } = makeClient({
      fetchTicket: async () => {
        if (++calls < 3) throw new ChatError(ErrorCode.Internal, 'The chat server could not be reached');
        return 'ticket-ok';
      },
    });
    client.connect();
    await until(() => client.status === 'open');
    expect(server.handshakes.map((h) => h.ticket)).toEqual(['ticket-ok']);
  });

  it('gives up on a handshake that never completes and retries with a fresh ticket', async () => {
    server.hang = true;
    const { client } = makeClient({ connectTimeoutMs: 100 });
    client.connect();
    await until(() => server.handshakes.length === 2);
    server.hang = false;
    await until(() => client.status === 'open');
    expect(client.stats.connectTimeouts).toBeGreaterThanOrEqual(1);
    expect(new Set(server.handshakes.map((h) => h.ticket)).size).toBe(server.handshakes.length);
  });

  it('gives up on a ticket request that never answers', async () => {
    let calls = 0;
    const { client } = makeClient({
      connectTimeoutMs: 100,
      fetchTicket: () => (++calls === 1 ? new Promise<string>(() => {}) : Promise.resolve(`ticket-${calls}`)),
    });
    client.connect();
    await until(() => client.status === 'open');
    expect(server.handshakes.map((h) => h.ticket)).toEqual(['ticket-2']);
  });

  it('a socket constructor (or URL) that throws goes through backoff at once, not the connect timeout', async () => {
    let calls = 0;
    const Flaky = function (url: string) {
      if (++calls < 3) throw new SyntaxError('cannot open');
      return new WebSocket(url);
    } as unknown as typeof WebSocket;
    const { client, retries } = makeClient({ WebSocket: Flaky, connectTimeoutMs: 60_000 });
    client.connect();
    await until(() => client.status === 'open');
    expect(retries).toHaveLength(2);
    expect(server.handshakes.map((h) => h.ticket)).toEqual(['ticket-3']);
    const bad = makeClient({ webSocketUrl: 'not a url', connectTimeoutMs: 60_000 });
    bad.client.connect();
    await until(() => bad.retries.length >= 2);
    expect(bad.client.status).toBe('reconnecting');
  });

  it('close() closes the socket and stops reconnecting', async () => {
    const timers = manualTimers();
    const sockets: WebSocket[] = [];
    const Recording = class extends WebSocket {
      constructor(url: string) {
        super(url);
        sockets.push(this);
      }
    };
    const { client, tickets } = makeClient({ timers, WebSocket: Recording });
    const closed = server.nextConnection().then((socket) => once(socket, 'close'));
    client.connect();
    await until(() => client.status === 'open');
    client.close();
    const [code] = await closed;
    expect(code).toBe(1000);
    expect(client.status).toBe('closed');
    // The client saw its own socket close (its close handler has run), then every timer it ever set fires now.
    await until(() => sockets.length === 1 && sockets[0]!.readyState === WebSocket.CLOSED);
    timers.runAll();
    await flushPromises();
    expect(tickets()).toBe(1);
    expect(server.handshakes).toHaveLength(1);
    expect(client.status).toBe('closed');
  });

  it('close() during a pending retry cancels it', async () => {
    server.refuse = true;
    const timers = manualTimers();
    const { client, retries, tickets } = makeClient({ timers });
    client.connect();
    await until(() => retries.length === 1);
    expect(timers.pending()).toBeGreaterThan(0); // the retry is scheduled...
    client.close();
    timers.runAll(); // ...and whatever is still scheduled after close() runs now
    await flushPromises();
    expect(tickets()).toBe(1);
    expect(client.status).toBe('closed');
  });
});

describe('ChatClient heartbeat and rollover', () => {
  it('pings on an interval (keeping the server row fresh and the idle timer away)', async () => {
    const { client } = makeClient({ heartbeatMs: 30 });
    client.connect();
    await until(() => (server.received[0]?.frames.filter((f) => f.action === 'ping').length ?? 0) >= 2);
    expect(client.status).toBe('open');
    expect(server.handshakes).toHaveLength(1);
  });

  it('treats a socket that stops answering pings as dead and reconnects', async () => {
    const { client, opened } = makeClient({ heartbeatMs: 30, heartbeatTimeoutMs: 60 });
    server.onFrame = (_socket, frame) => (frame.action === 'ping' && server.handshakes.length === 1 ? undefined : 'default');
    client.connect();
    await until(() => opened.length === 2);
    expect(server.handshakes.map((h) => h.ticket)).toEqual(['ticket-1', 'ticket-2']);
    expect(client.stats.drops).toBe(1);
  });

  it('reconnects when the server says the connection is unknown (NOT_CONNECTED)', async () => {
    const { client, opened } = makeClient({ heartbeatMs: 30 });
    server.onFrame = (socket, frame) => {
      if (frame.action !== 'ping' || server.handshakes.length > 1) return 'default';
      socket.send(JSON.stringify({ type: 'error', code: 'NOT_CONNECTED', message: 'This connection has expired' }));
    };
    client.connect();
    await until(() => opened.length === 2);
    expect(server.handshakes.map((h) => h.ticket)).toEqual(['ticket-1', 'ticket-2']);
  });

  it('rolls over before the cap: the new socket opens BEFORE the old one closes, with no reconnecting gap', async () => {
    const { client, statuses, opened } = makeClient({ rolloverMs: 100 });
    const first = server.nextConnection();
    client.connect();
    const old = await first;
    const oldClosed = once(old, 'close');
    const next = server.nextConnection();
    const replacement = await next;
    expect(old.readyState).toBe(WebSocket.OPEN); // both open at once: no gap
    const [code] = await oldClosed;
    expect(code).toBe(1000);
    expect(replacement.readyState).toBe(WebSocket.OPEN);
    expect(server.handshakes.map((h) => h.ticket).slice(0, 2)).toEqual(['ticket-1', 'ticket-2']);
    expect(statuses).toEqual(['connecting', 'open']);
    expect(opened[1]).toEqual({ reconnect: false, rollover: true });
    client.close();
  });
});
