import { describe, expect, it } from 'vitest';
import { chipLabel, reactedByMe, whoReacted } from './reactions';

const names: Record<string, string> = { a: 'Ada', b: 'Bob', c: 'Cy' };
const nameOf = (id: string) => names[id];

describe('reactions', () => {
  it('names chips exactly as the issue asks', () => {
    expect(chipLabel({ emoji: '👍', userIds: ['a', 'b'] })).toBe('👍 2 reactions, react with 👍');
    expect(chipLabel({ emoji: '🎉', userIds: ['a'] })).toBe('🎉 1 reaction, react with 🎉');
  });
  it('lists who reacted, the reader first as "You", and counts the rest', () => {
    expect(whoReacted({ emoji: '👍', userIds: ['a', 'me', 'b'] }, 'me', nameOf)).toBe('You, Ada and Bob reacted with 👍');
    expect(whoReacted({ emoji: '👍', userIds: ['c'] }, 'me', nameOf)).toBe('Cy reacted with 👍');
    const many = Array.from({ length: 13 }, (_, i) => `u${i}`);
    expect(whoReacted({ emoji: '👍', userIds: many }, 'me', nameOf)).toMatch(/^Someone(, Someone){9} and 3 others reacted with 👍$/);
  });
  it('knows whether the reader reacted', () => {
    expect(reactedByMe({ emoji: '👍', userIds: ['me'] }, 'me')).toBe(true);
    expect(reactedByMe({ emoji: '👍', userIds: ['a'] }, 'me')).toBe(false);
    expect(reactedByMe({ emoji: '👍', userIds: ['a'] }, undefined)).toBe(false);
  });

  it('"You" first wherever the reader is in the list; then "1 other" / "N others" past the first ten; "Nobody"', () => {
    const r = (userIds: string[]) => ({ emoji: '👍', userIds });
    expect(whoReacted(r(['a', 'b', 'me']), 'me', nameOf)).toBe('You, Ada and Bob reacted with 👍');
    expect(whoReacted(r(['a', 'me', 'b']), 'me', nameOf)).toBe('You, Ada and Bob reacted with 👍');
    const many = (n: number) => r(Array.from({ length: n }, (_, i) => `u${i}`));
    expect(whoReacted(many(11), undefined, () => 'X')).toBe(`${Array(10).fill('X').join(', ')} and 1 other reacted with 👍`);
    expect(whoReacted(many(12), undefined, () => 'X')).toBe(`${Array(10).fill('X').join(', ')} and 2 others reacted with 👍`);
    expect(whoReacted(many(10), undefined, () => 'X')).toBe(`${Array(9).fill('X').join(', ')} and X reacted with 👍`);
    expect(whoReacted(r([]), 'me', nameOf)).toBe('Nobody reacted with 👍');
  });
});
