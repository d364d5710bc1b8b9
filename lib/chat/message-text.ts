/**
 * A message as one line of plain text: for screen-reader announcements, reply snippets and tooltips. Mention
 * tokens become "@Name"; Markdown markers are left as typed (the text is read, not rendered); a deleted message
 * reads "This message was deleted". Never HTML: callers put the result in text nodes.
 */
import { LIMITS, type ChatMessage } from '../protocol';
import { bodyAsText } from './mentions';

/** What a deleted message shows and reads in place of its text. */
export const DELETED_TEXT = 'This message was deleted';

/** `body` with names for mention tokens, whitespace runs collapsed to one space. */
export function plainText(body: string, nameOf: (userId: string) => string | undefined): string {
  return bodyAsText(body, nameOf).replace(/\s+/g, ' ').trim();
}

/** The text of a message for announcements ("This message was deleted" when deleted). */
export function messageText(message: Pick<ChatMessage, 'body' | 'deletedAt'>, nameOf: (userId: string) => string | undefined): string {
  return message.deletedAt ? DELETED_TEXT : plainText(message.body, nameOf);
}

/** At most `max` code points of `text`, with "…" when cut. */
export function cut(text: string, max: number = LIMITS.replySnippetMaxChars): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
