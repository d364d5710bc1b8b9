/** The chat client's public shapes: status, events, options and counters. */
import type { ChatMessage, ErrorFrame, PresenceFrame, ServerFrame } from '../protocol';
import type { BackoffOptions } from './backoff';
import type { OutboxStats } from './outbox';
import type { SocketConstructor, Timers } from './socket';

/** What the UI shows: first connect, live, trying again after a drop, or stopped for good. */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Events and their payloads. `invalidFrame` carries a reason, never the frame's content. */
export interface ChatClientEvents {
  status: ConnectionStatus;
  /** A socket became the live one: time to read back what may have been missed. */
  opened: { reconnect: boolean; rollover: boolean };
  /** Every message once (broadcasts, own acks), however many times the server sent it. */
  message: ChatMessage;
  ack: Extract<ServerFrame, { type: 'ack' }>;
  presence: PresenceFrame;
  /** Typed problems worth telling a person (reconnect-only errors are handled, not reported). */
  error: ErrorFrame;
  retry: { attempt: number; delayMs: number };
  invalidFrame: string;
}

/** How to reach the room, and the knobs tests and benchmarks turn. */
export interface ChatClientOptions {
  webSocketUrl: string;
  roomId: string;
  /** Returns a FRESH one-time ticket; called before every socket. A ChatError UNAUTHORIZED stops the client. */
  fetchTicket: () => Promise<string>;
  WebSocket?: SocketConstructor;
  timers?: Timers;
  random?: () => number;
  now?: () => number;
  backoff?: BackoffOptions;
  /** Ping interval (default LIMITS.heartbeatIntervalMs); 0 turns the heartbeat off. */
  heartbeatMs?: number;
  /** A socket that sends nothing back this long after a ping is treated as dead. */
  heartbeatTimeoutMs?: number;
  /** Give up on a ticket fetch + handshake that has not produced an open socket this long after it began. */
  connectTimeoutMs?: number;
  /** Swap to a new socket this long after one opens (default: just under LIMITS.maxConnectionMs); 0 = never. */
  rolloverMs?: number;
  /** Re-send a message whose ack has not come this long after sending. */
  ackTimeoutMs?: number;
  /** Give up on a message after this many server failures or ack timeouts. */
  maxSendFailures?: number;
}

/** Socket-level counters (see Connector). */
export interface ConnectorStats {
  sockets: number;
  reconnects: number;
  rollovers: number;
  drops: number;
  connectTimeouts: number;
}

/** Counters for diagnostics, tests and benchmarks. */
export interface ChatClientStats extends ConnectorStats, OutboxStats {
  duplicates: number;
  invalidFrames: number;
}
