/**
 * The timeline as a flat list of rows for the virtualized list: day separators, the "New messages" divider,
 * messages (grouped under one header while one author keeps talking) and own messages still on their way.
 * Pure, so the rules are unit-tested without a browser.
 */
import type { OutgoingMessage } from '../../lib/chat/outgoing';
import type { ChatMessage } from '../../lib/protocol';

/** Consecutive messages from one author within this long share one header. */
export const GROUP_WINDOW_MS = 5 * 60_000;

/** One row of the timeline; `key` is stable across renders (Virtuoso's item key). */
export type TimelineRow =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'new'; key: string }
  | { kind: 'message'; key: string; message: ChatMessage; grouped: boolean }
  | { kind: 'outgoing'; key: string; message: OutgoingMessage };

export interface RowsInput {
  messages: readonly ChatMessage[];
  outgoing?: readonly OutgoingMessage[];
  /** The read position when the room was opened; undefined = no divider, null = before the first message. */
  dividerAfter?: string | null;
  /** "Now", for Today/Yesterday (injectable for tests). */
  now?: Date;
  /** The reader's locale (undefined = the browser's). */
  locale?: string;
}

/** Midnight of the local day `date` falls on, as a number (a day's identity). */
function dayOf(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** "Today", "Yesterday", else the date in the reader's locale (with the year only when it is not this year). */
export function dayLabel(date: Date, now = new Date(), locale?: string): string {
  const today = dayOf(now);
  const day = dayOf(date);
  if (day === today) return 'Today';
  // Not today - 86 400 000: a daylight-saving day is 23 or 25 hours long.
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1).getTime();
  if (day === yesterday) return 'Yesterday';
  return formatter(locale, date.getFullYear() === now.getFullYear()).format(date);
}

// Creating an Intl formatter is costly; a long history has many days.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string | undefined, sameYear: boolean): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${sameYear}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { weekday: 'long', month: 'long', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }) });
    formatters.set(key, format);
  }
  return format;
}

/** Builds the rows. Messages with an unreadable date get no separator and never group. */
export function timelineRows({ messages, outgoing = [], dividerAfter, now = new Date(), locale }: RowsInput): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let divided = dividerAfter === undefined;
  let lastDay: number | undefined;
  let previous: { authorId: string; time: number } | undefined;
  for (const message of messages) {
    const date = new Date(message.createdAt);
    const time = date.getTime();
    const valid = !Number.isNaN(time);
    if (valid && dayOf(date) !== lastDay) {
      lastDay = dayOf(date);
      rows.push({ kind: 'day', key: `day-${lastDay}`, label: dayLabel(date, now, locale) });
      previous = undefined;
    }
    if (!divided && (dividerAfter === null || message.messageId > dividerAfter!)) {
      divided = true;
      rows.push({ kind: 'new', key: 'new-messages' });
      previous = undefined;
    }
    const grouped = valid && previous !== undefined && previous.authorId === message.authorId && time - previous.time >= 0 && time - previous.time <= GROUP_WINDOW_MS;
    rows.push({ kind: 'message', key: message.messageId, message, grouped });
    previous = valid ? { authorId: message.authorId, time } : undefined;
  }
  for (const message of outgoing) rows.push({ kind: 'outgoing', key: `out-${message.clientMessageId}`, message });
  return rows;
}
