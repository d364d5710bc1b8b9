/**
 * A light bench client: a real `ws` socket on the local gateway that only notes the arrival time of message
 * frames (no schema parsing per frame: with 1,000 sockets in one process the parser would dominate the clock).
 */
import { WebSocket } from 'ws';
import type { TestStack, TestUser } from '../amplify/local/testing';

type Frame = { type?: string; [key: string]: unknown };

/** One bench socket. */
export class BenchSocket {
  private readonly waiters = new Set<(frame: Frame) => boolean>();
  /** Called with (body, arrival time) for each `message` frame. */
  onMessage: (body: string, at: number) => void = () => {};
  /** Frames of other types seen, by type (presence deltas, errors...). */
  readonly seen = new Map<string, number>();
  /** Users named in the presence deltas received (joined + left): with coalescing, more than one per frame. */
  presenceEntries = 0;

  constructor(
    readonly ws: WebSocket,
    readonly user: TestUser,
  ) {
    ws.on('error', () => {});
    ws.on('message', (data) => {
      const at = performance.now();
      const frame = JSON.parse(String(data)) as Frame;
      if (frame.type === 'message') this.onMessage(String((frame.message as { body: string }).body), at);
      else this.seen.set(String(frame.type), (this.seen.get(String(frame.type)) ?? 0) + 1);
      if (frame.type === 'presenceDelta') this.presenceEntries += (frame.joined as unknown[]).length + (frame.left as unknown[]).length;
      for (const waiter of this.waiters) if (waiter(frame)) this.waiters.delete(waiter);
    });
  }

  send(frame: unknown): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  /** Resolves with the next frame matching `match`. */
  next(match: (frame: Frame) => boolean, timeoutMs = 60_000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`bench socket: no matching frame within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (frame: Frame) => {
        if (!match(frame)) return false;
        clearTimeout(timer);
        resolve(frame);
        return true;
      };
      this.waiters.add(waiter);
    });
  }

  /** Subscribes to `roomIds` and waits for the answer; throws on a refusal. */
  async subscribe(roomIds: readonly string[], timeoutMs = 120_000): Promise<void> {
    const answer = this.next((f) => f.type === 'subscribed' || f.type === 'error', timeoutMs);
    this.send({ action: 'subscribe', roomIds });
    const frame = await answer;
    if (frame.type === 'error' || (frame.refused as unknown[]).length) throw new Error(`subscribe refused: ${JSON.stringify(frame)}`);
  }

  /**
   * A heartbeat, as a real client sends every minute: keeps the connection row fresh (a socket silent for 3 minutes
   * gets NOT_CONNECTED). The bench pings between scenarios, not during them, so pings never mix into the counts.
   */
  async ping(): Promise<void> {
    // Generous: 1,000 sockets ping in batches on a shared, loaded 2-core machine.
    const pong = this.next((f) => f.type === 'pong', 300_000);
    this.send({ action: 'ping' });
    await pong;
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** Opens a socket for `user` through a real ticket. */
export async function openBenchSocket(stack: TestStack, user: TestUser): Promise<BenchSocket> {
  const ticket = await stack.ticketFor(user);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${stack.gateway.webSocketUrl}/?${new URLSearchParams({ ticket })}`);
    ws.once('open', () => resolve(new BenchSocket(ws, user)));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Makes `user` a member of public room `roomId` (PUT membership). */
export async function join(stack: TestStack, user: TestUser, roomId: string): Promise<void> {
  const reply = await stack.as(user, `/rooms/${encodeURIComponent(roomId)}/membership`, { method: 'PUT' });
  if (reply.status >= 300) throw new Error(`join answered ${reply.status} ${JSON.stringify(reply.json)}`);
}

/** Runs `fn` over `items`, `limit` at a time. */
export async function inBatches<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!, i);
    }),
  );
  return out;
}
