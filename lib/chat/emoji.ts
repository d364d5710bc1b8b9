/**
 * Emoji for the reaction picker: a row of common ones, and every emoji of emojibase-data 17 (English labels
 * and tags) searchable by name — fetched lazily as a static JSON file (public/emoji/en.json, written by
 * `npm run emoji-data`), the first time someone searches or browses: data, not a JavaScript chunk — each in
 * the reader's skin tone where Unicode has one (lib/chat/skin-tone.ts).
 */
import { SKIN_TONES, toneModifier, type SkinTone } from './skin-tone';

/** The picker's first row, in this order (`skins`: takes a skin-tone modifier). */
export const COMMON_EMOJI: readonly { readonly emoji: string; readonly label: string; readonly skins?: boolean }[] = [
  { emoji: '👍', label: 'thumbs up', skins: true },
  { emoji: '❤️', label: 'red heart' },
  { emoji: '😂', label: 'face with tears of joy' },
  { emoji: '🎉', label: 'party popper' },
  { emoji: '😮', label: 'face with open mouth' },
  { emoji: '😢', label: 'crying face' },
  { emoji: '🙏', label: 'folded hands', skins: true },
  { emoji: '👀', label: 'eyes' },
];

/** One pickable emoji. */
export interface EmojiEntry {
  readonly emoji: string;
  readonly label: string;
  readonly group: number;
  /** Label and tags, lowercased, for search. */
  readonly terms: string;
  /** The emoji in skin tones 1–5 (index tone - 1), where Unicode has them. */
  readonly skins?: readonly string[];
}

/** Browsable groups (emojibase group numbers; 2 = skin-tone components is left out). */
export const EMOJI_GROUPS: readonly { readonly group: number; readonly label: string }[] = [
  { group: 0, label: 'Smileys & emotion' },
  { group: 1, label: 'People & body' },
  { group: 3, label: 'Animals & nature' },
  { group: 4, label: 'Food & drink' },
  { group: 5, label: 'Travel & places' },
  { group: 6, label: 'Activities' },
  { group: 7, label: 'Objects' },
  { group: 8, label: 'Symbols' },
  { group: 9, label: 'Flags' },
];

/**
 * One spelling per emoji: a pictograph that is shown as emoji by default drops a redundant variation selector
 * (emojibase writes "👍️", people and the common row "👍"), so the same reaction is never two chips.
 */
export function normalizeEmoji(emoji: string): string {
  const chars = [...emoji];
  if (chars.length === 2 && chars[1] === '\uFE0F' && /\p{Emoji_Presentation}/u.test(chars[0]!)) return chars[0]!;
  return emoji;
}

/** Where the site serves the emoji list (same origin: the CSP's connect-src 'self' admits it). */
export const EMOJI_DATA_PATH = '/emoji/en.json';

/**
 * One row of that file: the emoji, its label, its emojibase group, its tags (space-separated) and, where Unicode
 * has them, its five single-tone variants (light … dark).
 */
export type EmojiRow = readonly [emoji: string, label: string, group: number, tags: string, skins?: readonly string[]];

let all: Promise<readonly EmojiEntry[]> | undefined;

/** Every emoji (fetched once; a failed fetch rejects, and the next call tries again). */
export function loadEmoji(fetchFn: typeof fetch = fetch): Promise<readonly EmojiEntry[]> {
  all ??= fetchFn(EMOJI_DATA_PATH).then(async (response) => {
    if (!response.ok) throw new Error(`${EMOJI_DATA_PATH} answered ${response.status}`);
    const rows = (await response.json()) as EmojiRow[];
    return rows.map(([emoji, label, group, tags, skins]) => ({ emoji, label, group, terms: `${label} ${tags}`.toLowerCase(), ...(skins ? { skins } : {}) }));
  });
  all.catch(() => (all = undefined));
  return all;
}

/** An emoji of the list in `tone`, and its name ("thumbs up: medium skin tone"); as is where it has no skins. */
export function inTone(entry: Pick<EmojiEntry, 'emoji' | 'label' | 'skins'>, tone: SkinTone): { emoji: string; label: string } {
  const skin = tone > 0 ? entry.skins?.[tone - 1] : undefined;
  return skin ? { emoji: skin, label: `${entry.label}: ${SKIN_TONES[tone]!.label.toLowerCase()}` } : entry;
}

/** A common-row emoji in `tone` (the row is static: the modifier follows its single character, as Unicode spells it). */
export function commonInTone(entry: (typeof COMMON_EMOJI)[number], tone: SkinTone): { emoji: string; label: string } {
  return inTone({ ...entry, skins: entry.skins ? SKIN_TONES.slice(1).map((t) => entry.emoji + toneModifier(t.tone)) : undefined }, tone);
}

/** Emoji whose label or tags contain every word of `query` (a group's emoji for an empty query), at most `max`. */
export function searchEmoji(entries: readonly EmojiEntry[], query: string, group: number, max: number): EmojiEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const out: EmojiEntry[] = [];
  for (const entry of entries) {
    if (words.length ? words.every((w) => entry.terms.includes(w)) : entry.group === group) out.push(entry);
    if (out.length >= max) break;
  }
  return out;
}
