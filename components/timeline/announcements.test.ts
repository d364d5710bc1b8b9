import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../lib/protocol';
import { arrivals } from './announcements';

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
