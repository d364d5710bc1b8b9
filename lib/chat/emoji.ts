/**
 * Emoji for the reaction picker: a row of common ones, and every emoji of emojibase-data 17 (English labels
 * and tags) searchable by name — loaded lazily, the first time someone searches or browses — each in the
 * reader's skin tone where Unicode has one (lib/chat/skin-tone.ts).
 */
import { SKIN_TONES, toneModifier, toneOf, type SkinTone } from './skin-tone';

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

interface RawEmoji {
  unicode: string;
  label: string;
  group?: number;
  order?: number;
  tags?: string[];
  skins?: RawEmoji[];
}

/**
 * The raw emojibase list: the ONE place that knows where the data comes from (today its own JS chunk; a static
 * JSON file under public/ would be a fetch here and nothing else changes).
 */
async function emojiData(): Promise<RawEmoji[]> {
  const module = await import('emojibase-data/en/compact.json');
  return ((module as { default?: RawEmoji[] }).default ?? (module as unknown as RawEmoji[])) as RawEmoji[];
}

/** Variants in one tone each (index tone - 1); mixed-tone variants (two people, two tones) are left out. */
function skinsOf(raw: RawEmoji): string[] | undefined {
  const skins: string[] = [];
  for (const skin of raw.skins ?? []) {
    const tones = new Set([...skin.unicode].map(toneOf).filter((t) => t !== undefined));
    if (tones.size === 1) skins[[...tones][0]! - 1] ??= normalizeEmoji(skin.unicode);
  }
  return skins.filter(Boolean).length === 5 ? skins : undefined;
}

let all: Promise<readonly EmojiEntry[]> | undefined;

/** Every emoji (loads emojibase-data once). */
export function loadEmoji(): Promise<readonly EmojiEntry[]> {
  all ??= emojiData().then((data) =>
    data
      .filter((e) => e.group !== undefined && e.group !== 2)
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
      .map((e) => {
        const skins = skinsOf(e);
        return { emoji: normalizeEmoji(e.unicode), label: e.label, group: e.group!, terms: [e.label, ...(e.tags ?? [])].join(' ').toLowerCase(), ...(skins ? { skins } : {}) };
      }),
  );
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
