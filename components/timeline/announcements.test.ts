import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../lib/protocol';
import { arrivals, stillTrue } from './announcements';

const m = (n: number, authorId = 'ada'): ChatMessage => ({
  roomId: 'general',
  messageId: `01J${String(n).padStart(23, '0')}`,
  authorId,
  authorName: authorId,
  body: `m${n}`,
  createdAt: new Date(2026, 11, 2, 10, n).toISOString(),
});

describe('arrivals', () => {
  it('returns only messages from others newer than the baseline, oldest first', () => {
    const log = [m(1), m(2), m(3, 'me'), m(4), m(5)];
    expect(arrivals(log, m(2).messageId, 'me').map((x) => x.body)).toEqual(['m4', 'm5']);
  });

  it('announces nothing when nothing is newer (older pages prepended, the same log again)', () => {
    const log = [m(1), m(2), m(3)];
    expect(arrivals(log, m(3).messageId, 'me')).toEqual([]);
    expect(arrivals([m(0), ...log], m(3).messageId, 'me')).toEqual([]);
  });

  it('keeps only the newest few of a burst', () => {
    const log = Array.from({ length: 10 }, (_, i) => m(i + 1));
    expect(arrivals(log, m(1).messageId, 'me', 3).map((x) => x.body)).toEqual(['m8', 'm9', 'm10']);
  });

  it('never announces own messages', () => {
    expect(arrivals([m(1), m(2, 'me')], m(1).messageId, 'me')).toEqual([]);
  });
});

describe('stillTrue', () => {
  const said = (n: number) => ({ id: m(n).messageId, body: `m${n}`, text: `ada: m${n}` });

  it('keeps announcements of messages unchanged in the log', () => {
    expect(stillTrue([said(2), said(3)], [m(1), m(2), m(3)])).toEqual([said(2), said(3)]);
  });

  it('drops a deleted message, an edited one and one no longer in the log', () => {
    const log = [m(1), { ...m(2), deletedAt: '2026-12-02T10:00:00.000Z', body: '' }, { ...m(3), body: 'changed' }, m(5)];
    expect(stillTrue([said(2), said(3), said(4), said(5)], log)).toEqual([said(5)]);
  });
});
