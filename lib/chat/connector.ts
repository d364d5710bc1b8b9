/**
 * The socket lifecycle behind ChatClient: a fresh ticket for every socket, reconnects with backoff, a
 * timeout on each attempt, and the rollover that opens a new socket BEFORE the old one reaches API
 * Gateway's 2-hour cap (then lets the old one drain), so the conversation never has a gap.
 */
import { ChatError, toErrorFrame } from '../chat-error';
import { ConnectQuery, ErrorCode, LIMITS, type ErrorFrame, type ServerFrame } from '../protocol';
import { backoffDelay } from './backoff';
import type { ChatClientOptions, ConnectionStatus, ConnectorStats } from './client-types';
import type { SocketConstructor, Timers } from './socket';
import { SocketLink, type LinkHandlers } from './socket-link';

/** What the connector reports to the client. */
export interface ConnectorHooks {
  status(status: ConnectionStatus): void;
  /** `link` is now the live socket. */
  promoted(link: SocketLink, info: { reconnect: boolean; rollover: boolean }): void;
  frame(link: SocketLink, frame: ServerFrame): void;
  invalid(reason: string): void;
  /** A socket that was (or had been) live ended; what it still owed must go out on the live one. */
  lost(link: SocketLink): void;
  error(frame: ErrorFrame): void;
  retry(info: { attempt: number; delayMs: number }): void;
  /** The session cannot get tickets any more: stopped for good. */
  stopped(error: ChatError): void;
}

/** A socket that stayed open this long counts as healthy: the next drop starts backoff from scratch. */
const STABLE_MS = 10_000;
/** Swap sockets 5-10 min before the 2 h cap; the random part keeps a room that joined together from swapping together. */
const ROLLOVER_MARGIN_MS = 5 * 60_000;
/** How long a replaced socket may still deliver frames that were already on their way. */
const DRAIN_MS = 5_000;

/** Keeps exactly one live socket while started. */
export class Connector {
  /** The live socket, if any. */
  current: SocketLink | undefined;
  private candidate: SocketLink | undefined;
  private generation = 0;
  private attempt = 0;
  private stopped = true;
  private everOpened = false;
  private timers: { retry?: unknown; rollover?: unknown; connect?: unknown } = {};
  private currentStatus: ConnectionStatus = 'closed';
  readonly stats: ConnectorStats = { sockets: 0, reconnects: 0, rollovers: 0, drops: 0, connectTimeouts: 0 };
  private readonly random: () => number;

  constructor(
    private readonly options: ChatClientOptions,
    private readonly Socket: SocketConstructor,
    private readonly clock: Timers & { now(): number },
    private readonly hooks: ConnectorHooks,
  ) {
    this.random = options.random ?? Math.random;
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Starts connecting (no-op while started). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    void this.open(false);
  }

  /** Skips the remaining backoff wait. */
  retryNow(): void {
    if (this.stopped || this.timers.retry === undefined) return;
    this.clear('retry');
    void this.open(false);
  }

  /** Drops `link` if it is the live socket (the server no longer knows it): a reconnect follows. */
  drop(link: SocketLink): void {
    // Stryker disable next-line ConditionalExpression: equivalent — any other link has ended or is draining (its close already sent).
    if (link === this.current) link.end(1000, 'not connected');
  }

  /** Closes every socket and stops. Returns false if it was already stopped. */
  stop(): boolean {
    // Stryker disable next-line ConditionalExpression: equivalent — stopped always goes with 'closed' (stop() sets both).
    if (this.stopped && this.currentStatus === 'closed') return false;
    this.stopped = true;
    this.generation++;
    for (const name of ['retry', 'rollover', 'connect'] as const) this.clear(name);
    const links = [this.current, this.candidate];
    this.current = this.candidate = undefined;
    for (const link of links) link?.end(1000, 'client closed');
    this.setStatus('closed');
    return true;
  }

  /** Fetches a ticket and opens a socket: to (re)connect, or to replace a live socket before its cap. */
  private async open(rollover: boolean): Promise<void> {
    const generation = ++this.generation;
    if (!rollover) this.setStatus(this.everOpened || this.attempt > 0 ? 'reconnecting' : 'connecting');
    // Neither fetch nor a WebSocket handshake has a timeout of its own: a request lost mid-outage would hang forever.
    // Stryker disable next-line StringLiteral: equivalent — a timer left from an earlier attempt finds its generation stale and does nothing.
    this.clear('connect');
    this.timers.connect = this.clock.setTimeout(() => {
      // A rollover's attempt outlives a drop (which cancels it by generation) until the reconnect's own attempt starts.
      if (generation !== this.generation || this.stopped) return;
      this.stats.connectTimeouts++;
      const stuck = this.candidate;
      this.candidate = undefined;
      // Stryker disable next-line StringLiteral: equivalent — a handshake never finished: no close frame carries the reason.
      stuck?.end(1000, 'handshake timed out');
      this.failed();
    }, this.options.connectTimeoutMs ?? 15_000);
    let ticket: string;
    try {
      ticket = await this.options.fetchTicket();
    } catch (error) {
      if (generation !== this.generation) return;
      this.clear('connect');
      // Typed failures deserve words on screen; a session that cannot be refreshed will not heal by retrying.
      if (error instanceof ChatError) this.hooks.error(toErrorFrame(error));
      // Neither will an outdated client (CLIENT_OUTDATED): only a reload of the new build helps.
      if (error instanceof ChatError && (error.code === ErrorCode.Unauthorized || error.code === ErrorCode.ClientOutdated) && !rollover) {
        this.stop();
        return this.hooks.stopped(error);
      }
      return this.failed();
    }
    if (generation !== this.generation || this.stopped) return;
    this.stats.sockets++;
    const heartbeat = { intervalMs: this.options.heartbeatMs ?? LIMITS.heartbeatIntervalMs, timeoutMs: this.options.heartbeatTimeoutMs ?? 20_000 };
    try {
      this.candidate = new SocketLink(this.Socket, this.url(ticket), this.clock, heartbeat, this.linkHandlers);
    } catch {
      // A malformed URL or a constructor that refuses it throws synchronously: back off now, not at the timeout.
      this.clear('connect');
      this.failed();
    }
  }

