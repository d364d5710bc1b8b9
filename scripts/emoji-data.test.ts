import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EMOJI_DATA_FILE, emojiDataText, emojiRows } from './emoji-data';

describe('emoji data (public/emoji/en.json)', () => {
  it('is what `npm run emoji-data` writes from the installed emojibase-data', () => {
    // After an emojibase-data upgrade this fails until the file is regenerated: run `npm run emoji-data`.
    expect(readFileSync(EMOJI_DATA_FILE, 'utf8')).toBe(emojiDataText());
  });

  it('keeps grouped emoji in emojibase order, leaves out skin-tone components and ungrouped entries', () => {
    const rows = emojiRows([
      { unicode: '😀', label: 'grinning face', group: 0, order: 2, tags: ['face', 'grin'] },
      { unicode: '👍️', label: 'thumbs up', group: 1, order: 1 },
      { unicode: '🏻', label: 'light skin tone', group: 2, order: 3 },
      { unicode: '🇦', label: 'regional indicator A' },
    ]);
    expect(rows).toEqual([
      ['👍', 'thumbs up', 1, ''],
      ['😀', 'grinning face', 0, 'face grin'],
    ]);
  });
});
