/**
 * A message as stored vs as clients see it. Stored: reactions as a map emoji → string set of user ids (so set/unset
 * are single atomic ADD/DELETE updates), the quoted message as an id only (`replyToMessageId`), no body once deleted.
 * On the wire: reactions as a sorted list, the quote resolved to the quoted message as it is NOW (see `withQuotes`).
 */
import { LIMITS, type ChatMessage, type Reaction, type ReplyQuote } from '../../lib/protocol';
import { MESSAGES_TABLE, requiredEnv } from './tables';
import { batchGet } from './db';

/** A Messages row. */
export type MessageItem = {
  readonly roomId: string;
  readonly messageId: string;
  readonly authorId: string;
  readonly authorName: string;
  /** Absent once deleted. */
  readonly body?: string;
  readonly createdAt: string;
  readonly clientMessageId?: string;
  readonly mentions?: string[];
  readonly rev?: number;
  readonly editedAt?: string;
  readonly deletedAt?: string;
  /** emoji → user ids. Present (possibly empty) on every message stored since reactions exist. */
  readonly reactions?: Record<string, Set<string> | string[]>;
  readonly replyToMessageId?: string;
};

/** The sorted wire form of a stored reactions map (emoji with nobody left are dropped). */
export function reactionsOf(map: MessageItem['reactions']): Reaction[] {
  if (!map) return [];
  return Object.entries(map)
    .map(([emoji, users]) => ({ emoji, userIds: [...users].sort() }))
    .filter((r) => r.userIds.length > 0)
    .sort((a, b) => (a.emoji < b.emoji ? -1 : a.emoji > b.emoji ? 1 : 0));
}

/** The wire form of a row, without its quote (see `withQuotes`). */
export function fromItem(item: MessageItem): ChatMessage {
  const reactions = reactionsOf(item.reactions);
  return {
    roomId: item.roomId,
    messageId: item.messageId,
    authorId: item.authorId,
    authorName: item.authorName,
    body: item.deletedAt ? '' : (item.body ?? ''),
    createdAt: item.createdAt,
    ...(item.clientMessageId ? { clientMessageId: item.clientMessageId } : {}),
    ...(item.mentions?.length && !item.deletedAt ? { mentions: item.mentions } : {}),
    ...(item.rev ? { rev: item.rev } : {}),
    ...(item.editedAt ? { editedAt: item.editedAt } : {}),
    ...(item.deletedAt ? { deletedAt: item.deletedAt } : {}),
    ...(reactions.length ? { reactions } : {}),
    ...(item.replyToMessageId ? { replyTo: { messageId: item.replyToMessageId, snippet: '', deleted: true } } : {}),
  };
}

/** What a reply shows of `quoted` (undefined = missing, shown like a deleted one). */
export function quoteOf(messageId: string, quoted: MessageItem | undefined): ReplyQuote {
  if (!quoted || quoted.deletedAt) return { messageId, snippet: '', deleted: true };
  return {
    messageId,
    authorId: quoted.authorId,
    authorName: quoted.authorName,
    snippet: [...(quoted.body ?? '')].slice(0, LIMITS.replySnippetMaxChars).join(''),
  };
}

/**
 * Wire messages for `items`, each reply carrying its quote as the quoted message is NOW: quoted messages already in
 * `items` are used directly, the others fetched with one BatchGet (consistent, so a just-deleted original shows
 * deleted). Snippets are never stored, so a delete leaves no copy of the text in any reply.
 */
export async function withQuotes(items: readonly MessageItem[]): Promise<ChatMessage[]> {
  const byId = new Map(items.map((i) => [i.messageId, i]));
  const missing = [...new Set(items.map((i) => i.replyToMessageId).filter((id): id is string => !!id && !byId.has(id)))];
  if (missing.length) {
    const roomId = items[0]!.roomId;
    const got = (await batchGet(
      requiredEnv(MESSAGES_TABLE.envVar),
      missing.map((messageId) => ({ roomId, messageId })),
      { consistent: true },
    )) as unknown as MessageItem[];
    for (const q of got) byId.set(q.messageId, q);
  }
  return items.map((item) => {
    const message = fromItem(item);
    return item.replyToMessageId ? { ...message, replyTo: quoteOf(item.replyToMessageId, byId.get(item.replyToMessageId)) } : message;
  });
}
