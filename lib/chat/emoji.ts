/**
 * Emoji for the reaction picker: a row of common ones, and every emoji of emojibase-data 17 (English labels
 * and tags) searchable by name — loaded lazily, the first time someone searches or browses.
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

interface RawEmoji {
  unicode: string;
  label: string;
  group?: number;
  order?: number;
  tags?: string[];
}

let all: Promise<readonly EmojiEntry[]> | undefined;

/** Every emoji (loads emojibase-data once, in its own chunk). */
export function loadEmoji(): Promise<readonly EmojiEntry[]> {
  all ??= import('emojibase-data/en/compact.json').then((module) => {
    const data = ((module as { default?: RawEmoji[] }).default ?? (module as unknown as RawEmoji[])) as RawEmoji[];
    return data
      .filter((e) => e.group !== undefined && e.group !== 2)
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
      .map((e) => ({ emoji: normalizeEmoji(e.unicode), label: e.label, group: e.group!, terms: [e.label, ...(e.tags ?? [])].join(' ').toLowerCase() }));
  });
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
