/**
 * Edit, delete and react: the use cases behind the `editMessage`, `deleteMessage` and `react` frames.
 *
 * Each is ONE conditional UpdateItem on the message row (the check and the change are atomic, so a refused action
 * stores nothing and concurrent reactions never lose each other), returning the new state with its `rev` (+1 in the
 * same write). Only after it: the room's change number and entry (changes.ts), then the fan-out. A refusal costs one
 * consistent Get to name the reason (FORBIDDEN, MESSAGE_NOT_FOUND, MESSAGE_DELETED, WINDOW_CLOSED, …).
 * Authorization: members only (memberRoom: NOT_FOUND for private rooms/DMs, NOT_MEMBER for public ones).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ChatError, parseBody } from '../../lib/chat-error';
import {
  ErrorCode,
  LIMITS,
  MESSAGE_WINDOWS,
  describeWindow,
  emojiSchema,
  mentionsIn,
  type ChangeKind,
  type MessageChangedFrame,
} from '../../lib/protocol';
import type { ChatUser } from './identity';
import { MESSAGES_TABLE, requiredEnv } from './tables';
import { db, isConditionFailure } from './db';
import { memberRoom } from './room-access';
import { consumeEditAllowance, consumeReactionAllowance } from './rate-limit';
import { getMessageItem, messageNotFound } from './messages';
import { withQuotes, type MessageItem } from './message-items';
import { recordChange } from './changes';
import { broadcast } from './broadcast';
import { scrubReceipt } from './receipts';
import { reindexMentions } from './mentions';

const table = () => requiredEnv(MESSAGES_TABLE.envVar);

/** Who acts and from which socket (excluded from the fan-out: the actor gets the frame as the answer). */
export interface Actor {
  readonly user: ChatUser;
  readonly connectionId?: string;
  readonly requestId?: string;
}

