/**
 * RoomFeed when answers come late, on the real stack: a page asked for before the log was replaced (a jump, a
 * first-unread window, "Jump to latest", a stop) never lands in the new log; a jump before the first page or one
 * that meets the log exactly; "load newer" to the present; which subscriptions and screen changes read back; a
 * repeated change frame. History requests are held at the HTTP boundary until the test releases them.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { testUser } from '../../amplify/local/testing';
import { describe, expect, it } from 'vitest';
import type { HistoryOptions } from '../api';
import { ChatError } from '../chat-error';
import { ErrorCode, type ChatMessage } from '../protocol';
import { until, useClientStack, type clientStack } from './client-stack';
import { RoomFeed } from './room-feed';
import { lossyNetwork } from './test-server';

const ctx = useClientStack();

type Tap = ReturnType<ReturnType<typeof clientStack>['history']>;

/** Holds the next history request matching `match` until `release()` (then answers it, or throws `fail`). */
function holdNext(tap: Tap, match: (o: HistoryOptions) => boolean, fail?: unknown) {
  let release!: () => void;
  let asked!: () => void;
  const wasAsked = new Promise<void>((resolve) => (asked = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const previous = tap.intercept;
  tap.intercept = async (o) => {
    if (!match(o)) return previous?.(o);
    tap.intercept = previous;
    asked();
    await gate;
    if (fail) throw fail;
  };
  return { release, asked: wasAsked };
}

const held = (feed: RoomFeed) => feed.log.list().map((m) => m.messageId);
const newestPage = (o: HistoryOptions) => Object.keys(o).join() === 'limit';
const down = () => new ChatError(ErrorCode.Internal, 'The chat server could not be reached');

describe('RoomFeed races', () => {
  it('an older page asked for before a jump (or a first-unread window) and a return to the present is dropped', async () => {
    const { ids, feed, tap } = await ctx.kit.seededReader('race-epochs');
    feed.start();
    await feed.idle();
    const windows = [() => feed.jumpTo(ids[5]!), () => feed.showFrom(ids[5]!)];
    for (const showWindow of windows) {
      const older = holdNext(tap, (o) => o.before !== undefined);
      const loading = feed.loadOlder();
      await older.asked;
      await showWindow();
      await feed.backToLatest();
      older.release();
      await loading;
      expect(held(feed)).toEqual(ids.slice(220));
    }
  });

  it('a jump or a first-unread window overtaken by another, or by a stop, leaves the later state (and says nothing)', async () => {
    const { ids, feed, tap, seen } = await ctx.kit.seededReader('race-overtaken');
    feed.start();
    await feed.idle();
    const slowJump = holdNext(tap, (o) => o.around === ids[5]);
    const jump = feed.jumpTo(ids[5]!);
    await slowJump.asked;
    expect(await feed.jumpTo(ids[100]!)).toBe(true);
    slowJump.release();
    expect(await jump).toBe(false); // not applied: the message is not in the log shown
    expect(held(feed)).toEqual(ids.slice(75, 125));

    const slowWindow = holdNext(tap, (o) => o.from === ids[9]);
    const window = feed.showFrom(ids[9]!);
    await slowWindow.asked;
    await feed.showFrom(ids[49]!);
    slowWindow.release();
    await window;
    expect(held(feed)).toEqual(ids.slice(50, 150));

    const failing = holdNext(tap, (o) => o.from === ids[149], down());
    const last = feed.showFrom(ids[149]!);
    await failing.asked;
    feed.stop();
    failing.release();
    await last;
    expect(held(feed)).toEqual(ids.slice(50, 150));
    expect(seen.errors).toEqual([]);
  });

  it('a jump before the first page arrives opens its window; the newest page then stays out of it', async () => {
    const { ids, feed, tap } = await ctx.kit.seededReader('race-early-jump');
    const first = holdNext(tap, newestPage);
    feed.start();
    await first.asked;
    expect(await feed.jumpTo(ids[5]!)).toBe(true);
    expect(held(feed)).toEqual(ids.slice(0, 30));
    first.release();
    await feed.idle();
    expect(held(feed)).toEqual(ids.slice(0, 30));
    expect(feed.hasNewer).toBe(true);
  });

  it('a jump whose neighbourhood ends exactly at the oldest message held extends the log, still attached', async () => {
    const { ids, feed } = await ctx.kit.seededReader('race-meet');
    feed.start();
    await feed.idle();
    // 25 older + it + 24 newer: the newest read is ids[220], the oldest held.
    expect(await feed.jumpTo(ids[196]!)).toBe(true);
    expect(held(feed)).toEqual(ids.slice(171));
    expect(feed.hasNewer).toBe(false);
  });

  it('"load newer": nothing to do at the present; each page counted and shown; the present reached reads no more', async () => {
    const { ids, feed, tap, seen } = await ctx.kit.seededReader('race-newer', { pageSize: 10, overlapMs: 0 });
    feed.start(ids[200]!); // 29 after it: the window reaches the present at once, and a read-back starts there
    await until(() => feed.historyLoaded);
    await feed.idle();
    expect(held(feed)).toEqual(ids.slice(201));
    expect(feed.hasNewer).toBe(false);
    expect(feed.appliedChangeSeq).toBeDefined();
    expect(feed.stats).toMatchObject({ fills: 1, fromHistory: 29 });
    expect(seen.changes).toBe(2); // the window, the read-back
    const asked = tap.requests.length;
    await feed.loadNewer();
    expect(tap.requests).toHaveLength(asked);

    expect(await feed.jumpTo(ids[5]!)).toBe(true);
    expect([feed.stats.fromHistory, seen.changes]).toEqual([59, 3]);
    const slow = holdNext(tap, (o) => o.from !== undefined);
    const loading = feed.loadNewer();
    await slow.asked;
    await feed.backToLatest();
    slow.release();
    await loading;
    expect(held(feed)).toEqual(ids.slice(220));

    expect(await feed.jumpTo(ids[5]!)).toBe(true);
    const fills = feed.stats.fills;
    const before = { fromHistory: feed.stats.fromHistory, changes: seen.changes };
    let pages = 0;
    while (feed.hasNewer) {
      await feed.loadNewer();
      pages++;
      expect(seen.changes).toBe(before.changes + pages);
    }
    expect(held(feed)).toEqual(ids);
    expect(feed.stats.fromHistory).toBe(before.fromHistory + 200);
    await feed.idle();
    expect(feed.stats.fills).toBe(fills); // the order of changes was known: nothing to read back on arrival
  });

  it('a complete read-back keeps the "load older" position; a feed without a changes feed reads none', async () => {
    const { ids, feed, tap, seen } = await ctx.kit.seededReader('race-cursor', { pageSize: 10, overlapMs: 0 });
    feed.start();
    await feed.idle();
    await feed.loadOlder();
    await feed.sync();
    await feed.loadOlder();
    expect(tap.requests.at(-1)).toEqual({ before: ids[120], limit: 100 });
    expect(held(feed)).toEqual(ids.slice(20));
    expect(seen.errors).toEqual([]);
  });

  it('a read-back answered after a jump extended the log still adds what it read', async () => {
    const { ids, feed, tap } = await ctx.kit.seededReader('race-extend', { pageSize: 10, overlapMs: 0 });
    feed.start();
    await feed.idle();
    const newer = await ctx.kit.seed('race-extend', 5, Date.now() - 20_000);
    const slow = holdNext(tap, (o) => o.after !== undefined);
    const reading = feed.sync();
    await slow.asked;
    expect(await feed.jumpTo(ids[196]!)).toBe(true); // extends downwards (ids[171] to ids[220]): still the present
    slow.release();
    await reading;
    expect(held(feed)).toEqual([...ids.slice(171), ...newer]);
  });

  it('a read-back that fails after the feed stopped says nothing', async () => {
    const { feed, tap, seen } = await ctx.kit.seededReader('race-stop-fail');
    const failing = holdNext(tap, newestPage, down());
    feed.start();
    await failing.asked;
    feed.stop();
    failing.release();
    await feed.idle();
    expect(seen.errors).toEqual([]);
  });

  it('reads back on a confirmed subscription of its own room only, and once per return to the screen', async () => {
    const { feed, client, owner } = await ctx.kit.seededReader('race-active');
    feed.start();
    await feed.idle();
    feed.setActive(true); // already on screen, nothing missed: no read
    await feed.idle();
    expect(feed.stats.fills).toBe(1);

    feed.setActive(false);
    const confirmed = new Promise<void>((resolve) => client.on('subscribed', () => resolve()));
    client.connect();
    await confirmed; // off screen: remembered, not read
    await feed.idle();
    expect(feed.stats.fills).toBe(1);
    feed.setActive(false);
    await feed.idle();
    expect(feed.stats.fills).toBe(1);
    feed.setActive(true);
    await feed.idle();
    expect(feed.stats.fills).toBe(2);
    feed.setActive(true);
    await feed.idle();
    expect(feed.stats.fills).toBe(2);

    // Another room confirmed on the same socket: not this feed's business.
    const other = await ctx.kit.room('race-active-other', owner);
    const otherConfirmed = new Promise<void>((resolve) => client.on('subscribed', (f) => f.roomIds.includes(other) && resolve()));
    client.subscribe([other]);
    await otherConfirmed;
    await feed.idle();
    expect(feed.stats.fills).toBe(2);
    feed.stop();
  });

  it('a change frame repeated on the wire is behind the order: applied once, nothing read', async () => {
    const readerUser = testUser('Repeat');
    const writerUser = testUser('RepeatWriter');
    const roomId = await ctx.kit.room('race-repeat', readerUser);
    const { net, Socket } = lossyNetwork();
    const reader = ctx.kit.join(readerUser, roomId, () => ctx.stack.tokenFor(readerUser), { pageSize: 10, overlapMs: 0 }, Socket);
    const changes: { since: number }[] = [];
    const feed = new RoomFeed(reader.client, roomId, (o) => reader.api.getMessages(roomId, o), { pageSize: 10, overlapMs: 0 }, (o) => (changes.push(o), reader.api.getChanges(roomId, o)));
    let events = 0;
    feed.on('change', () => events++);
    feed.start();
    const confirmed = new Promise<void>((resolve) => reader.client.on('subscribed', () => resolve()));
    reader.client.connect();
    const writer = ctx.kit.join(writerUser, roomId);
    writer.client.connect();
    await confirmed;
    const sent: ChatMessage = await writer.client.send(roomId, 'once');
    await until(() => feed.log.size === 1);
    await feed.idle();
    const [asked, s0] = [changes.length, feed.appliedChangeSeq!];
    await writer.client.edit(roomId, sent.messageId, 'once (edited)');
    await until(() => feed.log.get(sent.messageId)?.body === 'once (edited)');
    const eventsAfterEdit = events;
    net.repeat(net.received.find((data) => data.includes('"messageChanged"'))!);
    await feed.idle();
    expect(changes).toHaveLength(asked);
    expect(feed.appliedChangeSeq).toBe(s0 + 1);
    expect(events).toBe(eventsAfterEdit);
    // A read-back that finds no change it did not have already shows nothing new.
    await feed.sync();
    expect(changes.slice(asked)).toEqual([{ since: s0 + 1, limit: 500 }]);
    expect(events).toBe(eventsAfterEdit + 1); // the history read-back's, not the empty changes page's
    feed.stop();
  });
});
