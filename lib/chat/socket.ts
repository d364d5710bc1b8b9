/**
 * The seams of the chat client: the WebSocket surface it uses and the timers it schedules with. Both are
 * injected, so the same code runs in the browser, in Node against `ws`, and in tests.
 */

// Bivariant handler type, so both the DOM WebSocket and the `ws` package fit SocketLike.
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** The part of the WebSocket API the client uses. */
export interface SocketLike {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number }> | null;
  onerror: Handler<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** `new WebSocket(url)` — the browser's, or `ws` in Node. */
export type SocketConstructor = new (url: string) => SocketLike;

/** WebSocket.OPEN; a literal because `ws` and the DOM declare the constant in different places. */
export const SOCKET_OPEN = 1;

/** Timer functions (injectable so tests can observe or speed up delays). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The platform's timers. */
export const platformTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
