/**
 * RoomFeed's history on the real stack: "load older" to the room's first message, jumps (a reply quote) that extend
 * the log or open a detached window, "Jump to latest" back from one, a first-unread window that cannot be read, a
 * read-back too long for its page limit, and read-backs that coalesce. Counters and requests are checked exactly.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import '../../amplify/local/testing';
import { describe, expect, it } from 'vitest';
import { ChatError } from '../chat-error';
import { ErrorCode } from '../protocol';
import { until, useClientStack } from './client-stack';
import type { GapFillOptions } from './gap-fill';
import type { RoomFeed } from './room-feed';

const ctx = useClientStack();

const seededReader = (roomId: string, gapFill?: GapFillOptions) => ctx.kit.seededReader(roomId, gapFill);

const held = (feed: RoomFeed) => feed.log.list().map((m) => m.messageId);

describe('RoomFeed history', () => {
  it('loads older pages back to the first message, each once, and stops there', async () => {
    const { ids, feed, tap, seen } = await seededReader('hist-older');
    expect([feed.historyLoaded, feed.hasOlder]).toEqual([false, false]);
    feed.start();
    feed.start(); // a second start neither listens twice nor reads again
    await feed.idle();
    expect(tap.requests).toEqual([{ limit: 10 }]);
    expect(held(feed)).toEqual(ids.slice(220));
    expect([feed.historyLoaded, feed.hasOlder, feed.hasNewer]).toEqual([true, true, false]);
    expect(feed.stats).toMatchObject({ fills: 1, pages: 1, fromHistory: 10, live: 0, incomplete: 0 });
    expect(seen.changes).toBe(1);

    await feed.loadOlder();
    expect(tap.requests[1]).toEqual({ before: ids[220], limit: 100 });
    expect(held(feed)).toEqual(ids.slice(120));
    expect(feed.stats.fromHistory).toBe(110);
    expect(seen.changes).toBe(2);
    while (feed.hasOlder) await feed.loadOlder();
    expect(held(feed)).toEqual(ids);
    expect(feed.stats.fromHistory).toBe(230);
    expect(tap.requests).toHaveLength(4); // newest 10, then 100 + 100 + 20
    await feed.loadOlder(); // nothing older: no request
    expect(tap.requests).toHaveLength(4);
    expect(seen.changes).toBe(4);
    feed.stop();
  });

  it('an older page that answers after the log was replaced (a window) or the feed stopped is dropped', async () => {
    const { ids, feed, tap } = await seededReader('hist-older-late');
    feed.start();
    await feed.idle();
    let release!: () => void;
    tap.intercept = (o) => (o.before ? new Promise<void>((resolve) => (release = resolve)) : undefined);
    const older = feed.loadOlder();
    await until(() => release !== undefined);
    tap.intercept = undefined;
    await feed.showFrom(ids[49]!); // the reader opened the first unread meanwhile
    release();
    await older;
    expect(held(feed)).toEqual(ids.slice(50, 150));

    release = undefined!;
    tap.intercept = (o) => (o.before ? new Promise<void>((resolve) => (release = resolve)) : undefined);
    const afterStop = feed.loadOlder();
    await until(() => release !== undefined);
    feed.stop();
    release();
    await afterStop;
    expect(held(feed)).toEqual(ids.slice(50, 150));
  });

  it('jumps: a held message at once, a neighbourhood that meets the log extends it, a far one opens a window', async () => {
    const { ids, feed, tap, seen } = await seededReader('hist-jump');
    feed.start();
    await feed.idle();
    expect(await feed.jumpTo(ids[225]!)).toBe(true);
    expect(tap.requests).toHaveLength(1); // held: no request

    // 25 older + it + the newer ones reach the 10 held: the log grows downwards, still attached to the present.
    expect(await feed.jumpTo(ids[215]!)).toBe(true);
    expect(tap.requests[1]).toEqual({ around: ids[215], limit: 50 });
    expect(held(feed)).toEqual(ids.slice(190));
    expect([feed.hasNewer, feed.hasOlder]).toEqual([false, true]);
    expect(feed.stats.fromHistory).toBe(40);
    await feed.loadOlder(); // continues from the extended end
    expect(tap.requests[2]).toEqual({ before: ids[190], limit: 100 });
    expect(held(feed)).toEqual(ids.slice(90));

    // Far back: a window detached from the present, nothing older than the first message.
    expect(await feed.jumpTo(ids[5]!)).toBe(true);
    expect(held(feed)).toEqual(ids.slice(0, 30));
    expect([feed.hasNewer, feed.hasOlder]).toEqual([true, false]);
    // From a window, another jump replaces it even where the two would meet (the log never mixes two windows).
    expect(await feed.jumpTo(ids[40]!)).toBe(true);
    expect(held(feed)).toEqual(ids.slice(15, 65));
    const changes = seen.changes;

    // A message of another room is not found (the typed error ChatSession puts into words); the log stays.
    const elsewhere = await ctx.kit.seededRoom('hist-jump-other', 'JumpOther', 3);
    await expect(feed.jumpTo(elsewhere.ids[1]!)).rejects.toMatchObject({ code: ErrorCode.MessageNotFound });
    expect(held(feed)).toEqual(ids.slice(15, 65));
    expect(seen.changes).toBe(changes);
    // "Jump to latest": the window goes, the newest page comes back, attached.
    await feed.backToLatest();
    expect(held(feed)).toEqual(ids.slice(220));
    expect([feed.hasNewer, feed.hasOlder]).toEqual([false, true]);
    expect(seen.changes).toBe(changes + 2); // the reset, then the newest page
    const requests = tap.requests.length;
    await feed.backToLatest(); // already at the present: nothing
    expect(tap.requests).toHaveLength(requests);
    feed.stop();
    expect(await feed.jumpTo(ids[100]!)).toBe(false); // stopped: the answer is not applied
    expect(held(feed)).toEqual(ids.slice(220));
  });

  it('a first-unread window that cannot be read falls back to the newest page and says why', async () => {
    const { ids, feed, tap, seen } = await seededReader('hist-from-fails');
    const refused = new ChatError(ErrorCode.Internal, 'The chat server could not be reached');
    tap.intercept = (o) => {
      if (o.from) throw refused;
    };
    feed.start(ids[9]!);
    await until(() => feed.historyLoaded);
    await feed.idle();
    expect(seen.errors).toEqual([refused]);
    expect(held(feed)).toEqual(ids.slice(220));
    expect(feed.hasNewer).toBe(false);
    expect(tap.requests).toEqual([{ from: ids[9], limit: 100 }, { limit: 10 }]);

    // A failing window that another window replaced meanwhile says nothing: the newer one stands.
    let fail!: () => void;
    tap.intercept = (o) => {
      if (o.from === ids[19]) return new Promise<void>((_, reject) => (fail = () => reject(refused)));
    };
    const first = feed.showFrom(ids[19]!);
    await until(() => fail !== undefined);
    await feed.showFrom(ids[29]!);
    fail();
    await first;
    await feed.idle();
    expect(seen.errors).toHaveLength(1);
    expect(held(feed)).toEqual(ids.slice(30, 130));
    expect(feed.hasNewer).toBe(true);
    feed.stop();
  });

  it('a gap longer than the read-back limit resets to the newest pages; load older continues with no hole', async () => {
    const { ids, feed, tap, seen } = await seededReader('hist-long-gap', { pageSize: 10, maxPages: 2 });
    feed.start();
    await feed.idle();
    // 35 more while the reader was away (stored 30 s later, so the 30 s overlap cannot reach the held ones).
    const all = [...ids, ...(await ctx.kit.seed('hist-long-gap', 35, Date.now() - 20_000))];

    // An older page in flight when the reset comes must not land in the new log.
    let release!: () => void;
    tap.intercept = (o) => (o.before === ids[220] ? new Promise<void>((resolve) => (release = resolve)) : undefined);
    const older = feed.loadOlder();
    await until(() => release !== undefined);
    await feed.sync();
    release();
    await older;
    expect(feed.stats).toMatchObject({ fills: 2, pages: 3, incomplete: 1 });
    expect(held(feed)).toEqual(all.slice(-20)); // the newest 20 read; the 10 held and the gap below are gone
    expect(feed.hasOlder).toBe(true);
    await feed.loadOlder();
    expect(held(feed)).toEqual(all.slice(-120));
    expect(seen.errors).toEqual([]);
    feed.stop();
  });

  it('read-backs asked for while one runs coalesce into one more pass', async () => {
    const { feed, tap } = await seededReader('hist-coalesce', { pageSize: 10, overlapMs: 0 });
    feed.start();
    await feed.idle();
    const fills = feed.stats.fills;
    const first = feed.sync();
    expect(feed.sync()).toBe(first);
    expect(feed.sync()).toBe(first);
    await first;
    expect(feed.stats.fills).toBe(fills + 2);
    expect(tap.requests.filter((o) => o.after !== undefined)).toHaveLength(2);
    // Stopped mid-pass: no pass follows.
    const last = feed.sync();
    void feed.sync();
    feed.stop();
    await last;
    expect(feed.stats.fills).toBe(fills + 3);
    // On screen without a missed subscription: nothing to read back.
    feed.setActive(true);
    await feed.idle();
    expect(feed.stats.fills).toBe(fills + 3);
  });
});
