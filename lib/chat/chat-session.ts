/**
 * Everything a signed-in tab holds, framework-free: ONE ChatClient (one socket for all rooms), a RoomFeed,
 * Outgoing and presence per room — kept for the tab's life, so switching rooms shows the cached messages
 * at once and reads back only what is missing — and the sidebar's RoomList, kept current from live frames.
 * Opening a room (while the tab is visible) marks it read; the server syncs that to the user's other tabs.
 */
import type { ChatApi } from '../api';
import { ChatClient } from '../chat-client';
import { ChatError, parseBody, withRef } from '../chat-error';
import { ErrorCode, LIMITS, roomKindOf, withinWindow, type ChatMessage, type CreateRoomRequest, type Member, type PresenceUser, type RoomSummary } from '../protocol';
import type { ChatClientOptions, ConnectionStatus } from './client-types';
import { Emitter } from './emitter';
import { Outgoing, describeError } from './outgoing';
import { RoomFeed } from './room-feed';
import { RoomList, roomName } from './room-list';
import { Typists, TypingThrottle } from './typing';

/** Whether the person may see the room, and as what. */
export type RoomAccess =
  | { readonly state: 'loading' }
  | { readonly state: 'member'; readonly room: RoomSummary }
  /** A public room the person has not joined: readable, with a Join button. */
  | { readonly state: 'preview'; readonly room: RoomSummary }
  /** Missing, or private/DM and not a member: the same words either way. */
  | { readonly state: 'not-found' };

/** One room as the tab holds it. */
export interface RoomState {
  readonly roomId: string;
  readonly feed: RoomFeed;
  readonly outgoing: Outgoing;
  access: RoomAccess;
  /** Who has a live socket in the room (from presenceList pages + presenceDelta frames). */
  readonly online: Map<string, PresenceUser>;
  /** The read position when the room was opened with unread messages: the "New messages" divider follows it. */
  dividerAfter: string | null | undefined;
  members: readonly Member[] | undefined;
  /** The message the timeline should scroll to (a reply's original); `seq` changes on every jump. */
  target: { readonly messageId: string; readonly seq: number } | undefined;
}

/** True when the newest history page cannot reach the first of `unread` messages ("99+"). */
const beyondOnePage = (unread: number) => unread > LIMITS.unreadCountCap;

/** The first history page of a room with `unread` messages: them and the read one before (for the divider). */
const firstPageSize = (unread: number) => Math.min(LIMITS.historyMaxLimit, Math.max(LIMITS.historyDefaultLimit, unread + 1));

/** How long to gather frames that each ask for the list to be reloaded. */
const REFRESH_DEBOUNCE_MS = 250;
/** Most member pages read for the mention autocomplete (the members dialog pages through all: `memberPage`). */
const MEMBER_PAGES = 5;

export interface ChatSessionOptions {
  api: ChatApi;
  webSocketUrl: string;
  selfId: string;
  /** Extra ChatClient options (tests: a Node WebSocket, fast backoff). */
  client?: Partial<ChatClientOptions>;
}

/** The tab's chat state. `start()`, `open(roomId)` on every switch, `close()` on sign-out. */
export class ChatSession {
  readonly client: ChatClient;
  readonly list: RoomList;
  readonly api: ChatApi;
  readonly selfId: string;
  private readonly rooms = new Map<string, RoomState>();
  private readonly names = new Map<string, string>();
  private readonly events = new Emitter<{ change: undefined }>();
  private readonly offs: Array<() => void> = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Who is typing where, until when. */
  private readonly typists: Typists;
  private readonly typingThrottle = new TypingThrottle();
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private jumps = 0;
  private closed = false;
  /** Bumped on every visible change (React reads it with useSyncExternalStore). */
  version = 0;
  active: string | undefined;
  visible = true;
  status: ConnectionStatus = 'connecting';
  /** Human words for the latest problem, until dismissed. */
  error: string | undefined;
  /** The server speaks a newer protocol (CLIENT_OUTDATED): only a reload of the new build helps. */
  outdated = false;

