/**
 * Stage throttles, sized for the biggest room we promise (10,000 sockets; docs/scaling.md has the arithmetic).
 * API Gateway applies a stage's default route settings to EACH route, and the account-level quota (10,000 requests/s
 * per region, burst 5,000, shared with every `@connections` call) sits above them all.
 */
import type { Throttle } from './chat-function';

/**
 * WebSocket routes. The `ping` route alone carries sockets / 60 s requests per second: 10,000 sockets ≈ 167/s, so
 * 1,000/s steady admits 60,000 sockets' heartbeats; `sendMessage` at 1,000/s is far above what people type, yet a
 * runaway client still hits its per-user rate limit long before this.
 */
export const WEBSOCKET_THROTTLE: Throttle = { rateLimit: 1_000, burstLimit: 2_000 };

/**
 * HTTP API routes: after a deploy or outage every socket reconnects and each client makes ~3 calls (ticket, my rooms,
 * gap-fill history). 10,000 clients reconnecting over ~60 s (API Gateway admits 500 new sockets/s per account) is
 * ~500 calls/s on the busiest route.
 */
export const HTTP_THROTTLE: Throttle = { rateLimit: 500, burstLimit: 1_000 };
