/** The chat client's public shapes: status, events, options and counters. */
import type {
  ErrorFrame,
  MessageChangedFrame,
  MembershipFrame,
  PresenceDeltaFrame,
  PresenceListFrame,
  ReadStateFrame,
  ServerFrame,
  ChatMessage,
} from '../protocol';
import type { BackoffOptions } from './backoff';
import type { OutboxStats } from './outbox';
import type { SocketConstructor, Timers } from './socket';

/** What the UI shows: first connect, live, trying again after a drop, or stopped for good. */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Events and their payloads. `invalidFrame` carries a reason, never the frame's content. */
export interface ChatClientEvents {
  status: ConnectionStatus;
  /** A socket became the live one (its subscriptions are on their way: wait for `subscribed` to read back). */
  opened: { reconnect: boolean; rollover: boolean };
  /** Every message once (broadcasts, own acks), however many times the server sent it; `message.roomId` names the room. */
  message: ChatMessage;
  ack: Extract<ServerFrame, { type: 'ack' }>;
  /** The server confirmed live frames for these rooms on the current socket (after every (re)connect too). */
  subscribed: Extract<ServerFrame, { type: 'subscribed' }>;
  presenceDelta: PresenceDeltaFrame;
  presenceList: PresenceListFrame;
  readState: ReadStateFrame;
  membership: MembershipFrame;
  typing: Extract<ServerFrame, { type: 'typing' }>;
  /** A stored message was edited, deleted or had its reactions changed (apply when `message.rev` is newer). */
  changed: MessageChangedFrame;
  /** Typed problems worth telling a person (reconnect-only errors are handled, not reported). */
  error: ErrorFrame;
  retry: { attempt: number; delayMs: number };
  invalidFrame: string;
}

/** How to reach the server, and the knobs tests and benchmarks turn. */
export interface ChatClientOptions {
  webSocketUrl: string;
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
  /** Give up on an edit/delete/reaction with no answer this long after it was made. */
  requestTimeoutMs?: number;
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
