/**
 * Drives messages through a set of receiving sockets one at a time and records, for every receiving socket, the
 * time from the send to its arrival. Shared by the chat stack, the bare relay and the AWS-sample baseline, so all
 * three are measured the same way.
 */
import { latency, type Latency } from './stats';

/** A socket that reports each arriving message body. */
export interface Receiver {
  onMessage: (body: string, at: number) => void;
}

/** Result of one scenario. */
export interface FanOutResult {
  readonly messages: number;
  readonly recipients: number;
  readonly latencyMs: Latency;
  readonly messagesPerSecond: number;
  /** Receiving-socket deliveries per second. */
  readonly deliveriesPerSecond: number;
}

/**
 * Sends `messages` messages with `send(body, i)` and waits until each reached every socket in `receivers`
 * before sending the next (one message in flight: the latency is the fan-out's, not a queue's).
 */
export async function measureFanOut(
  receivers: readonly Receiver[],
  messages: number,
  send: (body: string, i: number) => void | Promise<void>,
  tag: string,
  timeoutMs = 60_000,
): Promise<FanOutResult> {
  const samples: number[] = [];
  let current: { body: string; t0: number; left: number; done: () => void } | undefined;
  for (const r of receivers)
    r.onMessage = (body, at) => {
      if (current && body === current.body) {
        samples.push(at - current.t0);
        if (--current.left === 0) current.done();
      }
    };
  const start = performance.now();
  for (let i = 0; i < messages; i++) {
    const body = `${tag}-${i}`;
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<void>((resolve, reject) => {
      current = { body, t0: performance.now(), left: receivers.length, done: resolve };
      timer = setTimeout(() => reject(new Error(`${tag}: message ${i} reached ${receivers.length - current!.left}/${receivers.length} sockets`)), timeoutMs);
    });
    await send(body, i);
    await arrived.finally(() => clearTimeout(timer));
  }
  const seconds = (performance.now() - start) / 1000;
  for (const r of receivers) r.onMessage = () => {};
  return {
    messages,
    recipients: receivers.length,
    latencyMs: latency(samples),
    messagesPerSecond: Math.round((messages / seconds) * 10) / 10,
    deliveriesPerSecond: Math.round((messages * receivers.length) / seconds),
  };
}
