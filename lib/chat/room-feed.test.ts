/**
 * The client stack end to end on the real local stack (dynalite + gateway + the real handlers): ChatClient
 * + RoomFeed + the real HTTP API client. A reader that was away during a gateway restart while others
 * kept posting reads everything back; a refused (expired) token is refreshed once.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { testUser } from '../../amplify/local/testing';
import { describe, expect, it } from 'vitest';
import type { HistoryOptions } from '../api';
import { Paths, type ChatMessage } from '../protocol';
import { until, useClientStack } from './client-stack';
import { RoomFeed } from './room-feed';

const ctx = useClientStack();

const join = (...args: Parameters<typeof ctx.kit.join>) => ctx.kit.join(...args);
const post = (...args: Parameters<typeof ctx.kit.post>) => ctx.kit.post(...args);
const seededRoom = (roomId: string, name: string) => ctx.kit.seededRoom(roomId, name);

describe('RoomFeed on the real stack', () => {
  it('after a gateway restart, reads back everything posted while it was away: complete, ordered, no duplicates', async () => {
    const roomId = 'feed-restart';
    const readerUser = testUser('Reader');
    // Rooms exist once created; sending in a public room joins the sender.
    const created = await ctx.stack.api(Paths.rooms, { method: 'POST', token: await ctx.stack.tokenFor(readerUser), body: { name: roomId, visibility: 'public' } });
    expect(created.status).toBe(201);
    const reader = join(readerUser, roomId);
    reader.feed.start();
    reader.client.connect();
    await until(() => reader.client.status === 'open');
    const writers = [testUser('W1'), testUser('W2'), testUser('W3')];
    for (const w of writers) await post(w, roomId, `live from ${w.preferred_username}`);
    await until(() => reader.feed.log.size === 3);

    let release!: () => void;
    reader.hold(new Promise<void>((resolve) => (release = resolve)));
    await ctx.stack.restartGateway();
    await until(() => reader.client.status === 'reconnecting');
    // 45 messages (15 per writer: under the per-user rate limit) while the reader cannot get a ticket.
    for (let i = 0; i < 15; i++) for (const w of writers) await post(w, roomId, `missed ${i} by ${w.preferred_username}`);
    release();
    await until(() => reader.client.status === 'open' && reader.feed.log.size === 48);
    await reader.feed.idle();

    const stored = await ctx.kit.stored(roomId);
    expect(reader.feed.log.list().map((m) => m.messageId)).toEqual(stored);
    expect(reader.feed.stats.incomplete).toBe(0);
    expect(reader.feed.stats.pages).toBeGreaterThanOrEqual(5); // 45 missed at 10 per page
    expect(reader.client.stats.reconnects).toBe(1);
    reader.feed.stop();
    reader.client.close();
  });

  it('edits, deletes and reactions made while away arrive through the changes feed; live ones apply at once', async () => {
    const roomId = 'feed-changes';
    const readerUser = testUser('ChangeReader');
    const writerUser = testUser('ChangeWriter');
    const created = await ctx.stack.api(Paths.rooms, { method: 'POST', token: await ctx.stack.tokenFor(readerUser), body: { name: roomId, visibility: 'public' } });
    expect(created.status).toBe(201);
    const reader = join(readerUser, roomId);
    // overlapMs 0: the history read-back covers only messages newer than the newest held, so the changed
    // (older) messages can ONLY come back through the changes feed.
    const feed = new RoomFeed(reader.client, roomId, (o) => reader.api.getMessages(roomId, o), { overlapMs: 0 }, (o) => reader.api.getChanges(roomId, o));
    feed.start();
    reader.client.connect();
    const writer = join(writerUser, roomId);
    writer.client.connect();
    await until(() => reader.client.status === 'open' && writer.client.status === 'open');
    const sent: ChatMessage[] = [];
    for (const body of ['one', 'two', 'three', 'four']) sent.push(await writer.client.send(roomId, body));
    await until(() => feed.log.size === 4);
    await feed.idle();
    expect(feed.appliedChangeSeq).toBeDefined();

    // Live: an edit shows at once, from the frame.
    await writer.client.edit(roomId, sent[3]!.messageId, 'four (live edit)');
    await until(() => feed.log.get(sent[3]!.messageId)?.body === 'four (live edit)');
    expect(feed.stats.liveChanges).toBe(1);

    let release!: () => void;
    reader.hold(new Promise<void>((resolve) => (release = resolve)));
    await ctx.stack.restartGateway();
    await until(() => reader.client.status === 'reconnecting' && writer.client.status === 'open', 20_000);

    await writer.client.edit(roomId, sent[0]!.messageId, 'one (edited while away)');
    await writer.client.delete(roomId, sent[1]!.messageId);
    await writer.client.react(roomId, sent[2]!.messageId, '👍', 'set');
    // A retried set changes nothing (idempotent, never a toggle).
    await writer.client.react(roomId, sent[2]!.messageId, '👍', 'set');
    release();
    await until(() => feed.log.get(sent[2]!.messageId)?.reactions?.[0]?.userIds.length === 1 && !!feed.log.get(sent[1]!.messageId)?.deletedAt);
    await feed.idle();

    const one = feed.log.get(sent[0]!.messageId)!;
    expect(one.body).toBe('one (edited while away)');
    expect(one.editedAt).toBeDefined();
    const two = feed.log.get(sent[1]!.messageId)!;
    expect(two.body).toBe('');
    expect(feed.log.get(sent[2]!.messageId)!.reactions).toEqual([{ emoji: '👍', userIds: [writerUser.sub] }]);
    expect(feed.stats.fetchedChanges).toBe(3);
    expect(feed.stats.liveChanges).toBe(1);
    expect(feed.log.size).toBe(4);
    feed.stop();
  });

  it('jumps to an old message through the history around it, then walks back to the present without a hole', async () => {
    const roomId = 'feed-jump';
    const owner = testUser('JumpOwner');
    const created = await ctx.stack.api(Paths.rooms, { method: 'POST', token: await ctx.stack.tokenFor(owner), body: { name: roomId, visibility: 'public' } });
    expect(created.status).toBe(201);
    const writers = [testUser('J1'), testUser('J2'), testUser('J3')];
    for (let i = 0; i < 15; i++) for (const w of writers) await post(w, roomId, `old ${i} by ${w.preferred_username}`);
    const stored = () => ctx.kit.stored(roomId);
    const ids = await stored();
    const reader = join(owner, roomId);
    const requests: HistoryOptions[] = [];
    const feed = new RoomFeed(reader.client, roomId, (o) => (requests.push(o), reader.api.getMessages(roomId, o)), { pageSize: 10 });
    feed.start();
    reader.client.connect();
    await until(() => reader.client.status === 'open' && feed.log.size === 10);
    await feed.idle();
    expect(feed.log.has(ids[2]!)).toBe(false);

    requests.length = 0;
    expect(await feed.jumpTo(ids[2]!)).toBe(true);
    // One request for the neighbourhood, not every page in between (a reconnect read-back may run alongside).
    expect(requests.filter((r) => r.around)).toEqual([{ around: ids[2], limit: 50 }]);
    expect(requests.filter((r) => r.before)).toEqual([]);
    expect(feed.log.has(ids[2]!)).toBe(true);
    // 50 around the 3rd of 45 messages: 2 older + it + 24 newer, which does not reach the 10 held: detached.
    expect(feed.hasNewer).toBe(true);
    expect(feed.log.list().map((m) => m.messageId)).toEqual(ids.slice(0, 27));
    // A live message while detached waits (no hole in the log), then "load newer" walks back to the present.
    const delivered: string[] = [];
    reader.client.on('message', (m) => delivered.push(m.body));
    await post(writers[0]!, roomId, 'live while detached');
    await until(() => delivered.includes('live while detached')); // the frame reached the feed's client...
    expect(feed.log.list().some((m) => m.body === 'live while detached')).toBe(false); // ...and waits
    while (feed.hasNewer) await feed.loadNewer();
    await until(() => feed.log.list().at(-1)?.body === 'live while detached');
    expect(feed.log.list().map((m) => m.messageId)).toEqual(await stored());
    feed.stop();
  });

  it('opens at a read position further back than a page: the first unread first, then newer pages to the present', async () => {
    const roomId = 'feed-from';
    const { owner, ids } = await seededRoom(roomId, 'From');

    const reader = join(owner, roomId);
    const requests: HistoryOptions[] = [];
    const feed = new RoomFeed(reader.client, roomId, (o) => (requests.push(o), reader.api.getMessages(roomId, o)), { pageSize: 10 });
    feed.start(ids[9]); // read up to the 10th
    reader.client.connect();
    await until(() => reader.client.status === 'open' && feed.log.size === 100);
    await feed.idle();
    // The first request reads from the read position (not the newest page), and the log starts at the first unread.
    expect(requests[0]).toEqual({ from: ids[9], limit: 100 });
    expect(feed.log.list().map((m) => m.messageId)).toEqual(ids.slice(10, 110));
    expect(feed.hasNewer).toBe(true);
    expect(feed.hasOlder).toBe(true);
    await post(testUser('FromLive'), roomId, 'live while reading back');
    while (feed.hasNewer) await feed.loadNewer();
    await until(() => feed.log.list().at(-1)?.body === 'live while reading back');
    expect(feed.log.list().slice(0, -1).map((m) => m.messageId)).toEqual(ids.slice(10));
    feed.stop();

    // No read position at all: from the room's first message.
    const fresh = new RoomFeed(reader.client, roomId, (o) => reader.api.getMessages(roomId, o), { pageSize: 10 });
    fresh.start(null);
    await until(() => fresh.log.size === 100);
    expect(fresh.log.list().map((m) => m.messageId)).toEqual(ids.slice(0, 100));
    fresh.stop();
  });

  it('the newest page answered after a window was shown (the room list arrived meanwhile) is not glued onto it', async () => {
    const roomId = 'feed-late-newest';
    const { owner, ids } = await seededRoom(roomId, 'Late');

    const reader = join(owner, roomId);
    // The newest page (what a room opened without a read position asks first) is answered only when released.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let newestAsked = false;
    const feed = new RoomFeed(reader.client, roomId, async (o) => {
      const page = await reader.api.getMessages(roomId, o);
      if (o.from === undefined && o.before === undefined && o.after === undefined) (newestAsked = true), await held;
      return page;
    }, { pageSize: 10 });
    feed.start();
    await until(() => newestAsked);
    // Then the room list says the reader is 220 behind: the window at the first unread is shown, before that answer.
    await feed.showFrom(ids[9]!);
    expect(feed.log.list().map((m) => m.messageId)).toEqual(ids.slice(10, 110));
    release();
    await feed.idle();
    // Still exactly the window: the newest page read for the present is not added with a hole in between.
    expect(feed.log.list().map((m) => m.messageId)).toEqual(ids.slice(10, 110));
    expect(feed.hasNewer).toBe(true);
    while (feed.hasNewer) await feed.loadNewer();
    expect(feed.log.list().map((m) => m.messageId)).toEqual(ids.slice(10));
    feed.stop();
  });

  it('a room off screen during a reconnect reads back to where the hole began, even after newer live messages arrived', async () => {
    const roomId = 'feed-offscreen';
    const readerUser = testUser('Offscreen');
    expect((await ctx.stack.api(Paths.rooms, { method: 'POST', token: await ctx.stack.tokenFor(readerUser), body: { name: roomId, visibility: 'public' } })).status).toBe(201);
    // overlapMs 0 stands for "opened long after the reconnect" (the 30 s overlap would otherwise hide the bug).
    const reader = join(readerUser, roomId, () => ctx.stack.tokenFor(readerUser), { pageSize: 10, overlapMs: 0 });
    reader.feed.start();
    reader.feed.setActive(false);
    reader.client.connect();
    await until(() => reader.client.status === 'open' && reader.feed.historyLoaded);
    const writer = testUser('Writer');
    for (let i = 0; i < 3; i++) await post(writer, roomId, `before ${i}`);
    await until(() => reader.feed.log.size === 3);

    let release!: () => void;
    reader.hold(new Promise<void>((resolve) => (release = resolve)));
    await ctx.stack.restartGateway();
    await until(() => reader.client.status === 'reconnecting');
    for (let i = 0; i < 12; i++) await post(writer, roomId, `missed ${i}`);
    const confirmed = new Promise<void>((resolve) => reader.client.on('subscribed', () => resolve()));
    release();
    await confirmed; // the subscription is confirmed on the new socket; the room stays off screen
    for (let i = 0; i < 2; i++) await post(writer, roomId, `after ${i}`);
    await until(() => reader.feed.log.size === 5); // live only: the 12 missed are not read back yet

    reader.feed.setActive(true);
    await until(() => reader.feed.log.size === 17);
    await reader.feed.idle();
    const stored = await ctx.kit.stored(roomId);
    expect(reader.feed.log.list().map((m) => m.messageId)).toEqual(stored);
    reader.feed.stop();
    reader.client.close();
  });

  it('a refused ID token is refreshed once, then the ticket and socket work', async () => {
    const user = testUser('Refresh');
    const asked: (boolean | undefined)[] = [];
    const idToken = async (options?: { forceRefresh?: boolean }) => {
      asked.push(options?.forceRefresh);
      return ctx.stack.tokenFor(user, options?.forceRefresh ? {} : { expiresIn: '-1m' });
    };
    const { client } = join(user, 'feed-refresh', idToken);
    client.connect();
    await until(() => client.status === 'open');
    expect(asked).toEqual([undefined, true]);
    client.close();
  });
});
