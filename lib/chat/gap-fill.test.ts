/**
 * fillGap against an in-memory room that pages exactly like the get-messages handler (newest first,
 * exclusive `before`, `nextBefore` while older messages exist), so every edge can be set up precisely.
 * The same code runs against the real stack in tests/chaos.
 */
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../protocol';
import { decodeTime } from 'ulid';
import { fillGap, GAP_OVERLAP_MS, idAtTime, type HistoryPage } from './gap-fill';
import { MessageLog } from './message-log';
import { LIMITS } from '../protocol';

const T0 = Date.UTC(2024, 0, 1);
const msg = (at: number): ChatMessage => ({ roomId: 'general', messageId: ulid(at), authorId: 'u', authorName: 'Ada', body: 'x', createdAt: new Date(at).toISOString() });

/** A room's stored messages and a history source over them that counts its calls. */
function room(messages: ChatMessage[]) {
  const stored = [...messages].sort((a, b) => (a.messageId < b.messageId ? 1 : -1)); // newest first
  const calls: { before?: string; after?: string; limit?: number }[] = [];
  const page: HistoryPage = async (options) => {
    calls.push(options);
    const limit = options.limit ?? 30;
    const newer = options.after ? stored.filter((m) => m.messageId > options.after!) : stored;
    const older = options.before ? newer.filter((m) => m.messageId < options.before!) : newer;
    const items = older.slice(0, limit);
    return { messages: items, nextBefore: older.length > limit ? items.at(-1)!.messageId : null };
  };
  return { page, calls };
}

const every = (n: number, from: number, stepMs: number) => Array.from({ length: n }, (_, i) => msg(from + i * stepMs));

