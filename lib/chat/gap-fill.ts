/** Reading back what a client missed while its socket was down. */
import { decodeTime, encodeTime } from 'ulid';
import type { HistoryOptions } from '../api';
import { LIMITS, type HistoryResponse } from '../protocol';
import type { MessageLog } from './message-log';

/** One history page, newest first (GET /rooms/{roomId}/messages); `after` (exclusive) bounds it from below. */
export type HistoryPage = (options: HistoryOptions) => Promise<HistoryResponse>;

/** The smallest message id of millisecond `ms`: `after` it means "everything from that millisecond on" (ids are ULIDs). */
export function idAtTime(ms: number): string {
  return `${encodeTime(Math.max(0, ms - 1), 10)}ZZZZZZZZZZZZZZZZ`;
}

/**
 * How far behind the newest message held the read-back goes. A message is stored (id = time) BEFORE it is
 * broadcast, so a client can hold a newer message yet miss an older one whose broadcast was still on its
 * way when the socket dropped. That window is the store→broadcast time of one invocation; 30 s covers
 * API Gateway's 29 s integration timeout.
 */
export const GAP_OVERLAP_MS = 30_000;

/** Options of `fillGap`. */
export interface GapFillOptions {
  /** Most pages to read (each `LIMITS.historyMaxLimit` messages); the rest is left to "load older". */
  maxPages?: number;
  overlapMs?: number;
  /** Page size (defaults to the largest the API allows: fewest round trips). */
  pageSize?: number;
  /**
   * Page size when reading back a gap (defaults to `pageSize`). A room opened with a small first page (just
   * enough to reach the first unread) must still read a long gap in big pages, or `maxPages` cuts it short.
   */
  gapPageSize?: number;
  /**
   * The newest message id held when the connection was lost: read back to it even if live messages newer than
   * the gap arrived since (a room off screen during a reconnect keeps receiving before it is read back).
   */
  since?: string;
}

/** What a gap fill did. */
export interface GapFillResult {
  pages: number;
  /** Messages the log did not have. */
  added: number;
  /** False when the page limit stopped the read-back before it met the messages already held. */
  complete: boolean;
  /** The last page's cursor: where "load older" continues if the log was empty or had to be reset. */
  nextBefore: string | null;
  /** The room's change order as the FIRST page read reported it (a starting point for the changes feed). */
  changeSeq?: number;
}

/**
 * Pages backwards from the newest message until it is `overlapMs` older than the newest one the log held
 * (or `since`, when older: then everything newer has been read), or the history ends, or `maxPages` is reached. An incomplete fill
 * RESETS the log to what was read plus what it holds within or above that range (live frames that came in
 * meanwhile), so the log never has a hole in the middle; the caller re-offers
 * "load older" from `nextBefore`. An empty log just gets the newest page.
 */
export async function fillGap(log: MessageLog, page: HistoryPage, options: GapFillOptions = {}): Promise<GapFillResult> {
  const { maxPages = 10, overlapMs = GAP_OVERLAP_MS } = options;
  const newest = log.newest();
  if (!newest) {
    const first = await page({ limit: options.pageSize ?? LIMITS.historyDefaultLimit });
    return { pages: 1, added: log.add(first.messages), complete: true, nextBefore: first.nextBefore, ...seqOf(first) };
  }
  const from = options.since !== undefined && options.since < newest.messageId ? options.since : newest.messageId;
  const stopAt = decodeTime(from) - overlapMs;
  const limit = options.gapPageSize ?? options.pageSize ?? LIMITS.historyMaxLimit;
  // Ask only for what may be missing: the server stops at `after`, so a cached room costs one small page.
  const after = idAtTime(stopAt);
  const read: HistoryResponse['messages'] = [];
  let before: string | undefined;
  let seq: { changeSeq?: number } = {};
  for (let pages = 1; pages <= maxPages; pages++) {
    const result = await page(before ? { before, after, limit } : { after, limit });
    if (pages === 1) seq = seqOf(result);
    read.push(...result.messages);
    const oldest = result.messages.at(-1);
    if (!result.nextBefore || !oldest || decodeTime(oldest.messageId) <= stopAt) {
      return { pages, added: log.add(read), complete: true, nextBefore: result.nextBefore, ...seq };
    }
    before = result.nextBefore;
  }
  const added = new Set(read.filter((m) => !log.has(m.messageId)).map((m) => m.messageId)).size;
  // Every page had messages (an empty one ends the loop above), so `read` covers [oldest read, newest].
  // Held messages inside that range stay: live frames that arrived during the reads are never lost.
  const oldestRead = read.at(-1)!.messageId;
  log.reset([...read, ...log.list().filter((m) => m.messageId >= oldestRead)]);
  return { pages: maxPages, added, complete: false, nextBefore: before!, ...seq };
}

const seqOf = (page: HistoryResponse): { changeSeq?: number } => (page.changeSeq === undefined ? {} : { changeSeq: page.changeSeq });
