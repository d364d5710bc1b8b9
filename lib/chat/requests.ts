/**
 * Edits, deletes and reactions on their way to the server. Each frame carries a requestId; the server answers a
 * success with the `messageChanged` broadcast naming that requestId, a failure with an error frame naming it.
 * Every one of these operations is idempotent on the server (an edit sets a body, a delete of a deleted message is
 * a no-op, a reaction is set/unset — never a toggle), so a frame whose answer was lost is simply sent again on the
 * next socket: a retry can never flip or duplicate anything.
 */
import { ulid } from 'ulid';
import { ChatError, withRef } from '../chat-error';
import { ErrorCode, type ChatMessage, type ErrorFrame } from '../protocol';
import type { Timers } from './socket';

interface Pending {
  readonly requestId: string;
  readonly roomId: string;
  readonly frame: string;
  /** The socket it last went out on (undefined: waits for one). */
  link: unknown;
  timer: unknown;
  resolve(message: ChatMessage): void;
  reject(error: ChatError): void;
}

/** Settings of the request queue. */
export interface RequestsOptions {
  timers: Timers;
  /** Writes a frame on the current open socket; returns that socket, or undefined when none is open. */
  transmit(frame: string): unknown;
  /** Give up when no answer came this long after the request was made. */
  timeoutMs: number;
}

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** Pending change requests by requestId. */
export class Requests {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly options: RequestsOptions) {}

  get size(): number {
    return this.pending.size;
  }

  /** Sends `frame` (without requestId; one is added) and resolves with the changed message. */
  add(roomId: string, frame: Record<string, unknown>): Promise<ChatMessage> {
    const requestId = ulid();
    return new Promise<ChatMessage>((resolve, reject) => {
      const entry: Pending = { requestId, roomId, frame: JSON.stringify({ ...frame, requestId }), link: undefined, timer: undefined, resolve, reject };
      entry.timer = this.options.timers.setTimeout(() => {
        this.pending.delete(requestId);
        reject(new ChatError(ErrorCode.Internal, 'The server did not confirm this change in time; check the message and try again'));
      }, this.options.timeoutMs);
      this.pending.set(requestId, entry);
      entry.link = this.options.transmit(entry.frame);
    });
  }

  /** A socket became current: (re)sends what has no answer yet. */
  flush(): void {
    for (const entry of this.pending.values()) if (entry.link === undefined) entry.link = this.options.transmit(entry.frame);
  }

  /** A socket closed: what went out on it is sent again on the next one. */
  linkLost(link: unknown): void {
    for (const entry of this.pending.values()) if (entry.link === link) entry.link = undefined;
  }

  /** The change was applied (the `messageChanged` naming this request). */
  done(requestId: string | undefined, message: ChatMessage): boolean {
    const entry = requestId ? this.pending.get(requestId) : undefined;
    if (!entry) return false;
    this.settle(entry);
    entry.resolve(message);
    return true;
  }

  /** An error frame naming a request: NOT_CONNECTED waits for the next socket, anything else is final. */
  failed(frame: ErrorFrame): boolean {
    const entry = frame.requestId ? this.pending.get(frame.requestId) : undefined;
    if (!entry) return false;
    if (frame.code === ErrorCode.NotConnected) {
      entry.link = undefined;
      return true;
    }
    this.settle(entry);
    entry.reject(new ChatError(KNOWN_CODES.has(frame.code) ? (frame.code as ErrorCode) : ErrorCode.Internal, withRef(frame.message, frame.ref), frame.retryAfterMs));
    return true;
  }

  /** Rejects every pending request (of one room, or all). */
  rejectAll(error: ChatError, roomId?: string): void {
    for (const entry of [...this.pending.values()]) {
      if (roomId !== undefined && entry.roomId !== roomId) continue;
      this.settle(entry);
      entry.reject(error);
    }
  }

  private settle(entry: Pending): void {
    this.options.timers.clearTimeout(entry.timer);
    this.pending.delete(entry.requestId);
  }
}
