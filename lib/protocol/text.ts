/**
 * Text rules of the protocol as plain predicates (no validator): what counts as visible one-line text, an empty
 * looking message, one emoji, and the `<@userId>` mention tokens. lib/protocol.ts builds its schemas on these.
 */
import { LIMITS } from './limits';

/** Control characters and format characters that hide or reorder text. */
const UNSAFE_TEXT = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/u;

/** Whether `s` is well-formed Unicode without control or invisible/reordering characters (room names, topics). */
export function isVisibleText(s: string): boolean {
  return s.isWellFormed() && !UNSAFE_TEXT.test(s);
}

/** Bodies made only of whitespace and invisible format characters (zero-width space/joiners, BOM, word joiner). */
const INVISIBLE = /^[\s\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]*$/u;

/** Whether `s` would look empty: only whitespace and invisible format characters. */
export function looksEmpty(s: string): boolean {
  return INVISIBLE.test(s);
}

/** Length of `s` in Unicode code points (how every character limit of the protocol counts). */
export function codePoints(s: string): number {
  return [...s].length;
}

/**
 * One emoji, as a reaction: a single grapheme made only of emoji code points (pictographs, regional-indicator
 * flags, keycaps, ZWJ sequences, skin tones, tags), at most `LIMITS.emojiMaxLength` UTF-16 units. Structural rather
 * than a fixed list so emoji newer than the server's Unicode tables (the picker ships Emoji 17) still work.
 *
 * The patterns are built on the first emoji checked, not at load: esbuild emits these `\p{…}` patterns as
 * `new RegExp(…)` calls, which it cannot drop from bundles that never check an emoji, and building their Unicode
 * sets cost every handler's cold start ~1 ms of CPU (docs/scaling.md, "Handlers").
 */
let emojiRules: { chars: RegExp; core: RegExp } | undefined;

function emoji(): { chars: RegExp; core: RegExp } {
  return (emojiRules ??= {
    chars: /^[\p{Extended_Pictographic}\p{Emoji_Component}\p{Emoji_Modifier}\u200D\uFE0F\u20E3\u{E0020}-\u{E007F}]+$/u,
    core: /\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|[0-9#*]\uFE0F?\u20E3/u,
  });
}

/** Whether `s` is exactly one emoji (the reaction rule behind `emojiSchema`, length limits aside). */
export function isOneEmoji(s: string): boolean {
  return s.isWellFormed() && emoji().chars.test(s) && emoji().core.test(s) && graphemeCount(s) === 1;
}

/** Number of user-perceived characters (grapheme clusters) in `s`. */
function graphemeCount(s: string): number {
  let n = 0;
  for (const _ of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)) n++;
  return n;
}

/**
 * A mention inside a message body: `<@userId>` (display names are not unique, ids are). The composer inserts
 * the token from an autocomplete of room members; clients render it as the member's name. The server derives a
 * message's `mentions` from the tokens in its body (the client never sends the list).
 */
export const MENTION_TOKEN = /<@([A-Za-z0-9-]{1,64})>/g;

/** The mention token for `userId`. */
export function mentionToken(userId: string): string {
  return `<@${userId}>`;
}

/** The distinct user ids mentioned in `body`, in order of first appearance, at most `mentionsMaxPerMessage`. */
export function mentionsIn(body: string): string[] {
  const ids = new Set<string>();
  for (const m of body.matchAll(MENTION_TOKEN)) {
    ids.add(m[1]!);
    if (ids.size >= LIMITS.mentionsMaxPerMessage) break;
  }
  return [...ids];
}
