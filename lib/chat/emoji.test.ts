import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { emojiSchema } from '../protocol';
import { COMMON_EMOJI, EMOJI_DATA_PATH, EMOJI_GROUPS, commonInTone, inTone, loadEmoji as loadFrom, normalizeEmoji, searchEmoji } from './emoji';
import { SKIN_TONES, SKIN_TONE_KEY, saveSkinTone, savedSkinTone } from './skin-tone';

/** The site's static file as the browser gets it (no web server in unit tests: read from public/). */
const fromPublic = (async (url: string) => {
  const file = resolve(import.meta.dirname, '../../public', String(url).slice(1));
  return readFile(file).then((body) => new Response(body), () => new Response('Not found', { status: 404 }));
}) as typeof fetch;
const loadEmoji = () => loadFrom(fromPublic);

describe('emoji', () => {
  it('drops a redundant variation selector only where the emoji is shown as emoji by default', () => {
    expect(normalizeEmoji('👍\uFE0F')).toBe('👍');
    expect(normalizeEmoji('❤\uFE0F')).toBe('❤\uFE0F');
    expect(normalizeEmoji('👍🏽')).toBe('👍🏽');
    expect(normalizeEmoji('😀\uFE0F😀')).toBe('😀\uFE0F😀'); // only a lone pictograph + selector is shortened
  });

  it('loads every emoji of emojibase 17, each accepted by the protocol as a reaction', async () => {
    const entries = await loadEmoji();
    expect(entries.length).toBeGreaterThan(1800);
    const refused = entries.filter((e) => !emojiSchema.safeParse(e.emoji).success).map((e) => e.emoji);
    expect(refused).toEqual([]);
    for (const { emoji } of COMMON_EMOJI) expect(emojiSchema.safeParse(emoji).success).toBe(true);
    // Each entry as the picker uses it: label, group, and lowercased search terms from label and tags.
    expect(entries.find((e) => e.emoji === '😃')).toEqual({ emoji: '😃', label: 'grinning face with big eyes', group: 0, terms: expect.stringMatching(/^grinning face with big eyes .*\byay\b/) });
    expect(entries.every((e) => e.terms === e.terms.toLowerCase() && e.terms.startsWith(e.label.toLowerCase()))).toBe(true);
    // Where Unicode has skin tones, the entry carries its five variants.
    expect(entries.find((e) => e.emoji === '👋')).toMatchObject({ label: 'waving hand', skins: ['👋🏻', '👋🏼', '👋🏽', '👋🏾', '👋🏿'] });
  });

  it('shows the common row and the group tabs exactly, each with its accessible name', async () => {
    // A fresh module, as the picker's chunk loads it (the tables are built once, at load).
    vi.resetModules();
    const fresh = await import('./emoji');
    expect(fresh.COMMON_EMOJI).toEqual([
      { emoji: '👍', label: 'thumbs up', skins: true },
      { emoji: '❤️', label: 'red heart' },
      { emoji: '😂', label: 'face with tears of joy' },
      { emoji: '🎉', label: 'party popper' },
      { emoji: '😮', label: 'face with open mouth' },
      { emoji: '😢', label: 'crying face' },
      { emoji: '🙏', label: 'folded hands', skins: true },
      { emoji: '👀', label: 'eyes' },
    ]);
    expect(fresh.EMOJI_GROUPS).toEqual([
      { group: 0, label: 'Smileys & emotion' },
      { group: 1, label: 'People & body' },
      { group: 3, label: 'Animals & nature' },
      { group: 4, label: 'Food & drink' },
      { group: 5, label: 'Travel & places' },
      { group: 6, label: 'Activities' },
      { group: 7, label: 'Objects' },
      { group: 8, label: 'Symbols' },
      { group: 9, label: 'Flags' },
    ]);
    // The toned row as a reader with a dark skin tone sees it.
    expect(fresh.COMMON_EMOJI.map((e) => fresh.commonInTone(e, 5))).toEqual([
      { emoji: '👍🏿', label: 'thumbs up: dark skin tone' },
      { emoji: '❤️', label: 'red heart' },
      { emoji: '😂', label: 'face with tears of joy' },
      { emoji: '🎉', label: 'party popper' },
      { emoji: '😮', label: 'face with open mouth' },
      { emoji: '😢', label: 'crying face' },
      { emoji: '🙏🏿', label: 'folded hands: dark skin tone' },
      { emoji: '👀', label: 'eyes' },
    ]);
  });

  it('has a common row of 8 labelled emoji and named groups, each found in the full list', async () => {
    const entries = await loadEmoji();
    expect(COMMON_EMOJI).toHaveLength(8);
    for (const { emoji, label } of COMMON_EMOJI) expect(entries.some((e) => e.emoji === emoji && e.label === label), `${emoji} ${label}`).toBe(true);
    expect(new Set(COMMON_EMOJI.map((e) => e.emoji)).size).toBe(8);
    expect(EMOJI_GROUPS.map((g) => g.group)).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9]);
    for (const { group, label } of EMOJI_GROUPS) {
      expect(label).toMatch(/^[A-Z][a-z]+( & [a-z]+)?$/);
      expect(entries.some((e) => e.group === group)).toBe(true);
    }
    expect(new Set(EMOJI_GROUPS.map((g) => g.label)).size).toBe(EMOJI_GROUPS.length);
  });

  it('fetches the list from the site; a failed fetch rejects and the next call fetches again', async () => {
    vi.resetModules(); // a fresh module: the list is cached once loaded
    const fresh = (await import('./emoji')).loadEmoji;
    let calls = 0;
    const missing = (async () => (calls++, new Response('Not found', { status: 404 }))) as typeof fetch;
    await expect(fresh(missing)).rejects.toThrow(`${EMOJI_DATA_PATH} answered 404`);
    await expect(fresh(missing)).rejects.toThrow('404');
    expect(calls).toBe(2);
    expect((await fresh(fromPublic)).length).toBeGreaterThan(1800);
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
