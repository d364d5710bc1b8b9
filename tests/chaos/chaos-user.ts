/**
 * One simulated person for the chaos test: the REAL browser code (ChatClient + RoomFeed + the HTTP API
 * client) in Node, with `ws` as its WebSocket and a jose-signed ID token. The WebSocket constructor is
 * wrapped only to remember the sockets it made, so the test can cut one from the client side.
 */
import { decodeTime } from 'ulid';
import { WebSocket } from 'ws';
import type { TestStack, TestUser } from '../../amplify/local/testing';
import { createChatApi } from '../../lib/api';
import { ChatClient } from '../../lib/chat-client';
import { RoomFeed } from '../../lib/chat/room-feed';
import type { ChatMessage } from '../../lib/protocol';

/** A person in the room and everything the test counts about them. */
export interface ChaosUser {
  readonly user: TestUser;
  readonly client: ChatClient;
  readonly feed: RoomFeed;
  /** clientMessageId → the message the ack carried. */
  readonly acked: Map<string, ChatMessage>;
  /** clientMessageIds of every send started. */
  readonly sent: string[];
  /** Longest time from a message's id (its store time) to its live arrival here: what the gap-fill overlap must cover. */
  readonly lag: { maxMs: number };
  /** Sends and resolves on the ack (the outbox retries across drops and rate limits). */
  send(body: string, clientMessageId: string): Promise<ChatMessage>;
  /** Terminates the newest open socket from the client side (no close handshake); false if none is open. */
  cutSocket(): boolean;
  stop(): void;
}

/** Creates and connects a user (call `feed.idle()` / wait for 'open' as needed). */
export function chaosUser(stack: TestStack, user: TestUser, roomId: string, random: () => number): ChaosUser {
  let token: Promise<string> | undefined;
  // Tokens live an hour; sign once (and again on a forced refresh) as Amplify would.
  const idToken = (options?: { forceRefresh?: boolean }) => (!token || options?.forceRefresh ? (token = stack.tokenFor(user)) : token);
  const api = createChatApi(stack.gateway.httpUrl, idToken);
  const sockets: WebSocket[] = [];
  class TrackedWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
      this.once('close', () => sockets.splice(sockets.indexOf(this), 1));
    }
  }
  const client = new ChatClient({
    webSocketUrl: stack.gateway.webSocketUrl,
    roomId,
    WebSocket: TrackedWebSocket,
    fetchTicket: async () => (await api.createTicket()).ticket,
    random,
    // Local round trips are milliseconds: a shorter backoff keeps the run short without changing its shape.
    backoff: { initialMs: 200, maxMs: 3_000 },
  });
  // 30 pages instead of the browser's 10: this room runs at ~30 messages/s with deliveries up to ~8 s late,
  // so one read-back (gap + the 30 s overlap) can exceed 1,000 messages; the capped path is unit-tested.
  const feed = new RoomFeed(client, (options) => api.getMessages(roomId, options), { maxPages: 30 });
  const acked = new Map<string, ChatMessage>();
  const sent: string[] = [];
  const lag = { maxMs: 0 };
  client.on('message', (m) => (lag.maxMs = Math.max(lag.maxMs, Date.now() - decodeTime(m.messageId))));
  feed.start();
  client.connect();
  return {
    user,
    client,
    feed,
    acked,
    sent,
    lag,
    async send(body, clientMessageId) {
      sent.push(clientMessageId);
      const message = await client.send(body, clientMessageId);
      acked.set(clientMessageId, message);
      return message;
    },
    cutSocket() {
      const open = sockets.filter((s) => s.readyState === WebSocket.OPEN);
      open.at(-1)?.terminate();
      return open.length > 0;
    },
    stop() {
      feed.stop();
      client.close();
    },
  };
}
