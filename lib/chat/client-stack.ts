/**
 * Test helper (imported only by tests): the client core on the real local stack (dynalite + gateway + the real
 * handlers). A reader is the real API client plus a real ChatClient (and a RoomFeed), a tab is a started ChatSession;
 * rooms can be seeded straight into the table; history requests can be recorded, held or failed at the HTTP boundary.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { monotonicFactory } from 'ulid';
import { WebSocket } from 'ws';
import { createChatApi, type ChatApi, type HistoryOptions } from '../api';
import { ChatClient } from '../chat-client';
import { Paths, type HistoryResponse } from '../protocol';
import { batchPut } from '../../amplify/chat/db';
import { newMessage, toItem } from '../../amplify/chat/messages';
import { MESSAGES_TABLE } from '../../amplify/chat/tables';
import { eventually, startTestStack, testUser, type TestStack, type TestUser } from '../../amplify/local/testing';
import type { GapFillOptions } from './gap-fill';
import type { SocketConstructor } from './socket';
import { ChatSession } from './chat-session';
import { RoomFeed, type ChangesPage } from './room-feed';

/** Waits for a condition driven by real sockets and requests (a bound, not an assertion about time). */
export const until = (check: () => boolean | Promise<boolean>, ms = 15_000) => eventually(check, ms);

/** A history page request as the test sees it; `intercept` may hold it (await) or fail it (throw). */
export type Intercept = (options: HistoryOptions) => void | Promise<void>;

/** Keeps `session` from getting a ticket (so its socket stays down) until the returned function is called. */
export function holdTickets(session: ChatSession): () => void {
  const original = session.api.createTicket;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  session.api.createTicket = async () => {
    await gate;
    return original();
  };
  return () => {
    session.api.createTicket = original;
    release();
  };
}

