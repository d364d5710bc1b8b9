import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../lib/protocol';
import { dayLabel, GROUP_WINDOW_MS, timelineRows } from './timeline-rows';

const NOW = new Date(2026, 11, 2, 12, 0, 0); // local noon, 2 Dec 2026
let seq = 0;
function msg(authorId: string, at: Date): ChatMessage {
  seq += 1;
  const messageId = `01J${String(seq).padStart(23, '0')}`;
  return { roomId: 'general', messageId, authorId, authorName: authorId, body: `m${seq}`, createdAt: at.toISOString() };
}
const minutes = (base: Date, n: number) => new Date(base.getTime() + n * 60_000);
const shape = (rows: ReturnType<typeof timelineRows>) => rows.map((r) => (r.kind === 'day' ? `day:${r.label}` : r.kind === 'message' ? `${r.message.authorId}${r.grouped ? '+' : ''}` : r.kind));

describe('dayLabel', () => {
  it('says Today and Yesterday, then a locale date (year only when not this year)', () => {
    expect(dayLabel(new Date(2026, 11, 2, 0, 0, 1), NOW, 'en-US')).toBe('Today');
    expect(dayLabel(new Date(2026, 11, 1, 23, 59), NOW, 'en-US')).toBe('Yesterday');
    expect(dayLabel(new Date(2026, 10, 30, 9), NOW, 'en-US')).toBe('Monday, November 30');
    expect(dayLabel(new Date(2025, 11, 1, 9), NOW, 'en-US')).toBe('Monday, December 1, 2025');
    expect(dayLabel(new Date(2026, 10, 30, 9), NOW, 'de-DE')).toBe('Montag, 30. November');
  });

  it('knows yesterday across a month boundary', () => {
    expect(dayLabel(new Date(2026, 10, 30, 22), new Date(2026, 11, 1, 1), 'en-US')).toBe('Yesterday');
  });
});

describe('timelineRows', () => {
  it('puts a separator before each day and groups one author within the window', () => {
    const start = new Date(2026, 11, 1, 10);
    const messages = [
      msg('ada', start),
      msg('ada', minutes(start, 1)),
      msg('ada', minutes(start, 1 + GROUP_WINDOW_MS / 60_000)), // exactly at the window: still grouped
      msg('ada', minutes(start, 2 + (2 * GROUP_WINDOW_MS) / 60_000)), // beyond it: new header
      msg('bob', minutes(start, 20)),
      msg('ada', minutes(start, 21)), // another author in between: new header
      msg('ada', new Date(2026, 11, 2, 9)), // next day: separator, new header
      msg('ada', new Date(2026, 11, 2, 9, 1)),
    ];
    expect(shape(timelineRows({ messages, now: NOW, locale: 'en-US' }))).toEqual([
      'day:Yesterday', 'ada', 'ada+', 'ada+', 'ada', 'bob', 'ada', 'day:Today', 'ada', 'ada+',
    ]);
  });

  it('puts "New messages" before the first message after the read position and breaks the group there', () => {
    const start = new Date(2026, 11, 2, 10);
    const messages = [msg('ada', start), msg('ada', minutes(start, 1)), msg('ada', minutes(start, 2))];
    const rows = timelineRows({ messages, now: NOW, dividerAfter: messages[0]!.messageId });
    expect(shape(rows)).toEqual(['day:Today', 'ada', 'new', 'ada', 'ada+']);
    expect(shape(timelineRows({ messages, now: NOW, dividerAfter: null }))).toEqual(['day:Today', 'new', 'ada', 'ada+', 'ada+']);
    expect(shape(timelineRows({ messages, now: NOW, dividerAfter: messages[2]!.messageId }))).toEqual(['day:Today', 'ada', 'ada+', 'ada+']);
  });

  it('keeps keys stable and unique when older messages are prepended', () => {
    const start = new Date(2026, 11, 2, 10);
    const older = [msg('ada', start), msg('bob', minutes(start, 1))];
    const newer = [msg('bob', minutes(start, 2)), msg('ada', minutes(start, 3))];
    const before = timelineRows({ messages: newer, now: NOW });
    const after = timelineRows({ messages: [...older, ...newer], now: NOW });
    expect(after.map((r) => r.key).slice(-newer.length)).toEqual(before.map((r) => r.key).slice(-newer.length));
    expect(new Set(after.map((r) => r.key)).size).toBe(after.length);
    // The first "newer" message now continues bob's group from the older page.
    expect(shape(after)).toEqual(['day:Today', 'ada', 'bob', 'bob+', 'ada']);
  });

  it('never groups across an unreadable date and appends outgoing messages ungrouped', () => {
    const start = new Date(2026, 11, 2, 10);
    const broken = { ...msg('ada', start), createdAt: 'not a date' };
    const rows = timelineRows({ messages: [msg('ada', start), broken, msg('ada', minutes(start, 1))], outgoing: [{ clientMessageId: 'c1', body: 'hi' }], now: NOW });
    expect(shape(rows)).toEqual(['day:Today', 'ada', 'ada', 'ada', 'outgoing']);
    expect(rows.at(-1)!.key).toBe('out-c1');
  });

  it('gives an empty room no rows', () => {
    expect(timelineRows({ messages: [], now: NOW })).toEqual([]);
  });
});
