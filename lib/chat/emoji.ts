/**
 * Emoji for the reaction picker: a row of common ones, and every emoji of emojibase-data 17 (English labels
 * and tags) searchable by name — fetched lazily as a static JSON file (public/emoji/en.json, written by
 * `npm run emoji-data`), the first time someone searches or browses: data, not a JavaScript chunk.
 */

/** The picker's first row, in this order. */
export const COMMON_EMOJI: readonly { readonly emoji: string; readonly label: string }[] = [
  { emoji: '👍', label: 'thumbs up' },
  { emoji: '❤️', label: 'red heart' },
  { emoji: '😂', label: 'face with tears of joy' },
  { emoji: '🎉', label: 'party popper' },
  { emoji: '😮', label: 'face with open mouth' },
  { emoji: '😢', label: 'crying face' },
  { emoji: '🙏', label: 'folded hands' },
  { emoji: '👀', label: 'eyes' },
];

/** One pickable emoji. */
export interface EmojiEntry {
  readonly emoji: string;
  readonly label: string;
  readonly group: number;
  /** Label and tags, lowercased, for search. */
  readonly terms: string;
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

/** One row of that file: the emoji, its label, its emojibase group and its tags (space-separated). */
export type EmojiRow = readonly [emoji: string, label: string, group: number, tags: string];

let all: Promise<readonly EmojiEntry[]> | undefined;

/** Every emoji (fetched once; a failed fetch rejects, and the next call tries again). */
export function loadEmoji(fetchFn: typeof fetch = fetch): Promise<readonly EmojiEntry[]> {
  all ??= fetchFn(EMOJI_DATA_PATH).then(async (response) => {
    if (!response.ok) throw new Error(`${EMOJI_DATA_PATH} answered ${response.status}`);
    const rows = (await response.json()) as EmojiRow[];
    return rows.map(([emoji, label, group, tags]) => ({ emoji, label, group, terms: `${label} ${tags}`.toLowerCase() }));
  });
  all.catch(() => (all = undefined));
  return all;
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
