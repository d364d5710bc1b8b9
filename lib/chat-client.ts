/**
 * The browser's real-time link: one-time ticket → WebSocket → typed frames → events, with reconnects.
 * Framework-free so it runs in Node tests against a real server: the socket constructor, the ticket
 * source, timers and randomness are all injected.
 */
import { ulid } from 'ulid';
import { ChatError, parseBody, toErrorFrame } from './chat-error';
import { Action, ErrorCode, LIMITS, serverFrameSchema, type ChatMessage, type ErrorFrame, type ServerFrame } from './protocol';

/** What the UI shows: first connect, live, trying again after a drop, or stopped for good. */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

// Bivariant handler type, so both the DOM WebSocket and the `ws` package fit SocketLike.
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** The part of the WebSocket API this client uses. */
export interface SocketLike {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number }> | null;
  onerror: Handler<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type SocketConstructor = new (url: string) => SocketLike;

/** Timer functions (injectable so tests can observe or speed up delays). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Events and their payloads. `invalidFrame` carries a reason, never the frame's content. */
export interface ChatClientEvents {
  status: ConnectionStatus;
  message: ChatMessage;
  ack: Extract<ServerFrame, { type: 'ack' }>;
  error: ErrorFrame;
  retry: { attempt: number; delayMs: number };
  invalidFrame: string;
}

export interface ChatClientOptions {
  webSocketUrl: string;
  roomId: string;
  /** Returns a FRESH one-time ticket; called before every connect. */
  fetchTicket: () => Promise<string>;
  WebSocket?: SocketConstructor;
  timers?: Timers;
  random?: () => number;
  backoff?: { initialMs?: number; maxMs?: number; factor?: number };
  /** Ping interval that keeps API Gateway's 10-minute idle timer from closing the socket; 0 turns it off. */
  heartbeatMs?: number;
  /** How long `send` waits for the server's ack. */
  ackTimeoutMs?: number;
  now?: () => number;
}

const OPEN = 1;
/** A socket that stayed open this long counts as healthy: the next drop starts backoff from scratch. */
const STABLE_MS = 10_000;

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, with "equal jitter". */
export function backoffDelay(attempt: number, random: () => number, opts: ChatClientOptions['backoff'] = {}): number {
  const { initialMs = 500, maxMs = 30_000, factor = 2 } = opts;
  const base = Math.min(maxMs, initialMs * factor ** attempt);
  // Half fixed, half random: delays still grow, yet many clients dropped together do not retry in lockstep.
  return Math.round(base / 2 + random() * (base / 2));
}

interface Pending {
  resolve(message: ChatMessage): void;
  reject(error: ChatError): void;
  timer: unknown;
}

/** One room's live connection. Call `connect()`, listen with `on()`, `send()` messages, `close()` to stop. */
export class ChatClient {
  private readonly listeners = new Map<keyof ChatClientEvents, Set<(payload: never) => void>>();
  private readonly pending = new Map<string, Pending>();
  private readonly Socket: SocketConstructor;
  private readonly timers: Timers;
  private socket: SocketLike | undefined;
  private generation = 0;
  private attempt = 0;
  private stopped = true;
  private everOpened = false;
  private openedAt = 0;
  private retryTimer: unknown;
  private heartbeatTimer: unknown;
  private currentStatus: ConnectionStatus = 'closed';
  /** Frames that were not valid protocol frames (counted, not kept). */
  invalidFrames = 0;

