/**
 * One simulated person for the chaos test: the REAL browser tab state (ChatSession: one ChatClient socket for all
 * of the person's rooms, a RoomFeed per room, the sidebar's RoomList with its unread counts, the HTTP API client)
 * in Node, with `ws` as its WebSocket and a jose-signed ID token. The tab is "hidden" (never marks rooms read by
 * itself), so the test decides every read position. The WebSocket constructor is wrapped only to remember the
 * sockets it made, so the test can cut one from the client side.
 */
import { decodeTime } from 'ulid';
import { WebSocket } from 'ws';
import type { TestStack, TestUser } from '../../amplify/local/testing';
import { createChatApi, type ChatApi } from '../../lib/api';
import { ChatSession } from '../../lib/chat/chat-session';
import type { RoomFeed } from '../../lib/chat/room-feed';
import type { ChatMessage } from '../../lib/protocol';

/** A person in several rooms and everything the test counts about them. */
export interface ChaosUser {
  readonly user: TestUser;
  readonly rooms: readonly string[];
  readonly session: ChatSession;
  /** clientMessageId → the message the ack carried. */
  readonly acked: Map<string, ChatMessage>;
  /** clientMessageIds of every send started. */
  readonly sent: string[];
  /** Longest time from a message's id (its store time) to its live arrival here: what the gap-fill overlap must cover. */
  readonly lag: { maxMs: number };
  /** The feed of one of the person's rooms. */
  feed(roomId: string): RoomFeed;
  /** Sends and resolves on the ack (the outbox retries across drops and rate limits). */
  send(roomId: string, body: string, clientMessageId: string): Promise<ChatMessage>;
  /** Moves the read position of `roomId` to the newest message held there (as another tab of theirs would). */
  markRead(roomId: string): boolean;
  /** Terminates the newest open socket from the client side (no close handshake); false if none is open. */
  cutSocket(): boolean;
  stop(): void;
}

/**
 * What every simulated tab is made of: the HTTP API client with an ID token signed once (and again on a forced
 * refresh, as Amplify would; tokens live an hour), and a WebSocket class that remembers its open sockets so the
 * test can terminate the newest from the client side (no close handshake; false if none is open).
 */
export function tabParts(stack: TestStack, user: TestUser): { api: ChatApi; TrackedWebSocket: new (url: string) => WebSocket; cutNewest: () => boolean } {
  let token: Promise<string> | undefined;
  const idToken = (options?: { forceRefresh?: boolean }) => (!token || options?.forceRefresh ? (token = stack.tokenFor(user)) : token);
  const sockets: WebSocket[] = [];
  class TrackedWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
      this.once('close', () => sockets.splice(sockets.indexOf(this), 1));
    }
  }
  const cutNewest = () => {
    const open = sockets.filter((s) => s.readyState === WebSocket.OPEN);
    open.at(-1)?.terminate();
    return open.length > 0;
  };
  return { api: createChatApi(stack.gateway.httpUrl, idToken), TrackedWebSocket, cutNewest };
}

/** Creates a person whose rooms (already joined through the API) are `rooms`; starts their session. */
export function chaosUser(stack: TestStack, user: TestUser, rooms: readonly string[], random: () => number): ChaosUser {
  const { api, TrackedWebSocket, cutNewest } = tabParts(stack, user);
  const session = new ChatSession({
    api,
    webSocketUrl: stack.gateway.webSocketUrl,
    selfId: user.sub,
    // Local round trips are milliseconds: a shorter backoff keeps the run short without changing its shape.
    client: { WebSocket: TrackedWebSocket, random, backoff: { initialMs: 200, maxMs: 3_000 } },
  });
  session.setVisible(false);
  session.start();
  // Every room held like a tab that visited each once: a feed per room, live frames for all of them on one socket.
  for (const roomId of rooms) session.open(roomId);
  const acked = new Map<string, ChatMessage>();
  const sent: string[] = [];
  const lag = { maxMs: 0 };
  session.client.on('message', (m) => (lag.maxMs = Math.max(lag.maxMs, Date.now() - decodeTime(m.messageId))));
  const feed = (roomId: string) => session.room(roomId)!.feed;
  return {
    user,
    rooms,
    session,
    acked,
    sent,
    lag,
    feed,
    async send(roomId, body, clientMessageId) {
      sent.push(clientMessageId);
      const message = await session.client.send(roomId, body, clientMessageId);
      acked.set(clientMessageId, message);
      return message;
    },
    markRead(roomId) {
      const newest = feed(roomId).log.newest();
      return !!newest && session.client.markRead(roomId, newest.messageId);
    },
    cutSocket: cutNewest,
    stop() {
      session.close();
    },
  };
}
