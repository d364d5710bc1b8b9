/** Outgoing (what the UI shows as "Sending…" / "Not sent") over the real ChatClient and a real `ws` server. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { ChatClient } from '../chat-client';
import { ChatError, parseBody } from '../chat-error';
import { Outgoing } from './outgoing';
import { startTestServer, type TestServer } from './test-server';

// parseBody as is, but counted: a body is validated once per send, in Outgoing (the server checks again).
vi.mock('../chat-error', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../chat-error')>();
  return { ...actual, parseBody: vi.fn(actual.parseBody) };
});

let server: TestServer;
let client: ChatClient;

beforeEach(async () => {
  server = await startTestServer();
  let n = 0;
  client = new ChatClient({ webSocketUrl: server.url, fetchTicket: async () => `t-${++n}`, WebSocket, heartbeatMs: 0 });
});

afterEach(async () => {
  client.close();
  await server.stop();
});

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('Outgoing', () => {
  it('shows a send until its ack, then drops it', async () => {
    const seen: number[] = [];
    const outgoing = new Outgoing({ send: (body, id) => client.send('general', body, id) }, () => seen.push(outgoing.list().length));
    client.connect();
    outgoing.send('  hello ');
    expect(outgoing.list()).toMatchObject([{ body: 'hello' }]);
    await until(() => outgoing.list().length === 0);
    expect(seen).toEqual([1, 0]);
  });

  it('validates a body once per send', async () => {
    const outgoing = new Outgoing({ send: (body, id) => client.send('general', body, id) }, () => {});
    client.connect();
    vi.mocked(parseBody).mockClear();
    outgoing.send('  once ');
    await until(() => outgoing.list().length === 0);
    expect(parseBody).toHaveBeenCalledTimes(1);
    expect(server.received[0]!.frames).toContainEqual(expect.objectContaining({ action: 'sendMessage', body: 'once' }));
  });

  it('refuses a body that can never be sent, showing nothing', () => {
    const outgoing = new Outgoing({ send: (body, id) => client.send('general', body, id) }, () => {});
    expect(() => outgoing.send('   ')).toThrow(ChatError);
    expect(outgoing.list()).toEqual([]);
  });

  it('marks a final failure with the reason; Retry re-sends with the SAME id; Discard forgets', async () => {
    let refuse = true;
    server.onFrame = (socket, frame) => {
      if (frame.action !== 'sendMessage' || !refuse) return 'default';
      socket.send(JSON.stringify({ type: 'error', code: 'INTERNAL', message: 'Try again later', clientMessageId: frame.clientMessageId }));
    };
    client = new ChatClient({ webSocketUrl: server.url, fetchTicket: async () => 't', WebSocket, heartbeatMs: 0, maxSendFailures: 1 });
    const outgoing = new Outgoing({ send: (body, id) => client.send('general', body, id) }, () => {});
    client.connect();
    const first = outgoing.send('one');
    outgoing.send('two');
    await until(() => outgoing.list().every((m) => m.error));
    expect(outgoing.list().map((m) => m.error)).toEqual(['Try again later', 'Try again later']);

    refuse = false;
    outgoing.retry(first);
    expect(outgoing.list()[0]).toEqual({ clientMessageId: first, body: 'one' });
    await until(() => outgoing.list().length === 1);
    expect(server.stored.has(first)).toBe(true);
    outgoing.discard(outgoing.list()[0]!.clientMessageId);
    expect(outgoing.list()).toEqual([]);
  });
});