  constructor(private readonly options: ChatClientOptions) {
    const Socket = options.WebSocket ?? (globalThis as { WebSocket?: SocketConstructor }).WebSocket;
    if (!Socket) throw new Error('No WebSocket implementation: pass options.WebSocket');
    this.Socket = Socket;
    this.timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) };
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof ChatClientEvents>(type: K, listener: (payload: ChatClientEvents[K]) => void): () => void {
    const set = this.listeners.get(type) ?? new Set();
    this.listeners.set(type, set);
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  /** Starts connecting (no-op while already connecting or open). */
  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    void this.open();
  }

  /** Skips the remaining backoff wait, e.g. when the browser reports it is back online. */
  retryNow(): void {
    if (this.stopped || this.retryTimer === undefined) return;
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.open();
  }

  /**
   * Sends a message; resolves with the stored message once the server acks it. Rejects with a
   * ChatError for an invalid body, when not connected, on a matching error frame, a drop or a timeout.
   */
  async send(body: string): Promise<ChatMessage> {
    const text = parseBody(body);
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN || this.currentStatus !== 'open') {
      throw new ChatError(ErrorCode.NotConnected, 'Not connected right now; your message will be sendable once the connection is back');
    }
    const clientMessageId = ulid();
    const accepted = new Promise<ChatMessage>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(clientMessageId);
        reject(new ChatError(ErrorCode.Internal, 'The server has not confirmed your message; check the conversation before resending'));
      }, this.options.ackTimeoutMs ?? 30_000);
      this.pending.set(clientMessageId, { resolve, reject, timer });
    });
    socket.send(JSON.stringify({ action: Action.SendMessage, body: text, clientMessageId }));
    return accepted;
  }

  /** Closes the socket and stops reconnecting (sign-out, leaving the room). */
  close(): void {
    this.stopped = true;
    this.generation++;
    this.clearTimers();
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000, 'client closed');
    this.failPending('The connection was closed before your message was confirmed');
    this.setStatus('closed');
  }

  private async open(): Promise<void> {
    const generation = ++this.generation;
    this.setStatus(this.everOpened || this.attempt > 0 ? 'reconnecting' : 'connecting');
    let ticket: string;
    try {
      ticket = await this.options.fetchTicket();
    } catch (error) {
      if (generation !== this.generation) return;
      // Typed failures (e.g. UNAUTHORIZED) deserve words on screen; network blips just retry.
      if (error instanceof ChatError) this.emit('error', toErrorFrame(error));
      this.scheduleRetry();
      return;
    }
    if (generation !== this.generation) return;
    const socket = new this.Socket(this.url(ticket));
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.everOpened = true;
      this.openedAt = this.now();
      this.setStatus('open');
      this.scheduleHeartbeat();
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(event.data);
    };
    socket.onerror = () => {}; // A close event always follows; the retry lives there.
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.clearTimers();
      this.failPending('The connection dropped before your message was confirmed; check the conversation before resending');
      if (this.openedAt && this.now() - this.openedAt >= STABLE_MS) this.attempt = 0;
      this.openedAt = 0;
      this.scheduleRetry();
    };
  }

  private url(ticket: string): string {
    const url = new URL(this.options.webSocketUrl);
    url.searchParams.set('ticket', ticket);
    url.searchParams.set('room', this.options.roomId);
    return url.toString();
  }

  private receive(data: unknown): void {
    let json: unknown;
    try {
      json = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return this.invalid('not JSON');
    }
    const parsed = serverFrameSchema.safeParse(json);
    if (!parsed.success) return this.invalid('not a known frame');
    const frame = parsed.data;
    if (frame.type === 'message') this.emit('message', frame.message);
    else if (frame.type === 'ack') {
      this.settle(frame.clientMessageId, (p) => p.resolve(frame.message));
      this.emit('ack', frame);
      this.emit('message', frame.message);
    } else if (frame.type === 'error') {
      this.settle(frame.clientMessageId, (p) => p.reject(new ChatError(asCode(frame.code), frame.message)));
      this.emit('error', frame);
    }
  }

  private invalid(reason: string): void {
    this.invalidFrames++;
    this.emit('invalidFrame', reason);
  }

  private settle(clientMessageId: string | undefined, fn: (pending: Pending) => void): void {
    const pending = clientMessageId ? this.pending.get(clientMessageId) : undefined;
    if (!pending || !clientMessageId) return;
    this.pending.delete(clientMessageId);
    this.timers.clearTimeout(pending.timer);
    fn(pending);
  }

  private failPending(message: string): void {
    for (const [id, pending] of this.pending) this.settle(id, (p) => p.reject(new ChatError(ErrorCode.NotConnected, message)));
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delayMs = backoffDelay(this.attempt, this.options.random ?? Math.random, this.options.backoff);
    this.attempt++;
    this.setStatus('reconnecting');
    this.emit('retry', { attempt: this.attempt, delayMs });
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = undefined;
      void this.open();
    }, delayMs);
  }

  private scheduleHeartbeat(): void {
    const every = this.options.heartbeatMs ?? LIMITS.idleTimeoutMs / 2;
    if (!every) return;
    this.heartbeatTimer = this.timers.setTimeout(() => {
      if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify({ action: Action.Ping }));
      this.scheduleHeartbeat();
    }, every);
  }

  private clearTimers(): void {
    if (this.retryTimer !== undefined) this.timers.clearTimeout(this.retryTimer);
    if (this.heartbeatTimer !== undefined) this.timers.clearTimeout(this.heartbeatTimer);
    this.retryTimer = this.heartbeatTimer = undefined;
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    this.emit('status', status);
  }

  private emit<K extends keyof ChatClientEvents>(type: K, payload: ChatClientEvents[K]): void {
    for (const listener of this.listeners.get(type) ?? []) (listener as (p: ChatClientEvents[K]) => void)(payload);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));
function asCode(code: string): ErrorCode {
  return KNOWN_CODES.has(code) ? (code as ErrorCode) : ErrorCode.Internal;
}
