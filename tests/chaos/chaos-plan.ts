/** Deterministic randomness and pacing for the chaos test, so a failing run can be replayed by its seed. */
import { LIMITS } from '../../lib/protocol';

/** mulberry32: a tiny seeded PRNG, [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` sends per user, in a random global order (Fisher-Yates). */
export function sendOrder(users: number, count: number, random: () => number): number[] {
  const order = Array.from({ length: users * count }, (_, i) => i % users);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * Client-side courtesy pacing: at most `LIMITS.sendRateLimit` sends in any rolling window slightly longer
 * than the server's, so normal traffic stays under the per-user limit; bursts that still cross a window
 * edge get RATE_LIMITED and the client's retry handles them.
 */
export class Pacer {
  private readonly times: number[] = [];
  private readonly windowMs = LIMITS.sendRateWindowMs * 1.05;

  /** Resolves when one more send fits. */
  async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (this.times.length && this.times[0]! <= now - this.windowMs) this.times.shift();
      if (this.times.length < LIMITS.sendRateLimit) {
        this.times.push(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.times[0]! + this.windowMs - now));
    }
  }
}
