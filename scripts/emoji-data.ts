/**
 * `npm run emoji-data`: writes public/emoji/en.json, the reaction picker's emoji list, from emojibase-data
 * (English, compact). The picker fetches it on demand as a static file instead of bundling ~85 KB gzip of JSON
 * into a JavaScript chunk; trimmed to what the picker uses (no skin-tone variants, no hexcodes) it is ~38 KB.
 * scripts/emoji-data.test.ts fails when the committed file no longer matches the installed emojibase-data.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { EMOJI_DATA_PATH, normalizeEmoji, type EmojiRow } from '../lib/chat/emoji';

/** Where the file lands in the repository (served at EMOJI_DATA_PATH). */
export const EMOJI_DATA_FILE = resolve(import.meta.dirname, '..', 'public', EMOJI_DATA_PATH.slice(1));

interface RawEmoji {
  unicode: string;
  label: string;
  group?: number;
  order?: number;
  tags?: string[];
}

/** The picker's rows: grouped emoji in emojibase order, skin-tone components (group 2) left out. */
export function emojiRows(raw: readonly RawEmoji[]): EmojiRow[] {
  return raw
    .filter((e) => e.group !== undefined && e.group !== 2)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((e) => [normalizeEmoji(e.unicode), e.label, e.group!, (e.tags ?? []).join(' ')]);
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
