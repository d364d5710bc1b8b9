/**
 * The outbox through the real ChatClient against a real `ws` server (lib/chat/test-server.ts, which acks
 * idempotently per clientMessageId like the real handlers): nothing sent is lost or stored twice across
 * drops, rate limits, ack timeouts and rollovers; final errors reject.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ChatClient, type ChatClientOptions } from '../chat-client';
import { LIMITS, type ChatMessage } from '../protocol';
import { startTestServer, type TestServer } from './test-server';

let server: TestServer;
const clients: ChatClient[] = [];

beforeEach(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.stop();
});

function makeClient(overrides: Partial<ChatClientOptions> = {}) {
  let n = 0;
  const client = new ChatClient({
    webSocketUrl: server.url,
    fetchTicket: async () => `ticket-${++n}`,
    WebSocket: WebSocket,
    random: () => 0.5,
    backoff: { initialMs: 20, maxMs: 200 },
    heartbeatMs: 0,
    ...overrides,
  });
  const messages: ChatMessage[] = [];
  client.on('message', (m) => messages.push(m));
  clients.push(client);
  return { client, messages };
}

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** Every sendMessage frame the server received, in order, across sockets. */
const sends = () => server.received.flatMap((r) => r.frames.filter((f) => f.action === 'sendMessage')) as { body: string; clientMessageId: string }[];

describe('Outbox', () => {
  it('resolves on the ack; the ack and the broadcast of the same message arrive once', async () => {
    const { client, messages } = makeClient();
    server.onFrame = (socket, frame) => {
      if (frame.action !== 'sendMessage') return 'default';
      const message = { roomId: 'general', messageId: '01J0000000000000000000000B', authorId: 'u1', authorName: 'Ada', body: frame.body!, createdAt: '2024-01-01T00:00:00.000Z' };
      socket.send(JSON.stringify({ type: 'message', message }));
      socket.send(JSON.stringify({ type: 'ack', clientMessageId: frame.clientMessageId, message }));
    };
    client.connect();
    await expect(client.send('general', 'hello')).resolves.toMatchObject({ body: 'hello' });
    expect(messages).toHaveLength(1);
    expect(client.pendingSends).toBe(0);
  });

  it('queues while not connected yet and sends once the socket opens', async () => {
    server.refuse = true;
    const { client } = makeClient();
    client.connect();
    const sent = client.send('general', 'early');
    await until(() => server.handshakes.length >= 2);
    expect(sends()).toHaveLength(0);
    server.refuse = false;
    await expect(sent).resolves.toMatchObject({ body: 'early' });
  });

  it('re-sends an unacked message with the SAME clientMessageId after a drop; it is stored once', async () => {
    const { client } = makeClient();
    let dropped = false;
    server.onFrame = (socket, frame) => {
      if (frame.action !== 'sendMessage' || dropped) return 'default';
      dropped = true;
      socket.terminate(); // the frame arrived, the ack never leaves
    };
    client.connect();
    const stored = await client.send('general', 'survives a drop', 'cmid-drop-0001');
    expect(sends().map((f) => f.clientMessageId)).toEqual(['cmid-drop-0001', 'cmid-drop-0001']);
    expect(server.handshakes).toHaveLength(2);
    expect(server.stored.size).toBe(1);
    expect(stored.clientMessageId).toBe('cmid-drop-0001');
    expect(client.stats.resends).toBe(1);
  });

  it('waits out RATE_LIMITED (retryAfterMs) and then sends the same id again', async () => {
    const { client } = makeClient();
    let limited = 0;
    server.onFrame = (socket, frame) => {
      if (frame.action !== 'sendMessage' || limited++ > 0) return 'default';
      socket.send(JSON.stringify({ type: 'error', code: 'RATE_LIMITED', message: 'Slow down', clientMessageId: frame.clientMessageId, retryAfterMs: 30 }));
    };
    client.connect();
    await expect(client.send('general', 'patience')).resolves.toMatchObject({ body: 'patience' });
    const ids = sends().map((f) => f.clientMessageId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
    expect(client.stats.rateLimited).toBe(1);
  });

  it('rejects on a final error (e.g. BODY_TOO_LONG) without re-sending', async () => {
    const { client } = makeClient();
    server.onFrame = (socket, frame) => {
      if (frame.action !== 'sendMessage') return 'default';
      socket.send(JSON.stringify({ type: 'error', code: 'BODY_TOO_LONG', message: 'Too long', clientMessageId: frame.clientMessageId }));
    };
    client.connect();
    await expect(client.send('general', 'x')).rejects.toMatchObject({ code: 'BODY_TOO_LONG', message: 'Too long' });
    expect(sends()).toHaveLength(1);
    expect(client.pendingSends).toBe(0);
  });

  it('retries INTERNAL with backoff, then gives up after maxSendFailures', async () => {
    const { client } = makeClient({ maxSendFailures: 3 });
    server.onFrame = (socket, frame) => {
      if (frame.action !== 'sendMessage') return 'default';
      socket.send(JSON.stringify({ type: 'error', code: 'INTERNAL', message: 'Something went wrong', clientMessageId: frame.clientMessageId }));
    };
    client.connect();
    await expect(client.send('general', 'doomed')).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(sends()).toHaveLength(3);
  }, 15_000);

  it('re-sends on the same socket when the ack does not come in time', async () => {
    const { client } = makeClient({ ackTimeoutMs: 50 });
    let ignored = false;
    server.onFrame = (_socket, frame) => {
      if (frame.action !== 'sendMessage' || ignored) return 'default';
      ignored = true; // swallowed, as a crashed invocation would
    };
    client.connect();
    await expect(client.send('general', 'again')).resolves.toMatchObject({ body: 'again' });
    expect(server.handshakes).toHaveLength(1);
    expect(client.stats.ackTimeouts).toBe(1);
    expect(new Set(sends().map((f) => f.clientMessageId)).size).toBe(1);
  });

  it('a send in flight on a socket replaced by rollover is re-sent on the new one', async () => {
    const { client } = makeClient({ rolloverMs: 100 });
    server.onFrame = (_socket, frame) => (frame.action === 'sendMessage' && server.handshakes.length === 1 ? undefined : 'default');
    client.connect();
    await until(() => client.status === 'open');
    const sent = client.send('general', 'across the swap');
    await expect(sent).resolves.toMatchObject({ body: 'across the swap' });
    expect(server.handshakes.length).toBeGreaterThanOrEqual(2);
    expect(server.stored.size).toBe(1);
  });

  it('gives up (rather than risk a second copy) once the server may have forgotten the clientMessageId', async () => {
    server.refuse = true;
    let now = Date.UTC(2024, 0, 1);
    const { client } = makeClient({ now: () => now });
    client.connect();
    const sent = client.send('general', 'written before a long sleep');
    await until(() => server.handshakes.length >= 1);
    now += LIMITS.clientMessageIdRetentionMs; // the laptop slept for a day
    server.refuse = false;
    await expect(sent).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(sends()).toHaveLength(0);
  });

  it('close() rejects what is still pending', async () => {
    const { client } = makeClient();
    server.onFrame = (_socket, frame) => (frame.action === 'sendMessage' ? undefined : 'default');
    client.connect();
    await until(() => client.status === 'open');
    const sent = client.send('general', 'never acked');
    await until(() => sends().length === 1);
    client.close();
    await expect(sent).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });
});
