/**
 * Mentions on the client. Bodies carry `<@userId>` tokens (lib/protocol.ts); people see names. The composer
 * shows "@Ada Lovelace" for a member chosen from the autocomplete and swaps it for the token on send, so a
 * display name that is not unique (or typed by hand) never mentions the wrong person.
 */
import { LIMITS, MENTION_TOKEN, mentionToken } from '../protocol';

/** A piece of a body: plain text, or a mention of a user id. */
export type BodyPart = { readonly text: string } | { readonly userId: string };

/** Splits a body into text and mention parts (for rendering as text + name chips, never as HTML). */
export function splitMentions(body: string): BodyPart[] {
  const parts: BodyPart[] = [];
  let at = 0;
  for (const m of body.matchAll(MENTION_TOKEN)) {
    if (m.index > at) parts.push({ text: body.slice(at, m.index) });
    parts.push({ userId: m[1]! });
    at = m.index + m[0].length;
  }
  if (at < body.length) parts.push({ text: body.slice(at) });
  return parts;
}

/** A body as one line of plain text with names for tokens (previews, notifications). */
export function bodyAsText(body: string, nameOf: (userId: string) => string | undefined): string {
  return splitMentions(body)
    .map((part) => ('text' in part ? part.text : `@${nameOf(part.userId) ?? 'someone'}`))
    .join('');
}

/** The label the composer shows for a chosen member. */
export const mentionLabel = (displayName: string) => `@${displayName}`;

/** Swaps each chosen "@Name" in `text` for its token (longest names first, so "@Ada Lo" never eats "@Ada Lovelace"). */
export function withMentionTokens(text: string, chosen: ReadonlyMap<string, string>): string {
  const labels = [...chosen.keys()].sort((a, b) => b.length - a.length);
  let out = text;
  for (const label of labels) out = out.split(mentionLabel(label)).join(mentionToken(chosen.get(label)!));
  return out;
}

/** The "@query" being typed right before the caret, if any (`@` at the start or after a space; one line). */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | undefined {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0 || (at > 0 && !/\s/.test(before[at - 1]!))) return undefined;
  const query = before.slice(at + 1);
  if (query.includes('\n') || query.length > LIMITS.displayNameMaxChars) return undefined;
  return { start: at, query };
}

/**
 * The reverse of `withMentionTokens`, for editing a sent message: tokens become "@Name" labels, and the map of
 * chosen names lets the composer turn them back into the same tokens on save.
 */
export function withMentionLabels(body: string, nameOf: (userId: string) => string | undefined): { text: string; chosen: Map<string, string> } {
  const chosen = new Map<string, string>();
  const text = splitMentions(body)
    .map((part) => {
      if ('text' in part) return part.text;
      const name = nameOf(part.userId);
      // An unknown name keeps its token: the mention is not lost by an edit.
      if (name === undefined) return mentionToken(part.userId);
      chosen.set(name, part.userId);
      return mentionLabel(name);
    })
    .join('');
  return { text, chosen };
}
