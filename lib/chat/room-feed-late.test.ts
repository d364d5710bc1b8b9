/**
 * A message stored late, on the real stack: its id is a minute older than messages the reader already holds (a
 * starved send, a retry re-storing a lost row), so a read-back by time (newest held minus the 30 s overlap) cannot
 * reach it. The server puts it in the room's change order (`stored`), and the reconnecting reader adds it where its
 * log's range should hold it, leaving one older than its range to "load older". What chaos found under load.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { testUser, type TestUser } from '../../amplify/local/testing';
import { describe, expect, it } from 'vitest';
import { decodeTime } from 'ulid';
import { resetMessageIds } from '../../amplify/chat/messages';
import { sendMessage } from '../../amplify/chat/send-message';
import { Paths, type ChatMessage } from '../protocol';
import { until, useClientStack } from './client-stack';
import { RoomFeed } from './room-feed';

const ctx = useClientStack();

/**
 * A send through the real use case whose invocation began at `at` (its id carries that time), in a container of
 * its own: this process's id factory is monotonic and would otherwise give it the time of the newest id it made.
 */
async function sendAt(user: TestUser, roomId: string, body: string, at: number): Promise<ChatMessage> {
  resetMessageIds();
  const { message } = await sendMessage({ roomId, author: { userId: user.sub, displayName: user.preferred_username }, body }, at);
  resetMessageIds();
  return message;
}
const sendAgo = (user: TestUser, roomId: string, body: string, agoMs: number) => sendAt(user, roomId, body, Date.now() - agoMs);

/** A reader of `roomId` (a feed with the changes feed, default overlap) that is connected and has read its history. */
async function connectedReader(roomId: string, user: TestUser, pageSize: number) {
  const joined = ctx.kit.join(user, roomId);
  const feed = new RoomFeed(joined.client, roomId, (o) => joined.api.getMessages(roomId, o), { pageSize }, (o) => joined.api.getChanges(roomId, o));
  feed.start();
  joined.client.connect();
  await until(() => joined.client.status === 'open' && feed.historyLoaded);
  return { ...joined, feed };
}

/** Takes the reader's socket down (a gateway restart) and keeps it down until the returned release is called. */
async function away(r: { client: { status: string }; hold: (until: Promise<void>) => void }): Promise<() => void> {
  let release!: () => void;
  r.hold(new Promise<void>((resolve) => (release = resolve)));
  await ctx.stack.restartGateway();
  await until(() => r.client.status === 'reconnecting');
  return release;
}

