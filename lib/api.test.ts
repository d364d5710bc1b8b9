/** The HTTP API helpers against a real node:http server on 127.0.0.1:0 playing API Gateway. */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChatApi } from './api';
import { ChatError } from './chat-error';
import { PROTOCOL_VERSION } from './protocol';

let server: Server;
let base: string;
let requests: { method?: string; url?: string; auth?: string; body: string }[];
let reply: (req: IncomingMessage) => { status: number; body: unknown };

beforeEach(async () => {
  requests = [];
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    requests.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
    const { status, body: out } = reply(req);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(out));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const msg = { roomId: 'general', messageId: '01J0000000000000000000000A', authorId: 'u', authorName: 'Ada', body: 'hi', createdAt: '2024-01-01T00:00:00.000Z' };
const api = () => createChatApi(base, async () => 'id-token');

describe('createChatApi', () => {
  it('creates a ticket with the ID token as Bearer, saying which protocol version it speaks', async () => {
    reply = () => ({ status: 201, body: { ticket: 't', expiresAt: '2024-01-01T00:01:00.000Z' } });
    await expect(api().createTicket()).resolves.toEqual({ ticket: 't', expiresAt: '2024-01-01T00:01:00.000Z' });
    expect(requests[0]).toMatchObject({ method: 'POST', url: `/tickets?protocol=${PROTOCOL_VERSION}`, auth: 'Bearer id-token' });
  });

  it('pages history with limit and before', async () => {
    reply = () => ({ status: 200, body: { messages: [msg], nextBefore: msg.messageId } });
    const page = await api().getMessages('general', { before: msg.messageId, limit: 5 });
    expect(page.nextBefore).toBe(msg.messageId);
    expect(requests[0]?.url).toBe(`/rooms/general/messages?limit=5&before=${msg.messageId}`);
  });

  it('posts a message as JSON', async () => {
    reply = () => ({ status: 201, body: { message: msg } });
    await expect(api().postMessage('general', 'hi', 'cmid12345')).resolves.toEqual(msg);
    expect(JSON.parse(requests[0]!.body)).toEqual({ body: 'hi', clientMessageId: 'cmid12345' });
  });

  it('turns error bodies into ChatError with the server words', async () => {
    reply = () => ({ status: 400, body: { error: { code: 'BAD_ROOM', message: 'Room names use …' } } });
    await expect(api().getMessages('general')).rejects.toMatchObject({ code: 'BAD_ROOM', message: 'Room names use …' });
  });

  it("maps API Gateway's bare 401 to UNAUTHORIZED", async () => {
    reply = () => ({ status: 401, body: { message: 'Unauthorized' } });
    await expect(api().createTicket()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('on a 401 forces ONE session refresh and retries with the fresh token', async () => {
    const asked: (boolean | undefined)[] = [];
    const idToken = async (options?: { forceRefresh?: boolean }) => {
      asked.push(options?.forceRefresh);
      return options?.forceRefresh ? 'fresh-token' : 'stale-token';
    };
    reply = (req) =>
      req.headers.authorization === 'Bearer fresh-token'
        ? { status: 201, body: { ticket: 't2', expiresAt: '2024-01-01T00:01:00.000Z' } }
        : { status: 401, body: { message: 'Unauthorized' } };
    await expect(createChatApi(base, idToken).createTicket()).resolves.toMatchObject({ ticket: 't2' });
    expect(asked).toEqual([undefined, true]);
    expect(requests.map((r) => r.auth)).toEqual(['Bearer stale-token', 'Bearer fresh-token']);
  });

  it('gives up with UNAUTHORIZED when the refreshed token is refused too (no loop)', async () => {
    let refreshes = 0;
    const idToken = async (options?: { forceRefresh?: boolean }) => (options?.forceRefresh ? `fresh-${++refreshes}` : 'stale');
    reply = () => ({ status: 401, body: { message: 'Unauthorized' } });
    await expect(createChatApi(base, idToken).createTicket()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(requests).toHaveLength(2);
    expect(refreshes).toBe(1);
  });

  it('rejects responses that do not match the protocol', async () => {
    reply = () => ({ status: 200, body: { messages: 'nope' } });
    await expect(api().getMessages('general')).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('refuses to call without a session', async () => {
    const error = await createChatApi(base, async () => undefined).createTicket().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatError);
    expect(requests).toHaveLength(0);
  });
});
