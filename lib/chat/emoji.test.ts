import { describe, expect, it } from 'vitest';
import { emojiSchema } from '../protocol';
import { COMMON_EMOJI, loadEmoji, normalizeEmoji, searchEmoji } from './emoji';

describe('emoji', () => {
  it('drops a redundant variation selector only where the emoji is shown as emoji by default', () => {
    expect(normalizeEmoji('👍\uFE0F')).toBe('👍');
    expect(normalizeEmoji('❤\uFE0F')).toBe('❤\uFE0F');
    expect(normalizeEmoji('👍🏽')).toBe('👍🏽');
  });

  it('loads every emoji of emojibase 17, each accepted by the protocol as a reaction', async () => {
    const entries = await loadEmoji();
    expect(entries.length).toBeGreaterThan(1800);
    const refused = entries.filter((e) => !emojiSchema.safeParse(e.emoji).success).map((e) => e.emoji);
    expect(refused).toEqual([]);
    for (const { emoji } of COMMON_EMOJI) expect(emojiSchema.safeParse(emoji).success).toBe(true);
  });

  it('searches labels and tags; an empty query browses a group', async () => {
    const entries = await loadEmoji();
    expect(searchEmoji(entries, 'thumbs up', 0, 10).map((e) => e.emoji)).toContain('👍');
    expect(searchEmoji(entries, 'PIZZA', 0, 10).map((e) => e.emoji)).toContain('🍕');
    expect(searchEmoji(entries, 'zzqqxx', 0, 10)).toEqual([]);
    const flags = searchEmoji(entries, '', 9, 5);
    expect(flags).toHaveLength(5);
    expect(flags.every((e) => e.group === 9)).toBe(true);
  });
});
