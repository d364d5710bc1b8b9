/**
 * One room's conversation, framework-free: live frames for this room from the tab's ChatClient plus history
 * from the HTTP API, merged into a MessageLog. Every time the room's subscription is confirmed on a socket
 * (first open, reconnect, rollover) it reads back what may have been missed — at once when the room is on
 * screen, else when it is next opened — so the log ends up complete however often the connection dropped.
 * Feeds are kept per room for the tab's life: switching back shows the cached log at once.
 */
import type { ChatClientEvents } from './client-types';
import { Emitter } from './emitter';
import { fillGap, type GapFillOptions, type HistoryPage } from './gap-fill';
import { MessageLog } from './message-log';

/** The part of ChatClient the feed needs. */
export interface FeedClient {
  on<K extends keyof ChatClientEvents>(type: K, listener: (payload: ChatClientEvents[K]) => void): () => void;
}

/** What the feed reports: the log changed, or reading history failed. */
export interface RoomFeedEvents {
  change: undefined;
  error: unknown;
}

/** Counters for diagnostics, tests and benchmarks. */
export interface RoomFeedStats {
  fills: number;
  pages: number;
  incomplete: number;
  /** Messages first learnt from a live frame / from history. */
  live: number;
  fromHistory: number;
}

/** Keeps a MessageLog in step with a client and the history API. Call `start()`, then `stop()`. */
export class RoomFeed {
  readonly log = new MessageLog();
  readonly stats: RoomFeedStats = { fills: 0, pages: 0, incomplete: 0, live: 0, fromHistory: 0 };
  private readonly events = new Emitter<RoomFeedEvents>();
  private readonly offs: Array<() => void> = [];
  // undefined: no history page yet; null: nothing older exists; else the `before` of the next older page.
  private cursor: string | null | undefined;
  /** Bumped when the log is reset, so an older page fetched for the previous log is not merged into it. */
  private epoch = 0;
  private syncing: Promise<void> | undefined;
  private again = false;
  private running = false;
  private active = true;
  /** A socket (re)subscribed while the room was off screen: read back when it is shown again. */
  private stale = false;
  /** The newest id held when the connection was last lost; the next read-back reaches back to it. */
  private watermark: string | undefined;

  constructor(
    private readonly client: FeedClient,
    readonly roomId: string,
    private readonly history: HistoryPage,
    private readonly gapFill: GapFillOptions = {},
  ) {}

  on<K extends keyof RoomFeedEvents>(type: K, listener: (payload: RoomFeedEvents[K]) => void): () => void {
    return this.events.on(type, listener);
  }

  get historyLoaded(): boolean {
    return this.cursor !== undefined;
  }

  get hasOlder(): boolean {
    return typeof this.cursor === 'string';
  }

  /** Listens to the client and loads the newest page (subscribe and connect the client yourself). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.offs.push(
      this.client.on('message', (message) => {
        if (message.roomId !== this.roomId || !this.log.add([message])) return;
        this.stats.live++;
        this.events.emit('change', undefined);
      }),
      this.client.on('status', (status) => {
        // Live frames after the reconnect land above the hole: remember where it starts.
        if (status === 'reconnecting' && this.watermark === undefined) this.watermark = this.log.newest()?.messageId;
      }),
      this.client.on('subscribed', (frame) => {
        if (!frame.roomIds.includes(this.roomId)) return;
        if (this.active) void this.sync();
        else this.stale = true;
      }),
    );
    void this.sync();
  }

  /** On screen (reads back at once after a reconnect) or not (reads back when shown again). */
  setActive(active: boolean): void {
    this.active = active;
    if (active && this.stale && this.running) {
      this.stale = false;
      void this.sync();
    }
  }

  stop(): void {
    this.running = false;
    for (const off of this.offs.splice(0)) off();
  }

  /** Reads back what may have been missed; concurrent calls coalesce into one more pass. Never rejects. */
  sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.again = false;
        await this.fillOnce();
      } while (this.again && this.running);
    })().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /** Resolves once no read-back is running. */
  async idle(): Promise<void> {
    while (this.syncing) await this.syncing;
  }

  /** Loads the next older page, if any. */
  async loadOlder(): Promise<void> {
    if (typeof this.cursor !== 'string') return;
    const epoch = this.epoch;
    const page = await this.history({ before: this.cursor });
    if (!this.running || epoch !== this.epoch) return;
    this.stats.fromHistory += this.log.add(page.messages);
    this.cursor = page.nextBefore;
    this.events.emit('change', undefined);
  }

  private async fillOnce(): Promise<void> {
    const since = this.watermark;
    this.watermark = undefined;
    try {
      const result = await fillGap(this.log, this.history, since === undefined ? this.gapFill : { ...this.gapFill, since });
      this.stats.fills++;
      this.stats.pages += result.pages;
      this.stats.fromHistory += result.added;
      if (!result.complete) {
        this.stats.incomplete++;
        this.epoch++;
      }
      if (this.cursor === undefined || !result.complete) this.cursor = result.nextBefore;
      this.events.emit('change', undefined);
    } catch (error) {
      const pending = this.watermark as string | undefined; // a reconnect during the read may have set a newer one
      if (since !== undefined && (pending === undefined || since < pending)) this.watermark = since; // still owed
      if (this.running) this.events.emit('error', error);
    }
  }
}
