/**
 * One room's conversation, framework-free: live frames for this room from the tab's ChatClient plus history
 * from the HTTP API, merged into a MessageLog. Every time the room's subscription is confirmed on a socket
 * (first open, reconnect, rollover) it reads back what may have been missed — at once when the room is on
 * screen, else when it is next opened — so the log ends up complete however often the connection dropped.
 * Messages change (edits, deletes, reactions): live `changed` frames are applied by revision, and every read-back
 * also fetches the room's changes since the last change order applied, so what changed while away shows too.
 * A jump to an old message (reply quote) reads the history AROUND it; the log then holds that window, detached
 * from the present, until "load newer" reaches the newest message again (live messages wait meanwhile).
 * Feeds are kept per room for the tab's life: switching back shows the cached log at once.
 */
import { LIMITS, type ChangesResponse, type ChatMessage } from '../protocol';
import type { ChatClientEvents } from './client-types';
import { Emitter } from './emitter';
import { fillGap, type GapFillOptions, type HistoryPage } from './gap-fill';
import { MessageLog } from './message-log';

/** The part of ChatClient the feed needs. */
export interface FeedClient {
  on<K extends keyof ChatClientEvents>(type: K, listener: (payload: ChatClientEvents[K]) => void): () => void;
}

/** The room's changes after change `since` (GET /rooms/{roomId}/changes). */
export type ChangesPage = (options: { since: number; limit?: number }) => Promise<ChangesResponse>;

/** How many messages a jump reads around its target. */
const AROUND_LIMIT = 50;
/** The smallest message id (ULIDs): `from` it reads a room from its first message. */
const FIRST_ID = '00000000000000000000000000';
/** Most changes pages one read-back follows before leaving the rest to the next one. */
const MAX_CHANGE_PAGES = 20;
/** Thrown by a read-back's page that no longer belongs in the log (a window was shown meanwhile). */
const SUPERSEDED = Symbol('superseded');

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
  /** Held messages updated from a live `changed` frame / from the changes feed. */
  liveChanges: number;
  fetchedChanges: number;
}

/** Keeps a MessageLog in step with a client and the history API. Call `start()`, then `stop()`. */
export class RoomFeed {
  readonly log = new MessageLog();
  readonly stats: RoomFeedStats = { fills: 0, pages: 0, incomplete: 0, live: 0, fromHistory: 0, liveChanges: 0, fetchedChanges: 0 };
  private readonly events = new Emitter<RoomFeedEvents>();
  private readonly offs: Array<() => void> = [];
  // undefined: no history page yet; null: nothing older exists; else the `before` of the next older page.
  private cursor: string | null | undefined;
  /** Bumped when the log is reset, so an older page fetched for the previous log is not merged into it. */
  private epoch = 0;
  private syncing: Promise<void> | undefined;
  // Stryker disable next-line BooleanLiteral: equivalent — every pass starts by clearing it.
  private again = false;
  private running = false;
  private active = true;
  /** A socket (re)subscribed while the room was off screen: read back when it is shown again. */
  private stale = false;
  /** Every change up to this order has been applied (undefined: no history read yet, nothing to catch up on). */
  private changeSeq: number | undefined;
  /** After a jump: the `from` cursor of the next newer page; null when the log reaches the present. */
  private newer: string | null = null;
  /** Live messages that arrived while the log held an older window (added once it reaches the present). */
  private tail: ChatMessage[] = [];
  /** The newest id held when the connection was last lost; the next read-back reaches back to it. */
  private watermark: string | undefined;

