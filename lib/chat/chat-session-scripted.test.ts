/**
 * ChatSession and frames the real server sends only in rare moments (a second page of who is online, a refusal for
 * a room whose removal the socket missed): the socket is a real `ws` server that plays them on cue
 * (lib/chat/test-server.ts), the HTTP API is the real local stack. Each frame is one the real server can send.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack, type TestUser } from '../../amplify/local/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { WebSocket } from 'ws';
import { createChatApi } from '../api';
import { ErrorCode, Paths } from '../protocol';
import { ChatSession } from './chat-session';
import { startTestServer, until, type TestServer } from './test-server';

let stack: TestStack;
let server: TestServer;
const sessions: ChatSession[] = [];
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  for (const s of sessions.splice(0)) s.close();
  await server.stop();
});

/** A started tab of `user`: the real API, its socket on the scripted server; resolves once both are up. */
async function tab(user: TestUser): Promise<ChatSession> {
  const api = createChatApi(stack.gateway.httpUrl, () => stack.tokenFor(user));
  const session = new ChatSession({ api, webSocketUrl: server.url, selfId: user.sub, client: { WebSocket, backoff: { initialMs: 50, maxMs: 500 } } });
  sessions.push(session);
  session.start();
  await until(() => session.status === 'open' && session.list.loaded, 10_000);
  return session;
}

/** Sends a server frame to every open socket. */
const push = (frame: Record<string, unknown>) => server.open().forEach((socket) => socket.send(JSON.stringify(frame)));

/** `user` as a member of a new public room; its id. */
async function memberRoom(user: TestUser, roomId: string): Promise<string> {
  await stack.publicRoom(testUser(`${roomId}-owner`), roomId);
  expect((await stack.as(user, Paths.membership(roomId), { method: 'PUT' })).status).toBe(200);
  return roomId;
}

describe('ChatSession and rare server frames', () => {
  it("reads every page of who is online, following each page's cursor and stopping at the last", async () => {
    const ada = { userId: 'user-ada', displayName: 'Ada' };
    const bea = { userId: 'user-bea', displayName: 'Bea' };
    server.onFrame = (socket, frame) => {
      if (frame.action !== 'presence') return 'default';
      const page = frame.cursor === 'page-2' ? { users: [bea], nextCursor: null } : { users: [ada], nextCursor: 'page-2' };
      socket.send(JSON.stringify({ type: 'presenceList', roomId: frame.roomId, ...page }));
    };
    const t = await tab(testUser('PagesOnline'));
    const cursors: unknown[] = [];
    const original = t.client.requestPresence.bind(t.client);
    t.client.requestPresence = (roomId, cursor) => (cursors.push(cursor), original(roomId, cursor));
    const room = t.open('general');
    await until(() => room.online.size === 2);
    expect([...room.online.keys()].sort()).toEqual(['user-ada', 'user-bea']);
    expect(t.nameOf('user-bea')).toBe('Bea');
    expect(cursors).toContain('page-2');
    expect(cursors).not.toContain(null); // the last page asks for nothing more
  });

  it('a refusal for a room the socket missed the removal of drops it; refusals about a message stay on it; others are words', async () => {
    const user = testUser('Missed');
    const [kept, dropped] = [await memberRoom(user, 'missed-kept'), await memberRoom(user, 'missed-dropped')];
    const t = await tab(user);
    const keptRoom = t.open(kept);
    t.open(dropped);
    t.open('general');
    expect(t.room(dropped)).toBeDefined();
    await until(() => t.client.subscriptions.includes(dropped));
    push({ type: 'error', code: ErrorCode.NotFound, message: 'Room not found', roomId: kept, clientMessageId: 'c-1' });
    push({ type: 'error', code: ErrorCode.NotFound, message: 'Room not found', roomId: dropped });
    await until(() => t.room(dropped) === undefined);
    expect(t.client.subscriptions).not.toContain(dropped);
    expect([t.list.has(dropped), t.list.has(kept)]).toEqual([false, true]); // no longer theirs: out of the list too
    expect([t.room(kept), t.client.subscriptions.includes(kept), t.error]).toEqual([keptRoom, true, undefined]);

    // A subscription refused for another reason (a malformed id) is not a lost room.
    push({ type: 'subscribed', roomIds: [], refused: [{ roomId: kept, code: ErrorCode.BadRoom, message: 'Invalid room' }] });
    push({ type: 'error', code: ErrorCode.RateLimited, message: 'Slow down', roomId: kept, ref: 'r-42' });
    await until(() => t.error !== undefined);
    expect(t.error).toBe('Slow down (ref r-42)');
    expect([t.room(kept), t.outdated]).toEqual([keptRoom, false]);
  });

  it('the open room refused (not found): a private one shows not-found, a public one goes back to what the server says', async () => {
    const user = testUser('OpenRefused');
    const secret = await stack.privateRoom(user, 'mine for now');
    const pub = await memberRoom(user, 'open-refused');
    server.onFrame = (socket, frame) => {
      if (frame.action !== 'presence') return 'default';
      socket.send(JSON.stringify({ type: 'presenceList', roomId: frame.roomId, users: [{ userId: user.sub, displayName: 'OpenRefused' }], nextCursor: null }));
    };
    const t = await tab(user);
    const room = t.open(secret);
    await until(() => room.online.size === 1 && room.access.state === 'member');
    push({ type: 'subscribed', roomIds: [], refused: [{ roomId: secret, code: ErrorCode.NotFound, message: 'Room not found' }] });
    await until(() => room.access.state === 'not-found');
    expect([room.online.size, t.room(secret)]).toEqual([0, room]);

    const open = t.open(pub);
    await until(() => open.online.size === 1 && open.access.state === 'member');
    push({ type: 'error', code: ErrorCode.NotFound, message: 'Room not found', roomId: pub });
    await until(() => open.online.size === 0);
    await until(() => open.access.state === 'member'); // read again from the server: still a member
    expect(t.room(pub)).toBe(open);
  });

  it('a live message older than the newest one the room list counted: only the server can count it, so the list is read again', async () => {
    const user = testUser('Uncertain');
    const roomId = await memberRoom(user, 'uncertain-room');
    expect((await stack.as(user, Paths.roomMessages(roomId), { method: 'POST', body: { body: 'the newest counted' } })).status).toBe(201);
    const t = await tab(user);
    expect(t.list.get(roomId)?.lastMessage?.body).toBe('the newest counted');
    let reads = 0;
    const original = t.api.myRooms;
    t.api.myRooms = () => (reads++, original());
    // Ids are taken before storing: a message stored late can carry an id below what the server already counted.
    const late = { roomId, messageId: ulid(Date.now() - 60_000), authorId: 'user-late', authorName: 'Late', body: 'stored late', createdAt: new Date(Date.now() - 60_000).toISOString() };
    push({ type: 'message', message: late });
    await until(() => reads === 1);
    expect(t.list.uncertain).toBe(false);
  });

  it('an outdated-client frame asks for a reload instead of showing an error', async () => {
    const t = await tab(testUser('OutdatedFrame'));
    push({ type: 'error', code: ErrorCode.ClientOutdated, message: 'A new version is available — reload' });
    await until(() => t.outdated);
    expect(t.error).toBeUndefined();
  });
});