  constructor(options: ChatSessionOptions) {
    this.api = options.api;
    this.selfId = options.selfId;
    this.list = new RoomList(options.selfId);
    this.typists = new Typists(options.selfId);
    this.client = new ChatClient({
      webSocketUrl: options.webSocketUrl,
      fetchTicket: async () => (await options.api.createTicket()).ticket,
      ...options.client,
    });
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => this.events.on('change', listener);

  /** Connects and loads "my rooms". */
  start(): void {
    const c = this.client;
    this.offs.push(
      c.on('status', (status) => {
        this.status = status;
        this.changed();
      }),
      c.on('opened', (info) => {
        if (info.reconnect) this.scheduleRefresh(); // counts moved while we were away
      }),
      c.on('message', (message) => this.onMessage(message)),
      c.on('subscribed', (frame) => {
        for (const refused of frame.refused) if (refused.code === ErrorCode.NotFound) this.lost(refused.roomId);
        if (this.active && frame.roomIds.includes(this.active)) this.requestPresence(this.active);
      }),
      c.on('presenceList', (frame) => {
        const room = this.rooms.get(frame.roomId);
        if (!room) return;
        for (const user of frame.users) this.learn(user), room.online.set(user.userId, user);
        if (frame.nextCursor) c.requestPresence(frame.roomId, frame.nextCursor);
        this.changed();
      }),
      c.on('presenceDelta', (frame) => {
        const room = this.rooms.get(frame.roomId);
        if (!room) return;
        for (const user of frame.joined) this.learn(user), room.online.set(user.userId, user);
        for (const user of frame.left) room.online.delete(user.userId);
        this.changed();
      }),
      c.on('readState', (frame) => {
        if (this.list.onReadState(frame) === 'reload') this.scheduleRefresh();
        this.changed();
      }),
      c.on('membership', (frame) => {
        if (frame.change === 'added') {
          if (frame.room) this.list.upsert(frame.room, null);
          c.resubscribe([frame.roomId]); // followed as a visitor until now: the server's check announces the member
          const room = this.rooms.get(frame.roomId);
          if (room && frame.room) room.access = { state: 'member', room: frame.room };
          if (frame.roomId === this.active) this.markRead();
          this.scheduleRefresh(); // the stored membership, counts and DM peer
        } else {
          this.list.remove(frame.roomId);
          this.lost(frame.roomId);
        }
        this.changed();
      }),
      c.on('typing', (frame) => {
        if (!this.typists.note(frame.roomId, frame.user, Date.now())) return;
        this.scheduleTypingExpiry();
        this.changed();
      }),
      c.on('changed', (frame) => {
        if (this.list.onChanged(frame.message)) this.changed();
      }),
      c.on('error', (frame) => {
        if (frame.code === ErrorCode.ClientOutdated) {
          this.outdated = true;
          return this.changed();
        }
        if (frame.code === ErrorCode.NotFound && frame.roomId && !frame.clientMessageId) return this.lost(frame.roomId);
        if (frame.clientMessageId) return; // shown on the message itself (Outgoing)
        this.error = withRef(frame.message, frame.ref);
        this.changed();
      }),
    );
    c.connect();
    void this.refresh();
  }

  /** Closes the socket (sign-out). */
  close(): void {
    this.closed = true;
    clearTimeout(this.refreshTimer);
    clearTimeout(this.typingTimer);
    for (const off of this.offs.splice(0)) off();
    for (const room of this.rooms.values()) room.feed.stop();
    this.client.close();
  }

  /** Shows `roomId`: its cached messages at once, the missing ones read back, marked read when visible. */
  open(roomId: string): RoomState {
    const previous = this.active !== undefined ? this.rooms.get(this.active) : undefined;
    if (previous && previous.roomId !== roomId) {
      previous.feed.setActive(false);
      // A previewed room is not followed once left (it is not the person's room).
      if (previous.access.state === 'preview') this.forget(previous.roomId);
    }
    this.active = roomId;
    const entry = this.list.get(roomId);
    const room = this.ensure(roomId);
    room.feed.setActive(true);
    room.dividerAfter = entry && entry.unread > 0 ? entry.membership.lastReadMessageId : undefined;
    if (entry) room.access = { state: 'member', room: entry.room };
    else if (room.access.state !== 'not-found' || roomKindOf(roomId) === 'public') void this.loadInfo(room);
    if (this.client.subscriptions.includes(roomId)) this.requestPresence(roomId);
    else this.client.subscribe([roomId]);
    this.markRead();
    this.changed();
    return room;
  }

  /** The state of a room opened before (undefined otherwise). */
  room(roomId: string): RoomState | undefined {
    return this.rooms.get(roomId);
  }

  /** A person's display name, as far as this tab has seen it. */
  nameOf = (userId: string): string | undefined => this.names.get(userId);

  /** Remembers a person's name (own name from the token, members, presence, authors). */
  learn(user: PresenceUser): void {
    this.names.set(user.userId, user.displayName);
  }

  /** Tab shown or hidden: a hidden tab does not mark rooms read. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.markRead();
  }

  /** Moves the read position of the active room to its newest message (when visible; `force` for Esc). */
  markRead(force = false): void {
    const roomId = this.active;
    const room = roomId ? this.rooms.get(roomId) : undefined;
    const entry = roomId ? this.list.get(roomId) : undefined;
    if (!roomId || !room || !entry || (!this.visible && !force)) return;
    if (force) room.dividerAfter = undefined;
    const newest = room.feed.log.newest();
    const lastRead = entry.membership.lastReadMessageId;
    if (!newest || (lastRead !== null && lastRead >= newest.messageId)) return this.changed();
    this.list.onReadState({ roomId, lastReadMessageId: newest.messageId, muted: entry.membership.muted });
    if (!this.client.markRead(roomId, newest.messageId)) void this.api.markRead(roomId, newest.messageId).catch(() => undefined);
    this.changed();
  }

  /** Names of the people typing in a room now (never the person themselves). */
  typingIn(roomId: string): string[] {
    return this.typists.names(roomId, Date.now());
  }

  /** The person is typing in a room they are a member of: tell the others, at most every typingIntervalMs. */
  noteTyping(roomId: string): void {
    const now = Date.now();
    if (!this.list.has(roomId) || !this.typingThrottle.due(roomId, now)) return;
    if (this.client.typing(roomId)) this.typingThrottle.markSent(roomId, now);
  }

  /**
   * Sends in a room (optionally as a reply to a message of that room); the body already has mention tokens.
   * Throws a ChatError for a body that can never be sent.
   */
  send(roomId: string, body: string, replyToMessageId?: string): void {
    this.ensure(roomId).outgoing.send(body, replyToMessageId);
    this.typingThrottle.reset(roomId);
  }

  /** Replaces the body of one's own message. Throws a ChatError for a body that can never be sent; server refusals are reported. */
  edit(roomId: string, messageId: string, body: string): void {
    const text = parseBody(body);
    this.settle(this.client.edit(roomId, messageId, text));
  }

  /** Deletes one's own message (refusals are reported in words). */
  remove(roomId: string, messageId: string): void {
    this.settle(this.client.delete(roomId, messageId));
  }

  /** Sets or unsets the person's reaction (refusals are reported in words). */
  react(roomId: string, messageId: string, emoji: string, op: 'set' | 'unset'): void {
    this.settle(this.client.react(roomId, messageId, emoji, op));
  }

  /**
   * Shows a message of a room (a reply's original): loads the history around it when it is not held, then asks the
   * timeline to scroll to it (`RoomState.target`).
   */
  async jumpTo(roomId: string, messageId: string): Promise<boolean> {
    const room = this.ensure(roomId);
    // The target first: the timeline scrolls as soon as the message is among its rows (at once when held, or in
    // the same render as the loaded neighbourhood).
    const target = { messageId, seq: ++this.jumps };
    room.target = target;
    this.changed();
    try {
      // Not found only when a later jump replaced this one (a message gone from the room is MESSAGE_NOT_FOUND, below).
      const found = await room.feed.jumpTo(messageId);
      if (!found && room.target === target) room.target = undefined;
      this.changed();
      return found;
    } catch (error) {
      if (room.target === target) room.target = undefined;
      this.report(describeError(error));
      return false;
    }
  }

  /** The person's newest message in a room that can still be edited (↑ in an empty composer). */
  lastEditable(roomId: string): ChatMessage | undefined {
    const list = this.rooms.get(roomId)?.feed.log.list() ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const m = list[i]!;
      if (m.authorId !== this.selfId || m.deletedAt) continue;
      return withinWindow('edit', m.createdAt) ? m : undefined;
    }
    return undefined;
  }

