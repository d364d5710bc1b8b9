import { describe, expect, it } from 'vitest';
import { isUnread, roomLinkName, unreadBadge } from './unread';

describe('unread counts', () => {
  it('are exact up to 99, then "99+"', () => {
    expect([0, 1, 3, 99, 100, 250].map(unreadBadge)).toEqual(['', '1', '3', '99', '99+', '99+']);
  });

  it('name room links with the count, mentions separately, muted rooms by mentions only', () => {
    expect(roomLinkName('general', { unread: 3, mentions: 0 })).toBe('general, 3 unread');
    expect(roomLinkName('general', { unread: 0, mentions: 0 })).toBe('general');
    expect(roomLinkName('design', { unread: 120, mentions: 1 })).toBe('design, 99+ unread, 1 mention');
    expect(roomLinkName('ops', { unread: 7, mentions: 2, muted: true })).toBe('ops, 2 mentions, muted');
    expect(isUnread({ unread: 7, mentions: 0, muted: true })).toBe(false);
    expect(isUnread({ unread: 7, mentions: 1, muted: true })).toBe(true);
    expect(isUnread({ unread: 1, mentions: 0 })).toBe(true);
    expect(isUnread({ unread: 0, mentions: 0 })).toBe(false);
  });
});
