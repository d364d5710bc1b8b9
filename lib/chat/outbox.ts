/**
 * The outbox: every message from `send` until the server acks it. Each keeps its clientMessageId for
 * life, so a re-send after a drop, a timeout or a rate limit is recognised by the (idempotent) server
 * and answered with the ORIGINAL message instead of storing a second one.
 */
import { ulid } from 'ulid';
import { ChatError, withRef } from '../chat-error';
import { Action, ErrorCode, LIMITS, type ChatMessage, type ErrorFrame } from '../protocol';
import { backoffDelay, type BackoffOptions } from './backoff';
import type { Timers } from './socket';

/** queued: waits for an open socket; sent: awaits its ack; waiting: backs off after a retryable error. */
type State = 'queued' | 'sent' | 'waiting';

interface Entry {
  readonly clientMessageId: string;
  readonly roomId: string;
  readonly frame: string;
  readonly promise: Promise<ChatMessage>;
  readonly createdAt: number;
  state: State;
  /** The socket it last went out on: only that socket can still bring its ack. */
  link: unknown;
  /** Retryable failures so far (INTERNAL, ack timeouts); drops and rate limits are not the message's fault. */
  failures: number;
  rateLimited: number;
  timer: unknown;
  resolve(message: ChatMessage): void;
  reject(error: ChatError): void;
}

/** Settings of the outbox. */
export interface OutboxOptions {
  timers: Timers;
  now: () => number;
  random: () => number;
  /** Writes a frame on the current open socket and returns that socket, or undefined when none is open. */
  transmit(frame: string): unknown;
  /** Re-send when no ack arrived this long after sending. */
  ackTimeoutMs: number;
  /** Give up after this many retryable failures. */
  maxFailures: number;
  retryBackoff: BackoffOptions;
}

/** Counters for tests, benchmarks and diagnostics. */
export interface OutboxStats {
  transmissions: number;
  resends: number;
  rateLimited: number;
  ackTimeouts: number;
}

// Codes worth retrying with the same clientMessageId; anything else is final for this message.
const RETRY_LATER: ReadonlySet<string> = new Set([ErrorCode.Internal]);
const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));
/**
 * The server recognises a clientMessageId for LIMITS.clientMessageIdRetentionMs; a re-send after that
 * could be stored a second time, so an older message is given up instead (an hour to spare for clocks).
 */
const RESEND_WITHIN_MS = LIMITS.clientMessageIdRetentionMs - 60 * 60 * 1000;

/** Pending sends in the order they were made. */
export class Outbox {
  private readonly entries = new Map<string, Entry>();
  readonly stats: OutboxStats = { transmissions: 0, resends: 0, rateLimited: 0, ackTimeouts: 0 };

  constructor(private readonly options: OutboxOptions) {}

