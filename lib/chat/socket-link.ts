/**
 * One WebSocket from open to end: parses server frames, keeps itself alive with pings (and notices when
 * nobody answers), and reports its end exactly once — whether the close event comes, never comes (a
 * half-open TCP connection), or the client gives up on it.
 */
import { Action, serverFrameSchema, type ServerFrame } from '../protocol';
import { SOCKET_OPEN, type SocketConstructor, type SocketLike, type Timers } from './socket';

/** What a link reports to its owner. */
export interface LinkHandlers {
  opened(link: SocketLink): void;
  frame(link: SocketLink, frame: ServerFrame): void;
  /** A frame that is not a protocol frame; the reason only, never the content. */
  invalid(reason: string): void;
  ended(link: SocketLink, code: number): void;
}

/** Ping every `intervalMs` (0 = never); no frame at all within `timeoutMs` after a ping = dead socket. */
export interface HeartbeatOptions {
  intervalMs: number;
  timeoutMs: number;
}

const PING = JSON.stringify({ action: Action.Ping });
/** Close code (application range) for "the server stopped answering pings". */
export const CLOSE_NO_HEARTBEAT = 4000;

/** A socket plus its heartbeat. Frames are parsed here so the owner only sees typed frames. */
export class SocketLink {
  private readonly socket: SocketLike;
  private done = false;
  private timers: { heartbeat?: unknown; deadline?: unknown; close?: unknown } = {};
  /** When the socket opened (0 until then). */
  openedAt = 0;

  constructor(
    Socket: SocketConstructor,
    url: string,
    private readonly clock: Timers & { now(): number },
    private readonly heartbeat: HeartbeatOptions,
    private readonly handlers: LinkHandlers,
  ) {
    const socket = new Socket(url);
    this.socket = socket;
    socket.onopen = () => {
      // Stryker disable next-line ConditionalExpression: equivalent — a socket closed while connecting never opens (ws and browsers alike).
      if (this.done) return;
      this.openedAt = clock.now();
      this.scheduleHeartbeat();
      handlers.opened(this);
    };
    socket.onmessage = (event) => {
      if (!this.done) this.receive(event.data);
    };
    socket.onerror = () => {}; // A close event always follows an error; the end is handled there.
    socket.onclose = (event) => this.finish(event.code);
  }

  /** True while frames can be sent. */
  get isOpen(): boolean {
    return !this.done && this.socket.readyState === SOCKET_OPEN;
  }

  /** Sends a frame; false when the socket is not open. */
  send(frame: string): boolean {
    if (!this.isOpen) return false;
    this.socket.send(frame);
    return true;
  }

  /** Gives up on the socket now: later frames are ignored and the end is reported at once. */
  end(code = 1000, reason = 'client closed'): void {
    // Stryker disable next-line ConditionalExpression: equivalent — closing a closed socket again is a no-op, and finish() reports once.
    if (this.done) return;
    this.closeQuietly(code, reason);
    this.finish(code);
  }

  /** Closes gracefully: frames already on their way still arrive; the end comes with the close, or after `graceMs`. */
  close(graceMs: number, code = 1000, reason = 'client closed'): void {
    // Stryker disable next-line ConditionalExpression: equivalent — on an ended link it only closes a closed socket and sets a timer whose finish() is a no-op.
    if (this.done) return;
    this.stopHeartbeat();
    this.closeQuietly(code, reason);
    this.timers.close = this.clock.setTimeout(() => this.finish(code), graceMs);
  }

  private receive(data: unknown): void {
    // Any frame is an answer: the pending deadline goes (a ping sets it only when none is pending, so there is one).
    this.clock.clearTimeout(this.timers.deadline);
    this.timers.deadline = undefined;
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      return this.handlers.invalid('not JSON');
    }
    const parsed = serverFrameSchema.safeParse(json);
    if (!parsed.success) return this.handlers.invalid('not a known frame');
    this.handlers.frame(this, parsed.data);
  }

  private scheduleHeartbeat(): void {
    const { intervalMs, timeoutMs } = this.heartbeat;
    if (!intervalMs) return;
    this.timers.heartbeat = this.clock.setTimeout(() => {
      this.send(PING);
      // One deadline at a time: a ping sent while an earlier one is unanswered must not push it back (nor leave a
      // second deadline that an answer would not clear).
      if (this.timers.deadline === undefined) {
        this.timers.deadline = this.clock.setTimeout(() => {
          this.timers.deadline = undefined;
          this.end(CLOSE_NO_HEARTBEAT, 'No answer to ping');
        }, timeoutMs);
      }
      this.scheduleHeartbeat();
    }, intervalMs);
  }

  private stopHeartbeat(): void {
    this.clock.clearTimeout(this.timers.heartbeat);
    this.clock.clearTimeout(this.timers.deadline);
    this.timers.heartbeat = this.timers.deadline = undefined;
  }

  private closeQuietly(code: number, reason: string): void {
    try {
      this.socket.close(code, reason);
    } catch {
      // Closing a socket that is already closing is not an error worth reporting.
    }
  }

  private finish(code: number): void {
    if (this.done) return;
    this.done = true;
    this.stopHeartbeat();
    this.clock.clearTimeout(this.timers.close);
    this.handlers.ended(this, code);
  }
}
