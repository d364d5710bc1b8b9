/**
 * Test helper (imported only by tests): a real `ws` server on 127.0.0.1:0 playing API Gateway + the
 * handlers closely enough for client tests — ticket check at the handshake, ack per clientMessageId
 * (idempotent, like the real server), pong, presence — with hooks to drop, refuse or misbehave.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { monotonicFactory } from 'ulid';
import { WebSocket, WebSocketServer } from 'ws';
import type { ChatMessage } from '../protocol';

/** What a client frame handler may answer: 'default' lets the server play its normal part. */
export type FrameHandler = (socket: WebSocket, frame: ClientFrame) => 'default' | void;

/** A client frame as the server sees it (fields by action). */
export interface ClientFrame {
  [key: string]: unknown;
  action: string;
  roomId?: string;
  roomIds?: string[];
  body?: string;
  clientMessageId?: string;
}

/** A running test server. */
export interface TestServer {
  readonly url: string;
  /** Each handshake's ticket and room, in order. */
  readonly handshakes: { ticket: string | null; room: string | null }[];
  /** Every frame each socket received (index = handshake order of accepted sockets). */
  readonly received: { socket: WebSocket; frames: Record<string, unknown>[] }[];
  /** Messages stored by clientMessageId (a retry returns the stored one). */
  readonly stored: Map<string, ChatMessage>;
  /** Handshakes are refused with 401 while true. */
  refuse: boolean;
  /** Handshakes get no answer at all while true (a request lost in an outage). */
  hang: boolean;
  /** Overrides the reply to client frames. */
  onFrame: FrameHandler;
  /** Open sockets, oldest first. */
  open(): WebSocket[];
  /** Resolves with the next accepted socket. */
  nextConnection(): Promise<WebSocket>;
  stop(): Promise<void>;
}

const nextId = monotonicFactory();

/** Starts the server; stop it in afterEach. */
export async function startTestServer(): Promise<TestServer> {
  const hung: ((accept: boolean, status?: number) => void)[] = [];
  const server: TestServer = {
    url: '',
    handshakes: [],
    received: [],
    stored: new Map(),
    refuse: false,
    hang: false,
    onFrame: () => 'default',
    open: () => [...wss.clients].filter((s) => s.readyState === WebSocket.OPEN),
    nextConnection: async () => (await once(wss, 'connection'))[0] as WebSocket,
    stop: async () => {
      for (const done of hung.splice(0)) done(false, 503);
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (info, done) => {
      const query = new URL(info.req.url ?? '/', 'http://x').searchParams;
      server.handshakes.push({ ticket: query.get('ticket'), room: query.get('room') });
      if (server.hang) hung.push(done);
      else done(!server.refuse, 401);
    },
  });
  wss.on('connection', (socket) => {
    const log = { socket, frames: [] as Record<string, unknown>[] };
    server.received.push(log);
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as ClientFrame;
      log.frames.push(frame);
      if (server.onFrame(socket, frame) === 'default') reply(server, socket, frame);
    });
  });
  await once(wss, 'listening');
  return Object.assign(server, { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/prod` });
}

function reply(server: TestServer, socket: WebSocket, frame: ClientFrame): void {
  if (frame.action === 'ping') return socket.send(JSON.stringify({ type: 'pong' }));
  if (frame.action === 'presence') return socket.send(JSON.stringify({ type: 'presenceList', roomId: frame.roomId, users: [], nextCursor: null }));
  if (frame.action === 'subscribe') return socket.send(JSON.stringify({ type: 'subscribed', roomIds: frame.roomIds, refused: [] }));
  if (frame.action !== 'sendMessage') return;
  const id = frame.clientMessageId ?? nextId();
  let message = server.stored.get(id);
  if (!message) {
    message = { roomId: frame.roomId ?? 'general', messageId: nextId(), authorId: 'u1', authorName: 'Ada', body: frame.body ?? '', createdAt: new Date().toISOString(), clientMessageId: id };
    server.stored.set(id, message);
  }
  socket.send(JSON.stringify({ type: 'ack', clientMessageId: frame.clientMessageId, message }));
}
