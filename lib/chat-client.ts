/**
 * The browser's real-time link: ONE socket per tab for all of a user's rooms. A fresh one-time ticket for
 * every socket, reconnects with backoff, a heartbeat, a seamless socket swap before API Gateway's 2-hour cap
 * (all in Connector), the rooms this tab follows re-subscribed on every new socket, and an outbox that
 * re-sends every unacknowledged message (each names its room) with its clientMessageId until the server
 * confirms it. Framework-free so it runs in Node against a real server: the socket constructor, the ticket
 * source, timers, clock and randomness are all injected.
 */
import { ChatError } from './chat-error';
import type { ChatClientEvents, ChatClientOptions, ChatClientStats, ConnectionStatus } from './chat/client-types';
import { Connector } from './chat/connector';
import { Emitter } from './chat/emitter';
import { Outbox } from './chat/outbox';
import { RecentIds } from './chat/recent-ids';
import { Requests } from './chat/requests';
import { platformTimers, type SocketConstructor } from './chat/socket';
import type { SocketLink } from './chat/socket-link';
import { Action, ErrorCode, LIMITS, type ChatMessage, type ServerFrame } from './protocol';

export { backoffDelay } from './chat/backoff';
export type { ChatClientEvents, ChatClientOptions, ChatClientStats, ConnectionStatus } from './chat/client-types';
export type { SocketConstructor, SocketLike, Timers } from './chat/socket';

/** The tab's live connection. Call `connect()`, `subscribe()` to rooms, listen with `on()`, `send()`, `close()` to stop. */
export class ChatClient {
  private readonly events = new Emitter<ChatClientEvents>();
  private readonly seen = new RecentIds();
  private readonly outbox: Outbox;
  private readonly requests: Requests;
  private readonly connector: Connector;
  private readonly rooms = new Set<string>();
  private readonly counters = { duplicates: 0, invalidFrames: 0 };

  constructor(options: ChatClientOptions) {
    const Socket = options.WebSocket ?? (globalThis as { WebSocket?: SocketConstructor }).WebSocket;
    if (!Socket) throw new Error('No WebSocket implementation: pass options.WebSocket');
    const timers = options.timers ?? platformTimers;
    const clock = { setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout, now: options.now ?? Date.now };
    this.connector = new Connector(options, Socket, clock, {
      status: (status) => this.events.emit('status', status),
      promoted: (link, info) => {
        // Subscriptions belong to a socket: every new one (reconnect, rollover) asks again for all rooms.
        this.sendSubscribe(link, [...this.rooms]);
        this.outbox.flush();
        this.requests.flush();
        this.events.emit('opened', info);
      },
      frame: (link, frame) => this.receive(link, frame),
      invalid: (reason) => {
        this.counters.invalidFrames++;
        this.events.emit('invalidFrame', reason);
      },
      lost: (link) => {
        this.outbox.linkLost(link);
        this.outbox.flush(); // Goes out at once if another socket is live, else on the next one.
        this.requests.linkLost(link);
        this.requests.flush();
      },
      error: (frame) => this.events.emit('error', frame),
      retry: (info) => this.events.emit('retry', info),
      stopped: (error) => {
        this.outbox.rejectAll(error);
        this.requests.rejectAll(error);
      },
    });
    this.outbox = new Outbox({
      timers,
      now: clock.now,
      random: options.random ?? Math.random,
      transmit: (frame) => {
        const link = this.connector.current;
        return link?.send(frame) ? link : undefined;
      },
      ackTimeoutMs: options.ackTimeoutMs ?? 30_000,
      maxFailures: options.maxSendFailures ?? 5,
      // A rate limit without retryAfterMs, or a server failure: back off like a reconnect, at most one rate window.
      retryBackoff: { ...options.backoff, maxMs: Math.min(options.backoff?.maxMs ?? LIMITS.sendRateWindowMs, LIMITS.sendRateWindowMs) },
    });
    this.requests = new Requests({
      timers,
      transmit: (frame) => {
        const link = this.connector.current;
        return link?.send(frame) ? link : undefined;
      },
      timeoutMs: options.requestTimeoutMs ?? 60_000,
    });
  }

