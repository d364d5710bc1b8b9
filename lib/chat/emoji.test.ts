import { describe, expect, it } from 'vitest';
import { emojiSchema } from '../protocol';
import { COMMON_EMOJI, commonInTone, inTone, loadEmoji, normalizeEmoji, searchEmoji } from './emoji';
import { SKIN_TONES, SKIN_TONE_KEY, saveSkinTone, savedSkinTone } from './skin-tone';

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

  it('offers each emoji that has skins in all five tones, one tone each, every one a valid reaction', async () => {
    const entries = await loadEmoji();
    const thumbs = entries.find((e) => e.emoji === '👍')!;
    expect(thumbs.skins).toEqual(['👍🏻', '👍🏼', '👍🏽', '👍🏾', '👍🏿']);
    expect(inTone(thumbs, 3)).toEqual({ emoji: '👍🏽', label: 'thumbs up: medium skin tone' });
    expect(inTone(thumbs, 0)).toMatchObject({ emoji: '👍', label: 'thumbs up' });
    // No skins (a pizza), no change in any tone.
    const pizza = entries.find((e) => e.emoji === '🍕')!;
    expect(pizza.skins).toBeUndefined();
    expect(inTone(pizza, 5).emoji).toBe('🍕');
    // Two people: only the variants where both have the chosen tone.
    const holding = entries.find((e) => e.label === 'people holding hands')!;
    expect(holding.skins).toHaveLength(5);
    expect([...holding.skins![4]!].filter((c) => c === '🏿')).toHaveLength(2);
    const withSkins = entries.filter((e) => e.skins);
    expect(withSkins.length).toBeGreaterThan(300);
    const refused = withSkins.flatMap((e) => e.skins!).filter((skin) => !emojiSchema.safeParse(skin).success);
    expect(refused).toEqual([]);
  });

  it('the static common row spells toned emoji exactly as the data does', async () => {
    const entries = await loadEmoji();
    for (const common of COMMON_EMOJI) {
      const entry = entries.find((e) => e.emoji === common.emoji)!;
      expect(!!entry.skins, common.label).toBe(!!common.skins);
      for (const { tone } of SKIN_TONES) expect(commonInTone(common, tone).emoji).toBe(inTone(entry, tone).emoji);
    }
  });
});

describe('skin tone choice', () => {
  const memory = () => {
    const map = new Map<string, string>();
    return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k), map };
  };

  it('is saved and read back; the default is stored as nothing', () => {
    const storage = memory();
    expect(savedSkinTone(storage)).toBe(0);
    saveSkinTone(storage, 4);
    expect(storage.map.get(SKIN_TONE_KEY)).toBe('4');
    expect(savedSkinTone(storage)).toBe(4);
    saveSkinTone(storage, 0);
    expect(storage.map.has(SKIN_TONE_KEY)).toBe(false);
  });

  it('falls back to the default for anything else stored, or storage that throws', () => {
    const storage = memory();
    for (const junk of ['6', '-1', '2.5', 'dark', '']) {
      storage.map.set(SKIN_TONE_KEY, junk);
      expect(savedSkinTone(storage), junk).toBe(0);
    }
    const blocked = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('QuotaExceeded'); }, removeItem: () => undefined };
    expect(savedSkinTone(blocked)).toBe(0);
    expect(() => saveSkinTone(blocked, 2)).not.toThrow();
    expect(savedSkinTone(undefined)).toBe(0);
  });
});