/** Runs one conditional update; the new row, or undefined when its condition failed. */
async function update(
  roomId: string,
  messageId: string,
  expression: { update: string; condition: string; names?: Record<string, string>; values: Record<string, unknown> },
): Promise<MessageItem | undefined> {
  try {
    const { Attributes } = await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: { roomId, messageId },
        UpdateExpression: expression.update,
        ConditionExpression: expression.condition,
        ExpressionAttributeNames: expression.names,
        ExpressionAttributeValues: expression.values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes as MessageItem;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/** Records the change, fans it out to the room (but the actor's socket) and returns the actor's answer. */
async function publish(roomId: string, item: MessageItem, change: ChangeKind, actor: Actor, now: number): Promise<MessageChangedFrame> {
  const seq = await recordChange(roomId, item.messageId, change, now);
  const [message] = await withQuotes([item]);
  const frame: MessageChangedFrame = { type: 'messageChanged', roomId, seq, change, message: message! };
  await broadcast(roomId, frame, { exclude: actor.connectionId ? [actor.connectionId] : [] });
  return { ...frame, ...(actor.requestId ? { requestId: actor.requestId } : {}) };
}

/** The words for an action done ("deleted", not "deleteed"). */
const DONE = { edit: 'edited', delete: 'deleted' } as const;

/** Why an edit/delete of `messageId` was refused, from its current row. */
async function refusal(roomId: string, messageId: string, userId: string, action: 'edit' | 'delete'): Promise<ChatError> {
  const item = await getMessageItem(roomId, messageId);
  if (!item) return messageNotFound();
  if (item.authorId !== userId) {
    return new ChatError(ErrorCode.Forbidden, `You can only ${action} your own messages`);
  }
  if (item.deletedAt && action === 'edit') return new ChatError(ErrorCode.MessageDeleted, 'That message was deleted; it cannot be edited');
  const window = action === 'edit' ? MESSAGE_WINDOWS.editMs : MESSAGE_WINDOWS.deleteMs;
  return new ChatError(ErrorCode.WindowClosed, `Messages can be ${DONE[action]} for ${describeWindow(window)} after sending; this one is older`);
}

/** Oldest `createdAt` still inside a window. */
const windowStart = (windowMs: number, now: number) => new Date(now - windowMs).toISOString();

/** Replaces the body of the actor's own message (mentions re-derived); everyone subscribed gets `messageChanged`. */
export async function editMessage(
  input: { roomId: unknown; messageId: string; body: unknown },
  actor: Actor,
  now = Date.now(),
): Promise<MessageChangedFrame> {
  const body = parseBody(input.body);
  const { roomId } = await memberRoom(actor.user, input.roomId);
  await consumeEditAllowance(actor.user.userId, now);
  const mentions = mentionsIn(body);
  // The mentions before the edit, to keep the mention index in step (a concurrent second edit of the same message
  // by its author could leave one stale index item; docs/rooms.md).
  const before = await getMessageItem(roomId, input.messageId);
  const item = await update(roomId, input.messageId, {
    update: `SET body = :body, editedAt = :now${mentions.length ? ', mentions = :mentions' : ''} ADD rev :one${mentions.length ? '' : ' REMOVE mentions'}`,
    condition: 'attribute_exists(messageId) AND authorId = :me AND attribute_not_exists(deletedAt) AND createdAt >= :since',
    values: {
      ':body': body,
      ':now': new Date(now).toISOString(),
      ':one': 1,
      ':me': actor.user.userId,
      ':since': windowStart(MESSAGE_WINDOWS.editMs, now),
      ...(mentions.length ? { ':mentions': mentions } : {}),
    },
  });
  if (!item) throw await refusal(roomId, input.messageId, actor.user.userId, 'edit');
  await reindexMentions(item, before?.mentions, item.mentions);
  return publish(roomId, item, 'edited', actor, now);
}

/**
 * Deletes the actor's own message: body, mentions and reactions are REMOVED from the row (a placeholder with
 * `deletedAt` stays), and the send receipt is scrubbed. Repeating it is harmless (deletedAt is kept) and re-publishes,
 * which heals a first attempt that died before its fan-out.
 */
export async function deleteMessage(input: { roomId: unknown; messageId: string }, actor: Actor, now = Date.now()): Promise<MessageChangedFrame> {
  const { roomId } = await memberRoom(actor.user, input.roomId);
  await consumeEditAllowance(actor.user.userId, now);
  const before = await getMessageItem(roomId, input.messageId);
  const item = await update(roomId, input.messageId, {
    update: 'SET deletedAt = if_not_exists(deletedAt, :now) REMOVE body, mentions, reactions ADD rev :one',
    condition: 'attribute_exists(messageId) AND authorId = :me AND createdAt >= :since',
    values: { ':now': new Date(now).toISOString(), ':one': 1, ':me': actor.user.userId, ':since': windowStart(MESSAGE_WINDOWS.deleteMs, now) },
  });
  if (!item) throw await refusal(roomId, input.messageId, actor.user.userId, 'delete');
  if (item.clientMessageId) await scrubReceipt(item.authorId, item.clientMessageId, item);
  // A deleted message mentions nobody: its index items go (a repeat finds none left to delete).
  await reindexMentions(item, before?.mentions, []);
  return publish(roomId, item, 'deleted', actor, now);
}

/** Parses a reaction emoji or throws BAD_EMOJI. */
export function parseEmoji(raw: unknown): string {
  const result = emojiSchema.safeParse(raw);
  if (!result.success) throw new ChatError(ErrorCode.BadEmoji, 'Reactions are a single emoji, like 👍');
  return result.data;
}

/** Attempts before giving up on a contended reaction (each failed attempt re-reads the row to learn why). */
const REACT_ATTEMPTS = 4;

/**
 * Sets or unsets the actor's `emoji` on a message: idempotent (a repeat changes nothing and is answered to the actor
 * alone, without a change number or fan-out). One ADD/DELETE on a string set, so 50 people at once all count.
 */
export async function react(
  input: { roomId: unknown; messageId: string; emoji: unknown; op: 'set' | 'unset' },
  actor: Actor,
  now = Date.now(),
): Promise<MessageChangedFrame> {
  const emoji = parseEmoji(input.emoji);
  const { roomId } = await memberRoom(actor.user, input.roomId);
  // Its own allowance: reacting never eats into what the person may send.
  await consumeReactionAllowance(actor.user.userId, now);
  const me = actor.user.userId;
  const names = { '#e': emoji };
  for (let attempt = 0; attempt < REACT_ATTEMPTS; attempt++) {
    const item =
      input.op === 'set'
        ? await update(roomId, input.messageId, {
            update: 'ADD reactions.#e :meSet, rev :one',
            condition:
              'attribute_exists(reactions) AND NOT contains(reactions.#e, :me) AND ' +
              '((attribute_exists(reactions.#e) AND size(reactions.#e) < :maxUsers) OR ' +
              '(attribute_not_exists(reactions.#e) AND size(reactions) < :maxEmojis))',
            names,
            values: { ':meSet': new Set([me]), ':me': me, ':one': 1, ':maxUsers': LIMITS.reactionsMaxUsersPerEmoji, ':maxEmojis': LIMITS.reactionsMaxEmojis },
          })
        : await update(roomId, input.messageId, {
            update: 'DELETE reactions.#e :meSet ADD rev :one',
            condition: 'contains(reactions.#e, :me)',
            names,
            values: { ':meSet': new Set([me]), ':me': me, ':one': 1 },
          });
    if (item) return publish(roomId, item, 'reaction', actor, now);
    const current = await getMessageItem(roomId, input.messageId);
    if (!current) throw messageNotFound();
    if (current.deletedAt) throw new ChatError(ErrorCode.MessageDeleted, 'That message was deleted; it cannot get reactions');
    if (!current.reactions) {
      await initReactions(roomId, input.messageId);
      continue;
    }
    const users = current.reactions[emoji];
    const has = users ? [...users].includes(me) : false;
    if ((input.op === 'set') === has) {
      const [message] = await withQuotes([current]);
      return { type: 'messageChanged', roomId, change: 'reaction', message: message!, ...(actor.requestId ? { requestId: actor.requestId } : {}) };
    }
    if (input.op === 'set' && (users ? [...users].length >= LIMITS.reactionsMaxUsersPerEmoji : Object.keys(current.reactions).length >= LIMITS.reactionsMaxEmojis)) {
      throw new ChatError(
        ErrorCode.TooManyReactions,
        users
          ? `${LIMITS.reactionsMaxUsersPerEmoji} people already reacted with ${emoji}`
          : `A message can have ${LIMITS.reactionsMaxEmojis} different reactions; add to an existing one`,
      );
    }
    // Changed between the update and the read (someone else's reaction): try again.
  }
  throw new ChatError(ErrorCode.Internal, 'Too many reactions at once on this message; try again');
}

/** Gives a message stored before reactions existed its empty map (once; a concurrent twin is fine). */
async function initReactions(roomId: string, messageId: string): Promise<void> {
  await update(roomId, messageId, {
    update: 'SET reactions = :empty',
    condition: 'attribute_exists(messageId) AND attribute_not_exists(reactions) AND attribute_not_exists(deletedAt)',
    values: { ':empty': {} },
  });
}