describe('a message stored late', () => {
  it('reaches a reconnecting reader through the change order where its log should hold it (all of history held: even older than the oldest)', async () => {
    const roomId = 'feed-late';
    const readerUser = testUser('LateReader');
    const writer = testUser('LateWriter');
    expect((await ctx.stack.api(Paths.rooms, { method: 'POST', token: await ctx.stack.tokenFor(readerUser), body: { name: roomId, visibility: 'public' } })).status).toBe(201);
    const first = await sendAgo(writer, roomId, 'five minutes ago', 300_000);
    const second = await sendAgo(writer, roomId, 'three minutes ago', 180_000);
    // The default overlap (30 s): the late messages below are a minute and more older than the newest held.
    const r = await connectedReader(roomId, readerUser, 4);
    const { feed } = r;
    for (let i = 0; i < 4; i++) await ctx.kit.post(writer, roomId, `live ${i}`);
    await until(() => feed.log.size === 6);
    await feed.idle();
    expect(feed.hasOlder).toBe(false);

    const release = await away(r);
    const inRange = await sendAgo(writer, roomId, 'a minute late', 60_000);
    // Older than everything held, but the log holds the room's whole history: nothing for "load older" to bring.
    const oldest = await sendAgo(writer, roomId, 'late by ten minutes', 600_000);
    await ctx.kit.post(writer, roomId, 'after the late ones');
    release();
    await until(() => r.client.status === 'open' && feed.log.size === 9);
    await feed.idle();
    expect(feed.log.list().map((m) => m.messageId)).toEqual(await ctx.kit.stored(roomId));
    expect([feed.log.has(inRange.messageId), feed.log.oldest()!.messageId]).toEqual([true, oldest.messageId]);
    expect(feed.stats.fetchedChanges).toBe(2);
    expect([first, second].every((m) => feed.log.has(m.messageId))).toBe(true);
    feed.stop();
    r.client.close();
  });

  it('older than the log’s range while older history exists: not added, and "load older" brings it in its place', async () => {
    const roomId = 'feed-late-older';
    const readerUser = testUser('OlderReader');
    const writer = testUser('OlderWriter');
    expect((await ctx.stack.api(Paths.rooms, { method: 'POST', token: await ctx.stack.tokenFor(readerUser), body: { name: roomId, visibility: 'public' } })).status).toBe(201);
    for (const ago of [600_000, 590_000, 580_000]) await sendAgo(writer, roomId, `${ago / 1000} s ago`, ago);
    const r = await connectedReader(roomId, readerUser, 2);
    const { feed } = r;
    for (let i = 0; i < 3; i++) await ctx.kit.post(writer, roomId, `live ${i}`);
    await until(() => feed.log.size === 5);
    await feed.idle();
    expect(feed.hasOlder).toBe(true);

    const release = await away(r);
    // Older than everything held (590 s and 580 s ago) but newer than the oldest message: history not read yet.
    const older = await sendAgo(writer, roomId, 'late by 595 s', 595_000);
    // Between the two oldest held (590 s and 580 s ago): inside the range, so added although older history exists.
    const between = await sendAgo(writer, roomId, 'late by 585 s', 585_000);
    await ctx.kit.post(writer, roomId, 'after it');
    release();
    await until(() => r.client.status === 'open' && feed.log.size === 7);
    await feed.idle();
    expect([feed.log.has(older.messageId), feed.log.has(between.messageId)]).toEqual([false, true]);
    expect(feed.stats.fetchedChanges).toBe(1);
    while (feed.hasOlder) await feed.loadOlder();
    expect(feed.log.list().map((m) => m.messageId)).toEqual(await ctx.kit.stored(roomId));
    feed.stop();
    r.client.close();
  });

  it('in a jumped-to window: added inside the window, left to "load newer" when newer than it', async () => {
    const roomId = 'feed-late-window';
    const owner = testUser('LateWindowOwner');
    await ctx.kit.room(roomId, owner);
    // A second apart, over two minutes: the read-back after the subscription (30 s overlap) cannot reach the window.
    const ids = await ctx.kit.seed(roomId, 120, Date.now() - 200_000, 'WindowSeeder', 1000);
    const writer = testUser('WindowWriter');
    const reader = ctx.kit.join(owner, roomId);
    const feed = new RoomFeed(reader.client, roomId, (o) => reader.api.getMessages(roomId, o), { pageSize: 10 }, (o) => reader.api.getChanges(roomId, o));
    const subscribed = new Promise<void>((resolve) => reader.client.on('subscribed', () => resolve()));
    feed.start();
    reader.client.connect();
    await subscribed;
    await until(() => feed.historyLoaded);
    await feed.idle();
    expect(await feed.jumpTo(ids[5]!)).toBe(true);
    expect(feed.hasNewer).toBe(true);
    const windowEnd = feed.log.newest()!.messageId;

    const release = await away(reader);
    // A message at the 10th one's millisecond falls inside the window, at the 100th's beyond it.
    const inWindow = await sendAt(writer, roomId, 'late, inside the window', decodeTime(ids[10]!));
    const beyond = await sendAt(writer, roomId, 'late, newer than the window', decodeTime(ids[100]!));
    expect([inWindow.messageId < windowEnd, beyond.messageId > windowEnd]).toEqual([true, true]);
    release();
    await until(() => reader.client.status === 'open' && feed.stats.fetchedChanges === 1);
    await feed.idle();
    expect([feed.log.has(inWindow.messageId), feed.log.has(beyond.messageId)]).toEqual([true, false]);
    expect(feed.log.newest()!.messageId).toBe(windowEnd);
    while (feed.hasNewer) await feed.loadNewer();
    expect(feed.log.list().map((m) => m.messageId)).toEqual((await ctx.kit.stored(roomId)).filter((id) => id >= feed.log.oldest()!.messageId));
    feed.stop();
    reader.client.close();
  });
});
