import { describe, expect, it, vi } from 'vitest';
import { SKIN_TONE_KEY, saveSkinTone, savedSkinTone, toneModifier, toneOf, type SkinTone } from './skin-tone';

/** A localStorage stand-in that records what is stored. */
const memory = () => {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k), map };
};

describe('skin tones', () => {
  it('the picker offers six tones in order, each with its Unicode name as the accessible label', async () => {
    // A fresh module, as the picker's chunk loads it (the table is built once, at load).
    vi.resetModules();
    const fresh = await import('./skin-tone');
    expect(fresh.SKIN_TONES).toEqual([
      { tone: 0, label: 'Default skin tone' },
      { tone: 1, label: 'Light skin tone' },
      { tone: 2, label: 'Medium-light skin tone' },
      { tone: 3, label: 'Medium skin tone' },
      { tone: 4, label: 'Medium-dark skin tone' },
      { tone: 5, label: 'Dark skin tone' },
    ]);
    // The key under which earlier visits saved the choice: renaming it would forget everyone's tone.
    expect(fresh.SKIN_TONE_KEY).toBe('chatroom-skin-tone');
  });

  it('each tone has its modifier character; the default has none', () => {
    expect(toneModifier(0)).toBe('');
    expect([1, 2, 3, 4, 5].map((t) => toneModifier(t as SkinTone))).toEqual(['🏻', '🏼', '🏽', '🏾', '🏿']);
  });

  it('recognises exactly the five modifier characters (the data script keeps single-tone variants by them)', () => {
    expect(['🏻', '🏼', '🏽', '🏾', '🏿'].map(toneOf)).toEqual([1, 2, 3, 4, 5]);
    // The neighbours of the modifier block, a plain letter, nothing, and a modifier with something after it.
    for (const other of ['\u{1F3FA}', '\u{1F400}', 'a', '', '🏻x', '👍']) expect(toneOf(other), other).toBeUndefined();
  });

  it('every tone, the darkest too, is saved and read back under the one key', () => {
    const storage = memory();
    for (const tone of [1, 2, 3, 4, 5] as const) {
      saveSkinTone(storage, tone);
      expect([...storage.map]).toEqual([['chatroom-skin-tone', String(tone)]]);
      expect(savedSkinTone(storage)).toBe(tone);
    }
    saveSkinTone(storage, 0);
    expect(storage.map.size).toBe(0);
    expect(savedSkinTone(storage)).toBe(0);
    storage.map.set(SKIN_TONE_KEY, '0');
    expect(savedSkinTone(storage)).toBe(0);
  });

  it('no storage at all (server render, storage disabled): the default, and saving is a no-op', () => {
    expect(savedSkinTone(undefined)).toBe(0);
    expect(() => saveSkinTone(undefined, 3)).not.toThrow();
    expect(() => saveSkinTone(undefined, 0)).not.toThrow();
  });
});