/** Reader, tab, room and message helpers bound to one test file's stack. */
export function clientStack(stack: TestStack) {
  const clients: ChatClient[] = [];
  const sessions: ChatSession[] = [];

  /**
   * A tab of `user` (a ChatSession on the real API and a real socket); `started` waits for its socket and room list.
   * `fetchFn` stands between the API client and the real HTTP gateway (an old build's requests, a network that fails).
   */
  async function tab(user: TestUser, started = true, fetchFn: typeof fetch = fetch): Promise<ChatSession> {
    const api = createChatApi(stack.gateway.httpUrl, () => stack.tokenFor(user), fetchFn);
    const session = new ChatSession({ api, webSocketUrl: stack.gateway.webSocketUrl, selfId: user.sub, client: { WebSocket, backoff: { initialMs: 50, maxMs: 500 } } });
    sessions.push(session);
    if (!started) return session;
    session.start();
    await until(() => session.status === 'open' && session.list.loaded);
    return session;
  }

  /** The real API client and ChatClient for `user` (not connected); `hold` keeps ticket fetches waiting. */
  function join(user: TestUser, roomId: string, idToken = () => stack.tokenFor(user), gapFill: GapFillOptions = { pageSize: 10 }, Socket: SocketConstructor = WebSocket) {
    const api: ChatApi = createChatApi(stack.gateway.httpUrl, idToken);
    let gate: Promise<void> | undefined;
    const client = new ChatClient({
      webSocketUrl: stack.gateway.webSocketUrl,
      WebSocket: Socket,
      fetchTicket: async () => {
        await gate;
        return (await api.createTicket()).ticket;
      },
      backoff: { initialMs: 50, maxMs: 500 },
    });
    clients.push(client);
    client.subscribe([roomId]);
    const feed = new RoomFeed(client, roomId, (options) => api.getMessages(roomId, options), gapFill);
    return { api, client, feed, hold: (until: Promise<void>) => (gate = until) };
  }

  /** `roomId`'s history through the real API, every request recorded (in order) and passed to `intercept` first. */
  function history(api: ChatApi, roomId: string) {
    const requests: HistoryOptions[] = [];
    const tap = {
      requests,
      intercept: undefined as Intercept | undefined,
      page: async (options: HistoryOptions): Promise<HistoryResponse> => {
        requests.push(options);
        await tap.intercept?.(options);
        return api.getMessages(roomId, options);
      },
    };
    return tap;
  }

  /** Posts as `user` through the HTTP API (201 expected). */
  async function post(user: TestUser, roomId: string, body: string) {
    const reply = await stack.api(Paths.roomMessages(roomId), { method: 'POST', token: await stack.tokenFor(user), body: { body } });
    expect(reply.status).toBe(201);
  }

  /** A public room of `name`'s owner; its id. */
  async function room(roomId: string, owner: TestUser) {
    const created = await stack.api(Paths.rooms, { method: 'POST', token: await stack.tokenFor(owner), body: { name: roomId, visibility: 'public' } });
    expect(created.status).toBe(201);
    return roomId;
  }

  /**
   * Writes `count` messages to `roomId` straight to the table, `stepMs` apart from `t0` (ids from their own clock), by
   * `by` (a name: someone new; or a test user); their ids.
   */
  async function seed(roomId: string, count: number, t0: number, by: string | TestUser = 'Seeder', stepMs = 1) {
    const author = typeof by === 'string' ? { userId: testUser(by).sub, displayName: by } : { userId: by.sub, displayName: by.preferred_username };
    const id = monotonicFactory();
    const at = (i: number) => t0 + i * stepMs;
    const seeded = Array.from({ length: count }, (_, i) => ({ ...newMessage({ roomId, author, body: `seeded ${i}` }, at(i)), messageId: id(at(i)) }));
    await batchPut(stack.dynamo.tableNames[MESSAGES_TABLE.envVar]!, seeded.map(toItem));
    return seeded.map((m) => m.messageId);
  }

  /** A public room of `name`'s owner holding `count` messages a minute old; the owner and the ids. */
  async function seededRoom(roomId: string, name: string, count = 230) {
    const owner = testUser(`${name}Owner`);
    await room(roomId, owner);
    return { owner, ids: await seed(roomId, count, Date.now() - 60_000, `${name}Writer`) };
  }

  /** A reader of a seeded room (230 messages) whose history requests are recorded, and what its feed reports; not started. */
  async function seededReader(roomId: string, gapFill: GapFillOptions = { pageSize: 10 }, changes?: ChangesPage) {
    const { owner, ids } = await seededRoom(roomId, roomId.replace(/-/g, ''));
    const { api, client } = join(owner, roomId);
    const tap = history(api, roomId);
    const feed = new RoomFeed(client, roomId, tap.page, gapFill, changes);
    const seen = { changes: 0, errors: [] as unknown[] };
    feed.on('change', () => seen.changes++);
    feed.on('error', (error) => seen.errors.push(error));
    return { ids, feed, tap, seen, api, client, owner };
  }

  /** Every stored message id of `roomId`, oldest first. */
  async function stored(roomId: string) {
    return (await stack.scan('MESSAGES_TABLE')).filter((m) => m.roomId === roomId).map((m) => String(m.messageId)).sort();
  }

  /** Closes every client and tab made here (afterAll). */
  const closeAll = () => {
    for (const client of clients.splice(0)) client.close();
    for (const session of sessions.splice(0)) session.close();
  };

  return { join, tab, history, post, room, seed, seededRoom, seededReader, stored, closeAll };
}

/**
 * A local stack and a client kit for the whole test file: started before its tests, every client closed and the stack
 * stopped after them. Read `stack` and `kit` inside tests (they are set once the file's `beforeAll` ran).
 */
export function useClientStack(): { readonly stack: TestStack; readonly kit: ReturnType<typeof clientStack> } {
  const ctx = {} as { stack: TestStack; kit: ReturnType<typeof clientStack> };
  beforeAll(async () => {
    ctx.stack = await startTestStack();
    ctx.kit = clientStack(ctx.stack);
  });
  afterAll(async () => {
    ctx.kit?.closeAll();
    await ctx.stack?.stop();
  });
  return ctx;
}
