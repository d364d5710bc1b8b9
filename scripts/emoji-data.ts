/**
 * `npm run emoji-data`: writes public/emoji/en.json, the reaction picker's emoji list, from emojibase-data
 * (English, compact). The picker fetches it on demand as a static file instead of bundling ~85 KB gzip of JSON
 * into a JavaScript chunk; trimmed to what the picker uses (single-tone skin variants only, no hexcodes) it is ~44 KB gzip.
 * scripts/emoji-data.test.ts fails when the committed file no longer matches the installed emojibase-data.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { EMOJI_DATA_PATH, normalizeEmoji, type EmojiRow } from '../lib/chat/emoji';
import { toneOf } from '../lib/chat/skin-tone';

/** Where the file lands in the repository (served at EMOJI_DATA_PATH). */
export const EMOJI_DATA_FILE = resolve(import.meta.dirname, '..', 'public', EMOJI_DATA_PATH.slice(1));

interface RawEmoji {
  unicode: string;
  label: string;
  group?: number;
  order?: number;
  tags?: string[];
  skins?: RawEmoji[];
}

/** Variants in one tone each (index tone - 1); mixed-tone variants (two people, two tones) are left out. */
export function skinsOf(raw: RawEmoji): string[] | undefined {
  const skins: string[] = [];
  for (const skin of raw.skins ?? []) {
    const tones = new Set([...skin.unicode].map(toneOf).filter((t) => t !== undefined));
    if (tones.size === 1) skins[[...tones][0]! - 1] ??= normalizeEmoji(skin.unicode);
  }
  return skins.filter(Boolean).length === 5 ? skins : undefined;
}

/** The picker's rows: grouped emoji in emojibase order (with their single-tone variants), skin-tone components (group 2) left out. */
export function emojiRows(raw: readonly RawEmoji[]): EmojiRow[] {
  return raw
    .filter((e) => e.group !== undefined && e.group !== 2)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((e) => {
      const skins = skinsOf(e);
      const [emoji, label, group, tags] = [normalizeEmoji(e.unicode), e.label, e.group!, (e.tags ?? []).join(' ')];
      return skins ? ([emoji, label, group, tags, skins] as const) : ([emoji, label, group, tags] as const);
    });
}

/** The file's text: one row per line, so an emojibase upgrade reads as a diff. */
export function emojiDataText(): string {
  const require = createRequire(import.meta.url);
  const raw = JSON.parse(readFileSync(require.resolve('emojibase-data/en/compact.json'), 'utf8')) as RawEmoji[];
  return `[\n${emojiRows(raw).map((row) => JSON.stringify(row)).join(',\n')}\n]\n`;
}

if (process.argv[1]?.endsWith('emoji-data.ts')) {
  mkdirSync(dirname(EMOJI_DATA_FILE), { recursive: true });
  writeFileSync(EMOJI_DATA_FILE, emojiDataText());
  console.log(`wrote ${EMOJI_DATA_FILE}`);
}
