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
});