  constructor(
    private readonly client: FeedClient,
    readonly roomId: string,
    private readonly history: HistoryPage,
    private readonly gapFill: GapFillOptions = {},
    private readonly changes?: ChangesPage,
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

  /** True while the log holds a window around an older message, not the newest ones. */
  get hasNewer(): boolean {
    return this.newer !== null;
  }

  /** The change order applied so far (diagnostics, tests). */
  get appliedChangeSeq(): number | undefined {
    return this.changeSeq;
  }

  /**
   * Listens to the client and loads the newest page (subscribe and connect the client yourself). With `from` (a
   * read position further back than the newest page reaches), the log starts at the messages just after it instead:
   * the reader lands on the first unread, and "load newer" walks to the present (see `showFrom`).
   */
  start(from?: string | null): void {
    if (this.running) return;
    this.running = true;
    this.offs.push(
      this.client.on('message', (message) => {
        if (message.roomId !== this.roomId) return;
        if (this.newer !== null) return void this.tail.push(message);
        if (!this.log.add([message])) return;
        this.stats.live++;
        this.events.emit('change', undefined);
      }),
      this.client.on('changed', (frame) => {
        if (frame.roomId !== this.roomId) return;
        if (this.log.update(frame.message)) {
          this.stats.liveChanges++;
          this.events.emit('change', undefined);
        }
        const tailed = this.tail.findIndex((m) => m.messageId === frame.message.messageId);
        if (tailed >= 0) this.tail[tailed] = frame.message;
        // No seq: the actor's answer to a repeat that changed nothing — the order did not move.
        // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent — comparisons with undefined (or NaN) are false below too; this is for the types.
        if (this.changeSeq === undefined || frame.seq === undefined) return;
        if (frame.seq === this.changeSeq + 1) this.changeSeq = frame.seq;
        // A gap in the change order (a frame lost on a dying socket): read the changes feed.
        else if (frame.seq > this.changeSeq + 1) void this.sync();
      }),
      this.client.on('status', (status) => {
        // Live frames after the reconnect land above the hole: remember where it starts (the first hole's, if a second
        // reconnect comes before the read-back).
        // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — nothing arrives between 'reconnecting' and 'open', so the newest held is the same at either.
        if (status !== 'reconnecting') return;
        // Stryker disable next-line OptionalChaining: equivalent — with nothing held the watermark stays undefined either way (the emitter contains a throwing listener).
        this.watermark ??= this.log.newest()?.messageId;
      }),
      this.client.on('subscribed', (frame) => {
        if (!frame.roomIds.includes(this.roomId)) return;
        if (this.active) void this.sync();
        else this.stale = true;
      }),
    );
    if (from !== undefined) void this.showFrom(from);
    else void this.sync();
  }

  /**
   * Replaces the log with the page just after `from` (null: the room's first messages), detached from the present
   * like a jump: "load newer" walks back and live messages wait until it does. Used to open a room at its first
   * unread message when more are unread than one page holds. Never rejects (a failure is reported as `error`).
   */
  async showFrom(from: string | null): Promise<void> {
    const epoch = ++this.epoch;
    const start = from ?? FIRST_ID;
    // Set before the request: a read-back started meanwhile must not merge the newest page into this window.
    this.newer = start;
    try {
      const page = await this.history({ from: start, limit: LIMITS.historyMaxLimit });
      if (!this.running || epoch !== this.epoch) return;
      this.showWindow(page);
      this.events.emit('change', undefined);
    } catch (error) {
      if (epoch !== this.epoch) return;
      // Could not open there: fall back to the newest page.
      this.newer = null;
      if (this.running) this.events.emit('error', error);
      void this.sync();
    }
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

  /**
   * Makes sure `messageId` is in the log: if not, replaces the log with the history around it (detached from the
   * present; `loadNewer` walks back). Resolves false when the message is not in this room.
   */
  async jumpTo(messageId: string): Promise<boolean> {
    if (this.log.has(messageId)) return true;
    const epoch = ++this.epoch;
    const page = await this.history({ around: messageId, limit: AROUND_LIMIT });
    if (!this.running || epoch !== this.epoch) return this.log.has(messageId);
    // Stryker disable next-line all: equivalent — the server answers MESSAGE_NOT_FOUND for a message not in the room, never a page without it.
    if (!page.messages.some((m) => m.messageId === messageId)) return false;
    const oldest = this.log.oldest()?.messageId;
    const newestRead = page.messages[0]!.messageId; // the page holds at least the target
    if (this.newer === null && oldest !== undefined && newestRead >= oldest) {
      // The neighbourhood meets what is held: just extend the log downwards in time.
      this.stats.fromHistory += this.log.add(page.messages);
      this.cursor = page.nextBefore;
    } else {
      this.showWindow(page);
    }
    this.events.emit('change', undefined);
    return true;
  }

  /** After a jump: loads the next newer page; once it reaches the present, live messages flow in again. */
  async loadNewer(): Promise<void> {
    if (this.newer === null) return;
    const epoch = this.epoch;
    const page = await this.history({ from: this.newer, limit: LIMITS.historyMaxLimit });
    if (!this.running || epoch !== this.epoch) return;
    this.stats.fromHistory += this.log.add(page.messages);
    this.newer = page.nextAfter ?? null;
    if (this.newer === null) this.attach();
    this.events.emit('change', undefined);
  }

  /** Leaves a jumped-to window: back to the newest page (what "Jump to latest" does after a jump). */
  async backToLatest(): Promise<void> {
    if (this.newer === null) return;
    this.epoch++;
    this.newer = null;
    this.tail = [];
    this.cursor = undefined;
    this.log.reset([]);
    this.events.emit('change', undefined);
    await this.sync();
  }

  /** Loads the next older page, if any. */
  async loadOlder(): Promise<void> {
    if (typeof this.cursor !== 'string') return;
    const epoch = this.epoch;
    const page = await this.history({ before: this.cursor, limit: LIMITS.historyMaxLimit });
    if (!this.running || epoch !== this.epoch) return;
    this.stats.fromHistory += this.log.add(page.messages);
    this.cursor = page.nextBefore;
    this.events.emit('change', undefined);
  }

  /** Replaces the log with a window of history, detached from the present until `loadNewer` walks back to it. */
  private showWindow(page: { messages: ChatMessage[]; nextBefore?: string | null; nextAfter?: string | null }): void {
    this.log.reset(page.messages);
    this.stats.fromHistory += page.messages.length;
    this.cursor = page.nextBefore;
    this.newer = page.nextAfter ?? null;
    if (this.newer === null) this.attach();
  }

  private attach(): void {
    this.newer = null;
    this.stats.live += this.log.add(this.tail.splice(0));
    // Opened at the first unread (showFrom): no read-back has run yet, so the changes feed has no starting point.
    if (this.changeSeq === undefined && this.running) void this.sync();
  }

  private async fillOnce(): Promise<void> {
    const since = this.watermark;
    this.watermark = undefined;
    try {
      // A jumped-to window is not the present: only changes are read back; "load newer" brings the rest.
      if (this.newer === null) {
        const epoch = this.epoch;
        // A window shown meanwhile (showFrom, a jump) owns the log: a page read for the present must not reach it
        // (fillGap adds as it reads), or the window gets the newest page glued on with a hole in between.
        const superseded = () => epoch !== this.epoch && this.newer !== null;
        const history: HistoryPage = async (options) => {
          const page = await this.history(options);
          if (superseded()) throw SUPERSEDED;
          return page;
        };
        // After a reconnect, read back at least to where the hole began (`since`, the watermark).
        const result = await fillGap(this.log, history, since === undefined ? this.gapFill : { ...this.gapFill, since });
        if (superseded()) return;
        this.stats.fills++;
        this.stats.pages += result.pages;
        this.stats.fromHistory += result.added;
        if (!result.complete) {
          this.stats.incomplete++;
          this.epoch++;
        }
        if (this.cursor === undefined || !result.complete) this.cursor = result.nextBefore;
        // The first page's order is where the changes feed starts; an older starting point is kept (safer).
        this.changeSeq ??= result.changeSeq;
        this.events.emit('change', undefined);
      }
      await this.catchUp();
    } catch (error) {
      if (error === SUPERSEDED) return;
      const pending = this.watermark as string | undefined; // a reconnect during the read may have set a newer one
      if (since !== undefined && (pending === undefined || since < pending)) this.watermark = since; // still owed
      if (this.running) this.events.emit('error', error);
    }
  }

  /**
   * Adds a message the changes feed names that the log's range should hold but does not: one stored late (its id
   * older than messages already read back, see `LIMITS.lateStoreMs`). Outside the range it is left to "load older"
   * (unless nothing older exists) or, in a jumped-to window, to "load newer".
   */
  private fillsHole(message: ChatMessage): boolean {
    const id = message.messageId;
    if (this.cursor !== null && !(id > (this.log.oldest()?.messageId ?? '~'))) return false;
    if (this.newer !== null && !(id < (this.log.newest()?.messageId ?? ''))) return false;
    return this.log.add([message]) > 0;
  }

  /** Applies every change after `changeSeq` to the messages held (a missed edit, delete, reaction or late message). */
  private async catchUp(): Promise<void> {
    if (!this.changes || this.changeSeq === undefined) return;
    for (let pages = 0; pages < MAX_CHANGE_PAGES; pages++) {
      const since = this.changeSeq;
      const page = await this.changes({ since, limit: LIMITS.changesPageMax });
      if (!this.running || this.changeSeq !== since) return;
      let applied = 0;
      for (const change of page.changes) if (this.log.update(change.message) || this.fillsHole(change.message)) applied++;
      this.stats.fetchedChanges += applied;
      this.changeSeq = Math.max(since, page.nextSince);
      if (applied) this.events.emit('change', undefined);
      if (!page.hasMore) return;
    }
  }
}
