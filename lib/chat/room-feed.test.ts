/**
 * The client stack end to end on the real local stack (dynalite + gateway + the real handlers): ChatClient
 * + RoomFeed + the real HTTP API client. A reader that was away during a gateway restart while others
 * kept posting reads everything back; a refused (expired) token is refreshed once.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack, type TestUser } from '../../amplify/local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createChatApi } from '../api';
import { ChatClient } from '../chat-client';
import { Paths } from '../protocol';
import { RoomFeed } from './room-feed';

let stack: TestStack;
const clients: ChatClient[] = [];
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  for (const client of clients) client.close();
  await stack?.stop();
});

const until = async (check: () => boolean | Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** The real API client and ChatClient for `user`; `gate` holds ticket fetches while it is set. */
function join(user: TestUser, roomId: string, idToken = () => stack.tokenFor(user)) {
  const api = createChatApi(stack.gateway.httpUrl, idToken);
  let gate: Promise<void> | undefined;
  const client = new ChatClient({
    webSocketUrl: stack.gateway.webSocketUrl,
    WebSocket,
    fetchTicket: async () => {
      await gate;
      return (await api.createTicket()).ticket;
    },
    backoff: { initialMs: 50, maxMs: 500 },
  });
  clients.push(client);
  client.subscribe([roomId]);
  const feed = new RoomFeed(client, roomId, (options) => api.getMessages(roomId, options), { pageSize: 10 });
  return { api, client, feed, hold: (until: Promise<void>) => (gate = until) };
}

const post = async (user: TestUser, roomId: string, body: string) => {
  const reply = await stack.api(Paths.roomMessages(roomId), { method: 'POST', token: await stack.tokenFor(user), body: { body } });
  expect(reply.status).toBe(201);
};

describe('RoomFeed on the real stack', () => {
  it('after a gateway restart, reads back everything posted while it was away: complete, ordered, no duplicates', async () => {
    const roomId = 'feed-restart';
    const readerUser = testUser('Reader');
    // Rooms exist once created; sending in a public room joins the sender.
    const created = await stack.api(Paths.rooms, { method: 'POST', token: await stack.tokenFor(readerUser), body: { name: roomId, visibility: 'public' } });
    expect(created.status).toBe(201);
    const reader = join(readerUser, roomId);
    reader.feed.start();
    reader.client.connect();
    await until(() => reader.client.status === 'open');
    const writers = [testUser('W1'), testUser('W2'), testUser('W3')];
    for (const w of writers) await post(w, roomId, `live from ${w.preferred_username}`);
    await until(() => reader.feed.log.size === 3);

    let release!: () => void;
    reader.hold(new Promise<void>((resolve) => (release = resolve)));
    await stack.restartGateway();
    await until(() => reader.client.status === 'reconnecting');
    // 45 messages (15 per writer: under the per-user rate limit) while the reader cannot get a ticket.
    for (let i = 0; i < 15; i++) for (const w of writers) await post(w, roomId, `missed ${i} by ${w.preferred_username}`);
    release();
    await until(() => reader.client.status === 'open' && reader.feed.log.size === 48);
    await reader.feed.idle();

    const stored = (await stack.scan('MESSAGES_TABLE')).filter((m) => m.roomId === roomId).map((m) => String(m.messageId)).sort();
    expect(reader.feed.log.list().map((m) => m.messageId)).toEqual(stored);
    expect(reader.feed.stats.incomplete).toBe(0);
    expect(reader.feed.stats.pages).toBeGreaterThanOrEqual(5); // 45 missed at 10 per page
    expect(reader.client.stats.reconnects).toBe(1);
    reader.feed.stop();
    reader.client.close();
  });

  it('a refused ID token is refreshed once, then the ticket and socket work', async () => {
    const user = testUser('Refresh');
    const asked: (boolean | undefined)[] = [];
    const idToken = async (options?: { forceRefresh?: boolean }) => {
      asked.push(options?.forceRefresh);
      return stack.tokenFor(user, options?.forceRefresh ? {} : { expiresIn: '-1m' });
    };
    const { client } = join(user, 'feed-refresh', idToken);
    client.connect();
    await until(() => client.status === 'open');
    expect(asked).toEqual([undefined, true]);
    client.close();
  });
});