  get status(): ConnectionStatus {
    return this.connector.status;
  }

  /** Messages sent and not yet acknowledged (all rooms). */
  get pendingSends(): number {
    return this.outbox.size;
  }

  /** Messages sent to one room and not yet acknowledged. */
  pendingSendsIn(roomId: string): number {
    return this.outbox.sizeFor(roomId);
  }

  get stats(): ChatClientStats {
    return { ...this.connector.stats, ...this.outbox.stats, ...this.counters };
  }

  /** The rooms this client follows (re-subscribed on every new socket). */
  get subscriptions(): readonly string[] {
    return [...this.rooms];
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof ChatClientEvents>(type: K, listener: (payload: ChatClientEvents[K]) => void): () => void {
    return this.events.on(type, listener);
  }

  /** Starts connecting (no-op while already connecting or open). */
  connect(): void {
    this.connector.start();
  }

  /** Skips the remaining backoff wait, e.g. when the browser reports it is back online. */
  retryNow(): void {
    this.connector.retryNow();
  }

  /** Follows rooms: live frames for them on this socket and every later one (the `subscribed` event confirms). */
  subscribe(roomIds: readonly string[]): void {
    const added = roomIds.filter((id) => !this.rooms.has(id));
    for (const id of added) this.rooms.add(id);
    const link = this.connector.current;
    if (link && added.length) this.sendSubscribe(link, added);
  }

  /**
   * Follows rooms and sends the subscribe even for those already followed, so the server checks them again: a room
   * this tab followed as a visitor and has just joined is announced by that check (the join's own announcement reads
   * an eventually consistent index in AWS and can miss a subscription that fresh; the subscribe reads consistently).
   */
  resubscribe(roomIds: readonly string[]): void {
    for (const id of roomIds) this.rooms.add(id);
    const link = this.connector.current;
    if (link && roomIds.length) this.sendSubscribe(link, roomIds);
  }

  /** Stops following rooms. */
  unsubscribe(roomIds: readonly string[]): void {
    const removed = roomIds.filter((id) => this.rooms.delete(id));
    const link = this.connector.current;
    for (let i = 0; link && i < removed.length; i += LIMITS.subscribeMaxRooms) {
      link.send(JSON.stringify({ action: Action.Unsubscribe, roomIds: removed.slice(i, i + LIMITS.subscribeMaxRooms) }));
    }
  }

  /** Moves the read position forward over the socket; false when no socket is open (use the HTTP route then). */
  markRead(roomId: string, messageId: string): boolean {
    return this.connector.current?.send(JSON.stringify({ action: Action.MarkRead, roomId, messageId })) ?? false;
  }

  /** Asks for one page of a room's presence (answered with a `presenceList` event). */
  requestPresence(roomId: string, cursor?: string): boolean {
    return this.connector.current?.send(JSON.stringify({ action: Action.Presence, roomId, ...(cursor ? { cursor } : {}) })) ?? false;
  }

  /** Says "I am typing" in a room (callers throttle to LIMITS.typingIntervalMs). */
  typing(roomId: string): boolean {
    return this.connector.current?.send(JSON.stringify({ action: Action.Typing, roomId })) ?? false;
  }

  /**
   * Sends a message to `roomId`; resolves with the stored message once the server acks it. While the
   * connection is down the message waits and goes out (again) on the next socket, with the same
   * clientMessageId, so it is stored once. Rejects for a final error from the server (an invalid body
   * included) or `close()`. The body goes out as given: validate it first with `parseBody` (Outgoing does).
   */
  async send(roomId: string, body: string, clientMessageId?: string, replyToMessageId?: string): Promise<ChatMessage> {
    if (this.connector.isStopped) throw new ChatError(ErrorCode.NotConnected, 'Not connected; reload the page to reconnect');
    return this.outbox.add(roomId, body, clientMessageId, replyToMessageId);
  }

  /**
   * Replaces the body of one's own message; resolves with the message as changed (also delivered to everyone as
   * a `changed` event). Waits for a socket like `send`; rejects with the server's typed error (FORBIDDEN,
   * WINDOW_CLOSED, MESSAGE_DELETED…). Validate the body first with `parseBody`.
   */
  async edit(roomId: string, messageId: string, body: string): Promise<ChatMessage> {
    return this.request(roomId, { action: Action.EditMessage, roomId, messageId, body });
  }

  /** Deletes one's own message (its text is removed from storage; a placeholder stays). */
  async delete(roomId: string, messageId: string): Promise<ChatMessage> {
    return this.request(roomId, { action: Action.DeleteMessage, roomId, messageId });
  }

  /** Sets (`op: 'set'`) or removes (`'unset'`) the person's reaction `emoji`: idempotent, never a toggle. */
  async react(roomId: string, messageId: string, emoji: string, op: 'set' | 'unset'): Promise<ChatMessage> {
    return this.request(roomId, { action: Action.React, roomId, messageId, emoji, op });
  }

  /** Gives up on every pending send of a room (removed from it: the server would refuse them all). */
  dropRoom(roomId: string, error: ChatError): void {
    this.rooms.delete(roomId);
    this.outbox.rejectRoom(roomId, error);
    this.requests.rejectAll(error, roomId);
  }

  /** Closes the socket and stops reconnecting (sign-out). */
  close(): void {
    if (!this.connector.stop()) return;
    this.outbox.rejectAll(new ChatError(ErrorCode.NotConnected, 'The connection was closed before your message was confirmed'));
    this.requests.rejectAll(new ChatError(ErrorCode.NotConnected, 'The connection was closed before your change was confirmed'));
  }

  private async request(roomId: string, frame: Record<string, unknown>): Promise<ChatMessage> {
    if (this.connector.isStopped) throw new ChatError(ErrorCode.NotConnected, 'Not connected; reload the page to reconnect');
    return this.requests.add(roomId, frame);
  }

  private sendSubscribe(link: SocketLink, roomIds: readonly string[]): void {
    for (let i = 0; i < roomIds.length; i += LIMITS.subscribeMaxRooms) {
      link.send(JSON.stringify({ action: Action.Subscribe, roomIds: roomIds.slice(i, i + LIMITS.subscribeMaxRooms) }));
    }
  }

  private receive(link: SocketLink, frame: ServerFrame): void {
    switch (frame.type) {
      case 'message':
        return this.deliver(frame.message);
      case 'ack':
        this.outbox.acked(frame.clientMessageId, frame.message);
        this.events.emit('ack', frame);
        return this.deliver(frame.message);
      case 'messageChanged':
        this.requests.done(frame.requestId, frame.message);
        return this.events.emit('changed', frame);
      case 'error':
        if (this.requests.failed(frame)) {
          if (frame.code === ErrorCode.NotConnected) return this.connector.drop(link);
          return; // the caller of edit/delete/react gets it as a rejection
        }
        this.outbox.failed(frame);
        // The server no longer knows this socket: open a new one (the outbox re-sends on it).
        if (frame.code === ErrorCode.NotConnected) return this.connector.drop(link);
        return this.events.emit('error', frame);
      case 'subscribed':
        // A refused room (deleted, or access lost) is not re-asked for on the next socket.
        for (const refused of frame.refused) this.rooms.delete(refused.roomId);
        return this.events.emit('subscribed', frame);
      case 'membership':
        if (frame.change === 'removed') this.rooms.delete(frame.roomId);
        return this.events.emit('membership', frame);
      case 'presenceDelta':
      case 'presenceList':
      case 'readState':
      case 'typing':
        return this.events.emit(frame.type, frame as never);
      case 'unsubscribed':
      case 'pong':
        return;
    }
  }

  private deliver(message: ChatMessage): void {
    if (this.seen.add(message.messageId)) this.events.emit('message', message);
    else this.counters.duplicates++;
  }
}
