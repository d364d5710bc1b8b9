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
import type { SocketConstructor, SocketLike } from './socket';

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

/**
 * A network that loses or repeats what comes back to the client: real `ws` sockets whose incoming frames pass `drop`
 * first (a dropped frame is kept in `dropped`); `repeat` delivers a frame again on the newest socket; while
 * `loseClose` is set, close events never arrive (a half-open connection).
 */
export function lossyNetwork() {
  const net = {
    drop: (_frame: Record<string, unknown>) => false,
    dropped: [] as Record<string, unknown>[],
    received: [] as string[],
    sockets: [] as LossySocket[],
    loseClose: false,
    repeat: (data: string) => net.sockets.at(-1)!.onmessage?.({ data }),
  };
  class LossySocket implements SocketLike {
    private readonly ws: WebSocket;
    onopen: SocketLike['onopen'] = null;
    onmessage: SocketLike['onmessage'] = null;
    onclose: SocketLike['onclose'] = null;
    onerror: SocketLike['onerror'] = null;
    constructor(url: string) {
      this.ws = new WebSocket(url);
      net.sockets.push(this);
      this.ws.onopen = (event) => this.onopen?.(event);
      this.ws.onerror = (event) => this.onerror?.(event);
      this.ws.onclose = (event) => net.loseClose || this.onclose?.(event);
      this.ws.onmessage = (event) => {
        const data = String(event.data);
        if (net.drop(parsed(data))) return void net.dropped.push(parsed(data));
        net.received.push(data);
        this.onmessage?.({ data: event.data });
      };
    }
    /** The real socket's state (CLOSED once its close event came, even if the client never heard it). */
    get closed() {
      return this.ws.readyState === WebSocket.CLOSED;
    }
    get readyState() {
      return this.ws.readyState;
    }
    send(data: string) {
      this.ws.send(data);
    }
    close(code?: number, reason?: string) {
      this.ws.close(code, reason);
    }
  }
  return { net, Socket: LossySocket as SocketConstructor };
}

/** A frame's JSON, or {} for what is not JSON (a drop rule then sees no fields). */
function parsed(data: string): Record<string, unknown> {
  try {
    return JSON.parse(data) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * Virtual time for timers and `now()`: nothing runs until `advance(ms)`, which runs every timer due by then in time
 * order (including ones they set), so "not yet" and "exactly then" are both testable without sleeping.
 */
export function virtualClock() {
  let now = 0;
  let next = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => {
      due.set(++next, { at: now + ms, fn });
      return next;
    },
    clearTimeout: (handle: unknown) => void due.delete(handle as number),
    /** Timers waiting to run. */
    pending: () => due.size,
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const [first] = [...due].filter(([, t]) => t.at <= end).sort(([a, x], [b, y]) => x.at - y.at || a - b);
        if (!first) break;
        due.delete(first[0]);
        now = first[1].at;
        first[1].fn();
      }
      now = end;
    },
  };
}

/** Waits for something real sockets do (a bound, not an assertion about time). */
export async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The server side's close of `socket`: code and reason. */
export async function closeOf(socket: WebSocket): Promise<{ code: number; reason: string }> {
  const [code, reason] = (await once(socket, 'close')) as [number, Buffer];
  return { code, reason: String(reason) };
}