  /** Shows a problem in words (until dismissed). */
  report(text: string): void {
    this.error = text;
    this.changed();
  }

  dismissError(): void {
    this.error = undefined;
    this.changed();
  }

  // ------------------------------------------------------------ membership actions (HTTP)

  async join(roomId: string): Promise<void> {
    const { room, membership } = await this.api.joinRoom(roomId);
    this.list.upsert(room, membership);
    const state = this.rooms.get(roomId);
    if (state) state.access = { state: 'member', room };
    this.client.subscribe([roomId]);
    this.markRead(); // joined while reading it: what is on screen is read
    this.changed();
  }

  async leave(roomId: string): Promise<void> {
    await this.api.leaveRoom(roomId);
    this.list.remove(roomId);
    this.lost(roomId);
  }

  /** Creates a room; resolves with its id (navigate there). */
  async create(request: CreateRoomRequest): Promise<string> {
    const { room, membership } = await this.api.createRoom(request);
    this.list.upsert(room, membership);
    this.client.subscribe([room.roomId]);
    this.changed();
    return room.roomId;
  }

  /** The one DM with `userId` (created on first use); resolves with its id. */
  async directMessage(userId: string): Promise<string> {
    const { room, membership, peer } = await this.api.openDm(userId);
    this.list.upsert(room, membership, peer);
    if (peer) this.learn(peer);
    this.client.subscribe([room.roomId]);
    this.changed();
    return room.roomId;
  }