describe('fillGap', () => {
  it('an empty log gets just the newest page', async () => {
    const all = every(50, T0, 1000);
    const { page, calls } = room(all);
    const log = new MessageLog();
    const result = await fillGap(log, page);
    expect(result).toMatchObject({ pages: 1, added: 30, complete: true });
    expect(result.nextBefore).toBe(log.list()[0]!.messageId);
    expect(calls).toHaveLength(1);
  });

  it('reads back every message newer than the ones held, in order, without duplicates', async () => {
    const held = every(20, T0, 1000);
    const missed = every(250, T0 + 60_000, 100);
    const { page } = room([...held, ...missed]);
    const log = new MessageLog();
    log.add(held);
    const result = await fillGap(log, page);
    expect(result).toMatchObject({ pages: 3, added: 250, complete: true });
    expect(log.list().map((m) => m.messageId)).toEqual([...held, ...missed].map((m) => m.messageId));
  });

  it('also finds an OLDER message whose broadcast never came (stored before, sent after the drop)', async () => {
    const held = every(10, T0, 1000);
    const late = msg(T0 + 9_500 - 5_000); // older than the newest held message, within the overlap
    const { page } = room([...held, late]);
    const log = new MessageLog();
    log.add(held);
    const result = await fillGap(log, page);
    expect(result).toMatchObject({ pages: 1, added: 1, complete: true });
    expect(log.has(late.messageId)).toBe(true);
  });

  it('dense traffic: finds a late message older than a full page of newer ones (default overlap)', async () => {
    // 150 messages held, 10 ms apart (1.5 s of traffic); 30 more arrived while the socket was down. One message,
    // stored 1 s before the newest held one, was still on its way then: 100+ newer messages sit in front of it.
    const held = every(150, T0, 10);
    const newestHeld = T0 + 149 * 10;
    const missed = every(30, newestHeld + 10, 10);
    const late = msg(newestHeld - 1_000 + 5);
    const { page, calls } = room([...held, ...missed, late]);
    const log = new MessageLog();
    log.add(held);
    const result = await fillGap(log, page);
    expect(log.has(late.messageId)).toBe(true);
    expect(result).toMatchObject({ added: 31, complete: true });
    expect(calls.length).toBeGreaterThanOrEqual(2); // one page (100) cannot reach it
    expect(log.list().map((m) => m.messageId)).toEqual([...held, late, ...missed].map((m) => m.messageId).sort());
  });

  it('the default overlap covers a store-to-broadcast delay up to the 29 s integration timeout', () => {
    expect(GAP_OVERLAP_MS).toBeGreaterThanOrEqual(29_000);
  });

  it('stops once it is the overlap behind the newest held message (it does not read the whole room)', async () => {
    const held = every(1000, T0, 1000); // 1,000 s of history
    const { page, calls } = room([...held, msg(T0 + 2_000_000)]);
    const log = new MessageLog();
    log.add(held);
    const result = await fillGap(log, page, { overlapMs: GAP_OVERLAP_MS });
    expect(result).toMatchObject({ pages: 1, added: 1, complete: true });
    expect(calls).toEqual([{ after: idAtTime(T0 + 999_000 - GAP_OVERLAP_MS), limit: 100 }]);
  });

  it('asks only for what may be missing: `after` bounds the read to the overlap window (a cached room costs one small page)', async () => {
    const held = every(200, T0, 1000);
    const { page, calls } = room(held);
    const log = new MessageLog();
    log.add(held);
    const result = await fillGap(log, page, { overlapMs: 5_000 });
    expect(result).toMatchObject({ pages: 1, added: 0, complete: true });
    expect(calls).toHaveLength(1);
    // idAtTime(t) sorts just below every id of millisecond t and above every id before it.
    const after = calls[0]!.after!;
    expect(decodeTime(after)).toBe(T0 + 199_000 - 5_000 - 1);
    expect(held.filter((m) => m.messageId > after)).toHaveLength(6);
  });

  it('at the page limit it resets the log to what it read, so no hole is left in the middle', async () => {
    const held = every(10, T0, 1000);
    const missed = every(500, T0 + 60_000, 10);
    const { page } = room([...held, ...missed]);
    const log = new MessageLog();
    log.add(held);
    const result = await fillGap(log, page, { maxPages: 2 });
    expect(result).toMatchObject({ pages: 2, added: 200, complete: false });
    expect(log.size).toBe(200);
    expect(log.list().map((m) => m.messageId)).toEqual(missed.slice(-200).map((m) => m.messageId));
    expect(result.nextBefore).toBe(missed.at(-200)!.messageId); // "load older" continues from here
  });

  it('a reset keeps the live messages that arrived while the pages were being read', async () => {
    const held = every(10, T0, 1000);
    const missed = every(500, T0 + 60_000, 10);
    const { page: stored } = room([...held, ...missed]);
    const log = new MessageLog();
    log.add(held);
    const live = msg(T0 + 120_000); // newer than anything stored when the first page was read
    const page: HistoryPage = async (options) => {
      const result = await stored(options);
      log.add([live]); // what RoomFeed does when a frame arrives mid-fill
      return result;
    };
    const result = await fillGap(log, page, { maxPages: 2 });
    expect(result).toMatchObject({ pages: 2, complete: false });
    expect(log.has(live.messageId)).toBe(true);
    expect(log.list().map((m) => m.messageId)).toEqual([...missed.slice(-200), live].map((m) => m.messageId));
  });

  it('with `since`, reads back to where the hole began even when newer live messages are held', async () => {
    const all = every(60, T0, 1000);
    const { page } = room(all);
    const log = new MessageLog();
    log.add([...all.slice(0, 10), ...all.slice(55)]); // held: before the drop, and live after the reconnect
    const result = await fillGap(log, page, { overlapMs: 0, since: all[9]!.messageId });
    expect(result).toMatchObject({ complete: true, added: 45 });
    expect(log.size).toBe(60);
    const without = new MessageLog();
    without.add([...all.slice(0, 10), ...all.slice(55)]);
    await fillGap(without, page, { overlapMs: 0 });
    expect(without.size).toBeLessThan(60); // the hole the watermark exists for
  });

  it('page sizes: an empty log asks for pageSize (else the default); a gap is read in gapPageSize, else pageSize', async () => {
    const all = every(50, T0, 1000);
    const sizes = async (options: Parameters<typeof fillGap>[2], held: ChatMessage[] = []) => {
      const { page, calls } = room(all);
      const log = new MessageLog();
      log.add(held);
      await fillGap(log, page, options);
      return calls.map((c) => c.limit);
    };
    expect(await sizes({ pageSize: 7 })).toEqual([7]);
    expect(await sizes({})).toEqual([LIMITS.historyDefaultLimit]);
    // Held up to 19 s, overlap 0: 31 messages from 19 s on are read back.
    expect(await sizes({ gapPageSize: 5, overlapMs: 0 }, all.slice(0, 20))).toEqual([5, 5, 5, 5, 5, 5, 5]);
    expect(await sizes({ pageSize: 6, overlapMs: 0 }, all.slice(0, 20))).toEqual([6, 6, 6, 6, 6, 6]);
    expect(await sizes({ gapPageSize: 40, pageSize: 6, overlapMs: 0 }, all.slice(0, 20))).toEqual([40]);
  });

  it('a `since` NEWER than the newest held message does not move the start: the newest held one counts', async () => {
    const all = every(20, T0, 1000);
    const { page, calls } = room(all);
    const log = new MessageLog();
    log.add(all.slice(0, 10));
    await fillGap(log, page, { overlapMs: 0, since: ulid(T0 + 15_000) });
    expect(calls[0]!.after).toBe(idAtTime(T0 + 9_000));
  });

  it('reports the FIRST page\'s changeSeq, and none when the server sent none', async () => {
    const all = every(50, T0, 1000);
    const { page: stored } = room(all);
    let n = 0;
    const page: HistoryPage = async (o) => ({ ...(await stored(o)), changeSeq: 100 + n++ });
    const log = new MessageLog();
    log.add(all.slice(0, 5));
    const result = await fillGap(log, page, { overlapMs: 0, gapPageSize: 10 });
    expect(result).toMatchObject({ pages: 5, changeSeq: 100 });
    const empty = await fillGap(new MessageLog(), page);
    expect(empty.changeSeq).toBe(105);
    const without = await fillGap(new MessageLog(), room(all).page);
    expect(without).not.toHaveProperty('changeSeq');
    const gapWithout = await fillGap(log, room(all).page, { overlapMs: 0 });
    expect(gapWithout).not.toHaveProperty('changeSeq');
  });

  it('stops at the overlap by the ids it read, even from a server that ignores `after` (the oldest of a page decides)', async () => {
    const all = every(100, T0, 1000);
    const { page: stored, calls } = room(all);
    const ignoresAfter: HistoryPage = (o) => stored({ ...o, after: undefined });
    const log = new MessageLog();
    log.add(all.slice(0, 60));
    // Newest held at T0+59 s; overlap 20 s: stop at T0+39 s. Pages of 10 end at 90, 80, 70, 60, 50, 40, 30 s.
    const result = await fillGap(log, ignoresAfter, { overlapMs: 20_000, gapPageSize: 10 });
    expect(result).toMatchObject({ complete: true, pages: 7, added: 40 });
    expect(calls).toHaveLength(7);
    // The page ending exactly AT the stop time (T0+39 s) is the last one.
    calls.length = 0;
    const exact = new MessageLog();
    exact.add(all.slice(0, 60));
    await fillGap(exact, ignoresAfter, { overlapMs: 20_000, gapPageSize: 11 }); // pages end at 89, 78, 67, 56, 45, 34 s
    expect(calls).toHaveLength(6);
    calls.length = 0;
    const atStop = new MessageLog();
    atStop.add(all.slice(0, 60));
    await fillGap(atStop, ignoresAfter, { overlapMs: 21_000, gapPageSize: 10 }); // stop at T0+38 s... page ends 40, 30
    expect(calls).toHaveLength(7);
    calls.length = 0;
    const onTheDot = new MessageLog();
    onTheDot.add(all.slice(0, 60));
    await fillGap(onTheDot, ignoresAfter, { overlapMs: 19_000, gapPageSize: 10 }); // stop at T0+40 s: the page ending at 40 s
    expect(calls).toHaveLength(6);
  });

  it('an incomplete fill counts only messages it did not hold, and keeps held ones inside the range it read', async () => {
    const held = every(10, T0, 1000);
    const missed = every(500, T0 + 60_000, 10);
    const { page } = room([...held, ...missed]);
    const log = new MessageLog();
    const heldInRange = missed.slice(-150, -100); // already held (live frames): not "added"
    const localOnly = msg(T0 + 60_000 + 3_005); // held, never stored: inside the range read (its oldest is at 3,000)
    log.add([...held, ...heldInRange, localOnly]);
    const result = await fillGap(log, page, { maxPages: 2, overlapMs: 0, since: held.at(-1)!.messageId });
    expect(result).toMatchObject({ pages: 2, added: 150, complete: false });
    expect(log.has(localOnly.messageId)).toBe(true);
    expect(log.size).toBe(201);
  });
});
