/**
 * ChatClient against a real `ws` server on 127.0.0.1:0: the server plays API Gateway (ticket check
 * at the handshake, frames both ways, drops), the client is the code the browser runs.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { ChatClient, backoffDelay, type ChatClientOptions, type ConnectionStatus } from './chat-client';
import { ChatError } from './chat-error';
import type { ChatMessage } from './protocol';

const message = (id: string, body = 'hi'): ChatMessage => ({
  roomId: 'general',
  messageId: id,
  authorId: 'u1',
  authorName: 'Ada',
  body,
  createdAt: new Date(0).toISOString(),
});

let server: WebSocketServer;
let url: string;
/** Tickets the "authorizer" saw, in order; `reject` makes the handshake fail with 401. */
let seen: { ticket: string | null; room: string | null }[];
let reject: boolean;
const clients: ChatClient[] = [];

beforeEach(async () => {
  seen = [];
  reject = false;
  server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (info, done) => {
      const query = new URL(info.req.url ?? '/', 'http://x').searchParams;
      seen.push({ ticket: query.get('ticket'), room: query.get('room') });
      done(!reject, 401);
    },
  });
  await once(server, 'listening');
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/prod`;
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const socket of server.clients) socket.terminate();
  await new Promise((resolve) => server.close(resolve));
});

/** A client with fast, observable settings; tickets are numbered so freshness is visible. */
function makeClient(overrides: Partial<ChatClientOptions> = {}) {
  let n = 0;
  const statuses: ConnectionStatus[] = [];
  const retries: number[] = [];
  const client = new ChatClient({
    webSocketUrl: url,
    roomId: 'general',
    fetchTicket: async () => `ticket-${++n}`,
    WebSocket: WebSocket,
    random: () => 0.5,
    backoff: { initialMs: 20, maxMs: 1000 },
    heartbeatMs: 0,
    ...overrides,
  });
  client.on('status', (s) => statuses.push(s));
  client.on('retry', (r) => retries.push(r.delayMs));
  clients.push(client);
  return { client, statuses, retries, tickets: () => n };
}

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('ChatClient', () => {
  it('connects with a ticket and the room, and parses server frames', async () => {
    const { client, statuses } = makeClient();
    const got: ChatMessage[] = [];
    const errors: string[] = [];
    client.on('message', (m) => got.push(m));
    client.on('error', (e) => errors.push(e.code));
    const connection = once(server, 'connection');
    client.connect();
    const socket = (await connection)[0] as WebSocket;
    await until(() => client.status === 'open');
    expect(seen).toEqual([{ ticket: 'ticket-1', room: 'general' }]);
    expect(statuses).toEqual(['connecting', 'open']);

    socket.send(JSON.stringify({ type: 'message', message: message('01A') }));
    socket.send('not json');
    socket.send(JSON.stringify({ type: 'surprise' }));
    socket.send(JSON.stringify({ type: 'error', code: 'BAD_FRAME', message: 'Frames must be JSON' }));
    socket.send(JSON.stringify({ type: 'pong' }));
    await until(() => errors.length === 1);
    expect(got.map((m) => m.messageId)).toEqual(['01A']);
    expect(errors).toEqual(['BAD_FRAME']);
    expect(client.invalidFrames).toBe(2);
  });

  it('send() resolves on the matching ack and rejects on a matching error frame', async () => {
    const { client } = makeClient();
    server.on('connection', (socket) =>
      socket.on('message', (raw) => {
        const frame = JSON.parse(String(raw)) as { body: string; clientMessageId: string };
        const reply =
          frame.body === 'bad'
            ? { type: 'error', code: 'BODY_TOO_LONG', message: 'Too long', clientMessageId: frame.clientMessageId }
            : { type: 'ack', clientMessageId: frame.clientMessageId, message: message('01B', frame.body) };
        socket.send(JSON.stringify(reply));
      }),
    );
    client.connect();
    await until(() => client.status === 'open');
    await expect(client.send('  hello  ')).resolves.toMatchObject({ messageId: '01B', body: 'hello' });
    await expect(client.send('bad')).rejects.toMatchObject({ code: 'BODY_TOO_LONG', message: 'Too long' });
    await expect(client.send('   ')).rejects.toBeInstanceOf(ChatError);
  });

  it('rejects a pending send when the connection drops', async () => {
    const { client } = makeClient();
    server.on('connection', (socket) => socket.on('message', () => socket.close(1011)));
    client.connect();
    await until(() => client.status === 'open');
    await expect(client.send('hello')).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });

  it('refuses to send while not connected', async () => {
    const { client } = makeClient();
    await expect(client.send('hello')).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });

  it('reconnects after a drop with a FRESH ticket each time', async () => {
    const { client, statuses } = makeClient();
    server.on('connection', (socket) => {
      if (seen.length < 3) socket.close(1001, 'going away');
    });
    client.connect();
    await until(() => seen.length === 3 && client.status === 'open');
    expect(seen.map((s) => s.ticket)).toEqual(['ticket-1', 'ticket-2', 'ticket-3']);
    expect(statuses).toContain('reconnecting');
    expect(statuses.at(-1)).toBe('open');
  });

  it('backs off exponentially (with jitter) while the handshake keeps failing', async () => {
    reject = true;
    const { client, retries } = makeClient();
    client.connect();
    await until(() => retries.length >= 4);
    expect(retries.slice(0, 4)).toEqual([15, 30, 60, 120]); // base 20·2^n, jitter 0.5 → 75 % of base
    expect(new Set(seen.map((s) => s.ticket)).size).toBe(seen.length);
    expect(backoffDelay(20, () => 1, { initialMs: 20, maxMs: 1000 })).toBe(1000);
    expect(backoffDelay(3, () => 0, { initialMs: 20 })).toBe(80);
  });

  it('close() closes the socket and stops reconnecting', async () => {
    const { client, tickets } = makeClient();
    const closed = once(server, 'connection').then(([socket]) => once(socket as WebSocket, 'close'));
    client.connect();
    await until(() => client.status === 'open');
    client.close();
    const [code] = await closed;
    expect(code).toBe(1000);
    expect(client.status).toBe('closed');
    await new Promise((r) => setTimeout(r, 200));
    expect(tickets()).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('close() during a pending retry cancels it', async () => {
    reject = true;
    const { client, retries, tickets } = makeClient({ backoff: { initialMs: 100 } });
    client.connect();
    await until(() => retries.length === 1);
    client.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(tickets()).toBe(1);
    expect(client.status).toBe('closed');
  });

  it('pings on an interval to keep the idle timer away', async () => {
    const { client } = makeClient({ heartbeatMs: 30 });
    const frames: string[] = [];
    server.on('connection', (socket) => socket.on('message', (raw) => frames.push(String(raw))));
    client.connect();
    await until(() => frames.length >= 2);
    expect(JSON.parse(frames[0]!)).toEqual({ action: 'ping' });
  });
});