  /** Queues `body` (already validated; optionally a reply) for `roomId` and sends it if a socket is open; resolves with the stored message. */
  add(roomId: string, body: string, clientMessageId: string = ulid(), replyToMessageId?: string): Promise<ChatMessage> {
    const existing = this.entries.get(clientMessageId);
    if (existing) return existing.promise;
    let resolve!: Entry['resolve'];
    let reject!: Entry['reject'];
    const promise = new Promise<ChatMessage>((res, rej) => ((resolve = res), (reject = rej)));
    const frame = JSON.stringify({ action: Action.SendMessage, roomId, body, clientMessageId, ...(replyToMessageId ? { replyToMessageId } : {}) });
    const entry: Entry = { clientMessageId, roomId, frame, promise, createdAt: this.options.now(), state: 'queued', link: undefined, failures: 0, rateLimited: 0, timer: undefined, resolve, reject };
    this.entries.set(clientMessageId, entry);
    this.transmit(entry);
    return promise;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Pending sends for one room. */
  sizeFor(roomId: string): number {
    let n = 0;
    for (const entry of this.entries.values()) if (entry.roomId === roomId) n++;
    return n;
  }

  /** Rejects every pending send of a room (the person lost access to it: nothing more will be accepted there). */
  rejectRoom(roomId: string, error: ChatError): void {
    for (const entry of [...this.entries.values()]) {
      if (entry.roomId !== roomId) continue;
      this.finish(entry);
      entry.reject(error);
    }
  }

  /** Sends every queued entry, oldest first (call when a socket becomes current). */
  flush(): void {
    for (const entry of this.entries.values()) if (entry.state === 'queued') this.transmit(entry);
  }

  /** The server stored it: settles the send. Returns false for an unknown (already settled) id. */
  acked(clientMessageId: string | undefined, message: ChatMessage): boolean {
    const entry = clientMessageId ? this.entries.get(clientMessageId) : undefined;
    if (!entry) return false;
    this.finish(entry);
    entry.resolve(message);
    return true;
  }

  /** An error frame about one send: retried when the code says "later", rejected otherwise. */
  failed(frame: ErrorFrame): boolean {
    const entry = frame.clientMessageId ? this.entries.get(frame.clientMessageId) : undefined;
    if (!entry) return false;
    this.options.timers.clearTimeout(entry.timer);
    if (frame.code === ErrorCode.NotConnected) {
      entry.state = 'queued'; // The client reconnects; the next socket sends it again.
    } else if (frame.code === ErrorCode.RateLimited) {
      this.stats.rateLimited++;
      this.later(entry, frame.retryAfterMs ?? backoffDelay(entry.rateLimited++, this.options.random, this.options.retryBackoff));
    } else if (RETRY_LATER.has(frame.code) && ++entry.failures < this.options.maxFailures) {
      this.later(entry, backoffDelay(entry.failures, this.options.random, this.options.retryBackoff));
    } else {
      this.finish(entry);
      entry.reject(new ChatError(KNOWN_CODES.has(frame.code) ? (frame.code as ErrorCode) : ErrorCode.Internal, withRef(frame.message, frame.ref)));
    }
    return true;
  }

  /** A socket closed: what was sent on it and not acked goes back to the queue (nothing is lost or doubled). */
  linkLost(link: unknown): void {
    for (const entry of this.entries.values()) {
      if (entry.state !== 'sent' || entry.link !== link) continue;
      this.options.timers.clearTimeout(entry.timer);
      entry.state = 'queued';
    }
  }

  /** Settles every pending send with `error` (the client stopped for good). */
  rejectAll(error: ChatError): void {
    for (const entry of [...this.entries.values()]) {
      this.finish(entry);
      entry.reject(error);
    }
  }

  private transmit(entry: Entry): void {
    if (this.options.now() - entry.createdAt > RESEND_WITHIN_MS) {
      this.finish(entry);
      return entry.reject(new ChatError(ErrorCode.Internal, 'This message could not be confirmed in time; check the conversation before sending it again'));
    }
    const link = this.options.transmit(entry.frame);
    if (link === undefined) {
      entry.state = 'queued';
      return;
    }
    this.stats.transmissions++;
    if (entry.link !== undefined) this.stats.resends++;
    entry.state = 'sent';
    entry.link = link;
    entry.timer = this.options.timers.setTimeout(() => this.ackTimedOut(entry), this.options.ackTimeoutMs);
  }

  private ackTimedOut(entry: Entry): void {
    if (entry.state !== 'sent') return;
    this.stats.ackTimeouts++;
    if (++entry.failures < this.options.maxFailures) return this.transmit(entry);
    this.finish(entry);
    entry.reject(new ChatError(ErrorCode.Internal, 'The server has not confirmed your message; check the conversation before resending'));
  }

  private later(entry: Entry, delayMs: number): void {
    entry.state = 'waiting';
    entry.timer = this.options.timers.setTimeout(() => this.transmit(entry), delayMs);
  }

  private finish(entry: Entry): void {
    this.options.timers.clearTimeout(entry.timer);
    this.entries.delete(entry.clientMessageId);
  }
}
