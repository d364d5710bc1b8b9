import { describe, expect, it } from 'vitest';
import { LIMITS } from '../protocol';
import { Typists, TypingThrottle, typingText } from './typing';

const ada = { userId: 'a', displayName: 'Ada' };
const bob = { userId: 'b', displayName: 'Bob' };
const cy = { userId: 'c', displayName: 'Cy' };

describe('typing notices', () => {
  it('words one, two and several people exactly', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['Ada'])).toBe('Ada is typing…');
    expect(typingText(['Ada', 'Bob'])).toBe('Ada and Bob are typing…');
    expect(typingText(['Ada', 'Bob', 'Cy'])).toBe('Several people are typing…');
  });

  it('expires 6 s after the last frame, is renewed by a new frame, and is per room', () => {
    expect(LIMITS.typingExpiryMs).toBe(6000);
    const t = new Typists('me');
    t.note('r1', ada, 0);
    t.note('r1', bob, 1000);
    expect(t.names('r1', 5999)).toEqual(['Ada', 'Bob']);
    expect(t.names('r2', 5999)).toEqual([]);
    expect(t.nextExpiry(0)).toBe(6000);
    expect(t.names('r1', 6000)).toEqual(['Bob']);
    t.note('r1', bob, 6500);
    expect(t.names('r1', 7001)).toEqual(['Bob']);
    expect(t.names('r1', 12_500)).toEqual([]);
    expect(t.nextExpiry(12_500)).toBeUndefined();
  });

  it('clears a person when their message arrives, and never lists the reader', () => {
    const t = new Typists('me');
    expect(t.note('r1', { userId: 'me', displayName: 'Me' }, 0)).toBe(false);
    t.note('r1', ada, 0);
    t.note('r1', cy, 0);
    expect(t.clear('r1', 'a')).toBe(true);
    expect(t.names('r1', 1)).toEqual(['Cy']);
  });
});

describe('typing throttle', () => {
  it('lets at most one frame per 3 s per room through', () => {
    const th = new TypingThrottle();
    const sent: number[] = [];
    for (let now = 0; now <= 10_000; now += 100) {
      if (th.due('r1', now)) {
        th.markSent('r1', now);
        sent.push(now);
      }
    }
    expect(sent).toEqual([0, 3000, 6000, 9000]);
    expect(th.due('r2', 100)).toBe(true);
    th.reset('r1');
    expect(th.due('r1', 9100)).toBe(true);
  });

  it('note and clear say whether anything changed; the next expiry is the earliest notice still shown', () => {
    const typists = new Typists('me', 1000);
    expect(typists.note('r', ada, 0)).toBe(true);
    expect(typists.note('r', { userId: 'me', displayName: 'Me' }, 0)).toBe(false);
    expect(typists.note('s', bob, 500)).toBe(true);
    expect(typists.nextExpiry(0)).toBe(1000);
    expect(typists.nextExpiry(1000)).toBe(1500); // the one ending exactly now is gone
    expect(typists.nextExpiry(1500)).toBeUndefined();
    expect(typists.clear('r', 'a')).toBe(true);
    expect(typists.clear('r', 'a')).toBe(false);
    expect(typists.clear('nowhere', 'a')).toBe(false);
    expect(typists.nextExpiry(0)).toBe(1500);
    const later = new Typists('me', 1000);
    later.note('first-room', bob, 900); // seen first, ends last
    later.note('second-room', ada, 100);
    expect(later.nextExpiry(0)).toBe(1100);
  });
});