  async setMuted(roomId: string, muted: boolean): Promise<void> {
    const { membership } = await this.api.mute(roomId, muted);
    this.list.onReadState({ roomId, lastReadMessageId: membership.lastReadMessageId, muted: membership.muted });
    this.changed();
  }

  /** Reads the room's members (mentions, the members panel); names go into the directory. */
  async loadMembers(roomId: string): Promise<readonly Member[]> {
    const members: Member[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MEMBER_PAGES; page++) {
      const answer = await this.api.members(roomId, { ...(cursor ? { cursor } : {}), limit: LIMITS.listPageMax });
      members.push(...answer.members);
      if (!answer.nextCursor) break;
      cursor = answer.nextCursor;
    }
    for (const m of members) this.learn(m);
    const room = this.rooms.get(roomId);
    if (room) room.members = members;
    this.changed();
    return members;
  }

  /** One page of a room's members for a list the person pages through (the members dialog); names are learnt. */
  async memberPage(roomId: string, cursor?: string, limit: number = LIMITS.listPageMax): Promise<{ members: readonly Member[]; nextCursor: string | null }> {
    const answer = await this.api.members(roomId, { ...(cursor ? { cursor } : {}), limit });
    for (const m of answer.members) this.learn(m);
    return answer;
  }

  async addMember(roomId: string, userId: string): Promise<void> {
    await this.api.addMember(roomId, userId);
    await this.loadMembers(roomId);
  }

  async removeMember(roomId: string, userId: string): Promise<void> {
    await this.api.removeMember(roomId, userId);
    await this.loadMembers(roomId);
  }