  private readonly linkHandlers: LinkHandlers = {
    opened: (link) => {
      // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent — a link stops being the candidate only by ending, and an ended link never opens.
      if (link !== this.candidate) return link.end(1000, 'not needed');
      this.candidate = undefined;
      this.clear('connect');
      this.promote(link);
    },
    frame: (link, frame) => this.hooks.frame(link, frame),
    invalid: (reason) => this.hooks.invalid(reason),
    ended: (link) => this.ended(link),
  };

  /** Makes `link` the live socket; a replaced one drains (its frames still count) and then closes. */
  private promote(link: SocketLink): void {
    const previous = this.current;
    const reconnect = this.everOpened && !previous;
    this.current = link;
    this.everOpened = true;
    if (previous) {
      this.stats.rollovers++;
      previous.close(DRAIN_MS, 1000, 'replaced');
    } else if (reconnect) this.stats.reconnects++;
    this.setStatus('open');
    this.scheduleRollover();
    this.hooks.promoted(link, { reconnect, rollover: previous !== undefined });
  }

  private ended(link: SocketLink): void {
    if (this.stopped) return;
    if (link === this.candidate) {
      this.candidate = undefined;
      this.clear('connect');
      return this.failed();
    }
    if (link === this.current) {
      this.stats.drops++;
      this.current = undefined;
      // Stryker disable next-line StringLiteral: equivalent — a timer left here finds no live socket, or is cleared by the reconnect's scheduleRollover.
      this.clear('rollover');
      if (link.openedAt && this.clock.now() - link.openedAt >= STABLE_MS) this.attempt = 0;
      this.scheduleRetry();
    }
    this.hooks.lost(link);
  }

  /** An attempt failed: with a live socket it was a rollover (tried again later), else a reconnect backs off. */
  private failed(): void {
    if (this.current) this.scheduleRollover(this.nextDelay());
    else this.scheduleRetry();
  }

  private scheduleRetry(): void {
    // Stryker disable next-line ConditionalExpression: equivalent — every caller has checked for stop() already (a stop bumps the generation).
    if (this.stopped) return;
    this.generation++; // Cancels a rollover whose ticket is still being fetched.
    const spare = this.candidate;
    this.candidate = undefined;
    // Stryker disable next-line StringLiteral: equivalent — a candidate still in its handshake: no close frame carries the reason.
    spare?.end(1000, 'not needed');
    const delayMs = this.nextDelay();
    this.setStatus('reconnecting');
    this.hooks.retry({ attempt: this.attempt, delayMs });
    // Stryker disable next-line StringLiteral: equivalent — no retry is ever pending here (the last one fired or was stopped).
    this.clear('retry');
    this.timers.retry = this.clock.setTimeout(() => {
      this.timers.retry = undefined;
      void this.open(false);
    }, delayMs);
  }

  private scheduleRollover(delayMs?: number): void {
    const after = this.options.rolloverMs ?? LIMITS.maxConnectionMs - ROLLOVER_MARGIN_MS * (1 + this.random());
    if (!after || this.stopped) return;
    // Stryker disable next-line StringLiteral: equivalent — a rollover is scheduled only after the last one fired or was cleared.
    this.clear('rollover');
    this.timers.rollover = this.clock.setTimeout(() => {
      this.timers.rollover = undefined;
      // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent — a drop clears this timer, and no candidate exists while a live socket waits for it.
      if (this.current && !this.candidate) void this.open(true);
    }, delayMs ?? after);
  }

  private nextDelay(): number {
    return backoffDelay(this.attempt++, this.random, this.options.backoff);
  }

  private clear(name: 'retry' | 'rollover' | 'connect'): void {
    this.clock.clearTimeout(this.timers[name]);
    this.timers[name] = undefined;
  }

  private url(ticket: string): string {
    const url = new URL(this.options.webSocketUrl);
    url.searchParams.set(ConnectQuery.ticket, ticket);
    return url.toString();
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    this.hooks.status(status);
  }
}
