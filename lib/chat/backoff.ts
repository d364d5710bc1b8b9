/** Reconnect and retry delays. */

/** Shape of an exponential backoff: first ceiling, cap, growth per attempt. */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
}

/**
 * Delay before attempt `attempt` (0-based): exponential ceiling, capped, with FULL jitter (uniform in
 * [0, ceiling]). Full jitter spreads a crowd that dropped together (a gateway restart drops every socket
 * at once) across the whole window, so they do not come back in synchronized waves.
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const { initialMs = 500, maxMs = 30_000, factor = 2 } = options;
  const ceiling = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt));
  return Math.round(random() * ceiling);
}