  /** People this tab knows who share a room with the person (candidates to add to a private room). */
  async knownPeople(): Promise<PresenceUser[]> {
    const rooms = this.list.ids().slice(0, 10);
    await Promise.all(rooms.map((id) => (this.rooms.get(id)?.members ? undefined : this.loadMembers(id).catch(() => undefined))));
    return [...this.names.entries()]
      .filter(([userId]) => userId !== this.selfId)
      .map(([userId, displayName]) => ({ userId, displayName }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  /** Reloads "my rooms" (exact counts) and follows every room in it. */
  async refresh(): Promise<void> {
    try {
      const version = this.list.version;
      const { rooms } = await this.api.myRooms();
      if (this.closed) return;
      // Joined, left, removed or read meanwhile: this answer may predate it. Ask again a little later (the
      // first list is shown anyway); once things are quiet an answer is current, so the counts converge.
      if (this.list.version !== version) {
        this.scheduleRefresh();
        if (this.list.loaded) return;
      }
      const first = !this.list.loaded;
      this.list.replace(rooms);
      // The room opened before the first list arrived (sign-in, a link) still lands on its first unread.
      const active = first && this.active ? this.rooms.get(this.active) : undefined;
      const entry = active && this.list.get(active.roomId);
      if (active && entry && entry.unread > 0) {
        active.dividerAfter = entry.membership.lastReadMessageId;
        // Its first page was sized without the count: open at the read position unless that page reaches it.
        if (entry.unread > firstPageSize(0)) void active.feed.showFrom(entry.membership.lastReadMessageId);
      }
      for (const entry of rooms) {
        if (entry.peer) this.learn(entry.peer);
        if (entry.lastMessage) this.learn({ userId: entry.lastMessage.authorId, displayName: entry.lastMessage.authorName });
        const room = this.rooms.get(entry.room.roomId);
        if (room) room.access = { state: 'member', room: entry.room };
      }
      this.client.subscribe(rooms.map((e) => e.room.roomId));
      this.markRead();
    } catch (error) {
      this.error = describeError(error);
    }
    this.changed();
  }

  /** The name a room shows (DMs: the other person). */
  displayName(roomId: string): string {
    const entry = this.list.get(roomId);
    if (entry) return roomName(entry);
    const access = this.rooms.get(roomId)?.access;
    return access && 'room' in access ? access.room.name : roomId;
  }

  // ------------------------------------------------------------ internals

  private ensure(roomId: string): RoomState {
    let room = this.rooms.get(roomId);
    if (room) return room;
    const entry = this.list.get(roomId);
    const unread = entry?.unread ?? 0;
    // Enough history to land on the first unread message in one request.
    const pageSize = firstPageSize(unread);
    const feed = new RoomFeed(
      this.client,
      roomId,
      (options) => this.api.getMessages(roomId, options),
      { pageSize, gapPageSize: LIMITS.historyMaxLimit },
      (options) => this.api.getChanges(roomId, options),
    );
    const outgoing = new Outgoing({ send: (body, id, replyTo) => this.client.send(roomId, body, id, replyTo) }, () => this.changed());
    room = { roomId, feed, outgoing, access: { state: 'loading' }, online: new Map(), dividerAfter: undefined, members: undefined, target: undefined };
    this.rooms.set(roomId, room);
    let askedMembers = false;
    feed.on('change', () => {
      const recent = feed.log.list().slice(-LIMITS.historyMaxLimit);
      for (const m of recent) this.names.set(m.authorId, m.authorName);
      // Mention tokens carry ids only: read the members once if someone mentioned is not known yet.
      if (!askedMembers && recent.some((m) => m.mentions?.some((id) => !this.names.has(id)))) {
        askedMembers = true;
        void this.loadMembers(roomId).catch(() => undefined);
      }
      if (roomId === this.active) this.markRead();
      this.changed();
    });
    feed.on('error', (error) => {
      if (error instanceof ChatError && error.code === ErrorCode.NotFound) return this.lost(roomId);
      if (roomId === this.active) {
        this.error = describeError(error);
        this.changed();
      }
    });
    // More unread than the newest page holds ("99+"): open at the read position, so the reader lands on the first one.
    feed.start(entry && beyondOnePage(entry.unread) ? entry.membership.lastReadMessageId : undefined);
    return room;
  }

  private async loadInfo(room: RoomState): Promise<void> {
    try {
      const info = await this.api.roomInfo(room.roomId);
      if (info.peer) this.learn(info.peer);
      if (info.membership) this.list.upsert(info.room, info.membership, info.peer);
      room.access = { state: info.membership ? 'member' : 'preview', room: info.room };
    } catch (error) {
      if (error instanceof ChatError && error.code === ErrorCode.NotFound) room.access = { state: 'not-found' };
      else this.error = describeError(error);
    }
    this.changed();
  }

  /**
   * Access to a room is gone (removed, left, refused): stop following it; a public room falls back to preview. A
   * refusal can be the only word of a removal (made while this socket's subscriptions were on their way), so the
   * room leaves the list too.
   */
  private lost(roomId: string): void {
    if (this.list.has(roomId)) this.list.remove(roomId);
    this.client.dropRoom(roomId, new ChatError(ErrorCode.NotFound, 'You are no longer in this room; your message was not sent'));
    const room = this.rooms.get(roomId);
    if (room && roomId === this.active) {
      room.online.clear();
      if (roomKindOf(roomId) === 'public') void this.loadInfo(room);
      else room.access = { state: 'not-found' };
    } else this.forget(roomId);
    this.changed();
  }

  /** Drops a room's cache and subscription. */
  private forget(roomId: string): void {
    const room = this.rooms.get(roomId);
    room?.feed.stop();
    this.rooms.delete(roomId);
    if (!this.list.has(roomId)) this.client.unsubscribe([roomId]);
  }

  private onMessage(message: ChatMessage): void {
    this.names.set(message.authorId, message.authorName);
    if (this.typists.clear(message.roomId, message.authorId)) this.changed(); // they sent it: no longer typing
    const seen = message.roomId === this.active && this.visible;
    if (this.list.onMessage(message, seen)) this.changed();
    if (this.list.uncertain) {
      this.list.uncertain = false;
      this.scheduleRefresh();
    }
  }

  /** Reports a refused edit, delete or reaction in words (the change itself arrives as a `changed` frame). */
  private settle(request: Promise<unknown>): void {
    request.catch((error: unknown) => this.report(describeError(error)));
  }

  /** Re-renders when the next typing notice expires, so it disappears on time. */
  private scheduleTypingExpiry(): void {
    clearTimeout(this.typingTimer);
    const next = this.typists.nextExpiry(Date.now());
    if (next === undefined) return;
    this.typingTimer = setTimeout(() => {
      this.changed();
      this.scheduleTypingExpiry();
    }, next - Date.now() + 20);
  }

  private requestPresence(roomId: string): void {
    this.rooms.get(roomId)?.online.clear();
    this.client.requestPresence(roomId);
  }

  /** One reload at most every REFRESH_DEBOUNCE_MS, however many frames ask (a busy room never starves it). */
  private scheduleRefresh(): void {
    if (this.refreshTimer !== undefined || this.closed) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, REFRESH_DEBOUNCE_MS);
  }

  private changed(): void {
    this.version++;
    this.events.emit('change', undefined);
  }
}
