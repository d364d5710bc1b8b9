/**
 * Reactions at the domain core against real dynalite: a message stored before reactions existed gets its map on the
 * first one; at most 20 different emoji per message and 500 people per emoji (TOO_MANY_REACTIONS, in words that say
 * which); a repeat or an unset of nothing is answered without a change; a deleted message takes none.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ErrorCode, mentionToken } from '../../lib/protocol';
import { db } from './db';
import type { ChatUser } from './identity';
import { addMembership } from './memberships';
import { deleteMessage, editMessage, parseEmoji, react } from './message-actions';
import { getMessageItem, newMessage, toItem } from './messages';
import { createRoomRow, newRoomRow } from './rooms';
import { MESSAGES_TABLE, requiredEnv } from './tables';

/** An id of the same shape that no stored message has: the last character changed. */
const otherId = (id: string) => `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🔥', '👀', '🙏', '💯', '✅', '🚀', '🤔', '👏', '😍', '🙌', '😎', '🥳', '💡', '⭐', '🍕'];
const rejection = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

async function setUp(roomId: string, row: (m: ReturnType<typeof newMessage>) => Record<string, unknown> = (m) => toItem(m)) {
  const user: ChatUser = { userId: testUser('Reactor').sub, displayName: 'Reactor' };
  await createRoomRow(newRoomRow({ roomId, kind: 'public', name: roomId, createdBy: user.userId }));
  await addMembership({ roomId, kind: 'public', user, role: 'member' });
  const message = newMessage({ roomId, author: user, body: 'react to me' });
  await db().send(new PutCommand({ TableName: requiredEnv(MESSAGES_TABLE.envVar), Item: row(message) }));
  return { user, message };
}
const reactionsOf = async (roomId: string, messageId: string) => (await getMessageItem(roomId, messageId))?.reactions;

describe('react', () => {
  it('gives a message stored before reactions existed its map on the first reaction', async () => {
    const { user, message } = await setUp('ma-legacy', (m) => {
      const { reactions: _none, ...legacy } = toItem(m);
      return legacy;
    });
    expect(await reactionsOf('ma-legacy', message.messageId)).toBeUndefined();
    const frame = await react({ roomId: 'ma-legacy', messageId: message.messageId, emoji: '👍', op: 'set' }, { user });
    expect(frame.message.reactions).toEqual([{ emoji: '👍', userIds: [user.userId] }]);
    expect([...((await reactionsOf('ma-legacy', message.messageId))!['👍'] as Set<string>)]).toEqual([user.userId]);
  });

  it('allows 20 different emoji on a message; the 21st is TOO_MANY_REACTIONS, adding to one of the 20 is fine', async () => {
    const { user, message } = await setUp('ma-emoji', (m) => ({ ...toItem(m), reactions: Object.fromEntries(EMOJI.slice(0, 20).map((e) => [e, new Set(['someone'])])) }));
    expect(await rejection(react({ roomId: 'ma-emoji', messageId: message.messageId, emoji: EMOJI[20], op: 'set' }, { user }))).toMatchObject({
      code: ErrorCode.TooManyReactions,
      message: 'A message can have 20 different reactions; add to an existing one',
    });
    const frame = await react({ roomId: 'ma-emoji', messageId: message.messageId, emoji: EMOJI[0], op: 'set' }, { user });
    expect(frame.message.reactions?.find((r) => r.emoji === EMOJI[0])?.userIds).toContain(user.userId);
  });

  it('allows 500 people per emoji; the 501st is TOO_MANY_REACTIONS, another emoji is fine', async () => {
    const crowd = new Set(Array.from({ length: 500 }, (_, i) => `fan-${i}`));
    const { user, message } = await setUp('ma-crowd', (m) => ({ ...toItem(m), reactions: { '👍': crowd } }));
    expect(await rejection(react({ roomId: 'ma-crowd', messageId: message.messageId, emoji: '👍', op: 'set' }, { user }))).toMatchObject({
      code: ErrorCode.TooManyReactions,
      message: '500 people already reacted with 👍',
    });
    expect(((await reactionsOf('ma-crowd', message.messageId))!['👍'] as Set<string>).size).toBe(500);
    await expect(react({ roomId: 'ma-crowd', messageId: message.messageId, emoji: '🎉', op: 'set' }, { user })).resolves.toMatchObject({ change: 'reaction' });
  });

  it('answers a repeat, or an unset of nothing, with the message as it is (no change made)', async () => {
    const { user, message } = await setUp('ma-repeat');
    await react({ roomId: 'ma-repeat', messageId: message.messageId, emoji: '👍', op: 'set' }, { user });
    const rev = (await getMessageItem('ma-repeat', message.messageId))!.rev;
    const again = await react({ roomId: 'ma-repeat', messageId: message.messageId, emoji: '👍', op: 'set' }, { user, requestId: 'r-1' });
    expect(again).toMatchObject({ type: 'messageChanged', change: 'reaction', requestId: 'r-1', message: { reactions: [{ emoji: '👍', userIds: [user.userId] }] } });
    const nothing = await react({ roomId: 'ma-repeat', messageId: message.messageId, emoji: '🎉', op: 'unset' }, { user });
    expect(nothing).not.toHaveProperty('requestId');
    expect((await getMessageItem('ma-repeat', message.messageId))!.rev).toBe(rev);
  });

  it('refuses a deleted message, and a message that is not there', async () => {
    const { user, message } = await setUp('ma-deleted', (m) => {
      // As a delete leaves it: no body, no mentions, no reactions.
      const { body: _gone, reactions: _none, ...rest } = toItem(m);
      return { ...rest, deletedAt: new Date().toISOString() };
    });
    expect(await rejection(react({ roomId: 'ma-deleted', messageId: message.messageId, emoji: '👍', op: 'set' }, { user }))).toMatchObject({
      code: ErrorCode.MessageDeleted,
      message: 'That message was deleted; it cannot get reactions',
    });
    expect(await rejection(react({ roomId: 'ma-deleted', messageId: otherId(message.messageId), emoji: '👍', op: 'set' }, { user }))).toMatchObject({
      code: ErrorCode.MessageNotFound,
    });
  });
});

describe('edit and delete', () => {
  it('refuses someone else’s message in words that name the action, and changes nothing', async () => {
    const { message } = await setUp('ma-others');
    const other: ChatUser = { userId: testUser('Other').sub, displayName: 'Other' };
    await addMembership({ roomId: 'ma-others', kind: 'public', user: other, role: 'member' });
    expect(await rejection(editMessage({ roomId: 'ma-others', messageId: message.messageId, body: 'mine now' }, { user: other }))).toMatchObject({
      code: ErrorCode.Forbidden,
      message: 'You can only edit your own messages',
    });
    expect(await rejection(deleteMessage({ roomId: 'ma-others', messageId: message.messageId }, { user: other }))).toMatchObject({
      code: ErrorCode.Forbidden,
      message: 'You can only delete your own messages',
    });
    expect((await getMessageItem('ma-others', message.messageId))!.body).toBe('react to me');
  });

  it('an edit that drops every mention removes them from the row', async () => {
    const { user, message } = await setUp('ma-mentions', (m) => ({ ...toItem(m), body: `hi ${mentionToken('u-x')}`, mentions: ['u-x'] }));
    await editMessage({ roomId: 'ma-mentions', messageId: message.messageId, body: 'hi nobody' }, { user });
    const row = await getMessageItem('ma-mentions', message.messageId);
    expect(row).toMatchObject({ body: 'hi nobody', rev: 1 });
    expect(row).not.toHaveProperty('mentions');
  });

  it('past its window: WINDOW_CLOSED naming the action and its own window; a deleted message cannot be edited', async () => {
    const DAY = 24 * 60 * 60 * 1000;
    const { user, message } = await setUp('ma-window');
    const later = Date.parse(message.createdAt);
    expect(await rejection(editMessage({ roomId: 'ma-window', messageId: message.messageId, body: 'too late' }, { user }, later + DAY + 1000))).toMatchObject({
      code: ErrorCode.WindowClosed,
      message: 'Messages can be edited for 24 hours after sending; this one is older',
    });
    expect(await rejection(deleteMessage({ roomId: 'ma-window', messageId: message.messageId }, { user }, later + 7 * DAY + 1000))).toMatchObject({
      code: ErrorCode.WindowClosed,
      message: 'Messages can be deleted for 7 days after sending; this one is older',
    });
    // Within its own (longer) window a delete goes through; then the message cannot be edited, and deleting it again
    // is harmless (it re-publishes the placeholder).
    await deleteMessage({ roomId: 'ma-window', messageId: message.messageId }, { user }, later + 2 * DAY);
    expect(await rejection(editMessage({ roomId: 'ma-window', messageId: message.messageId, body: 'back?' }, { user }, later + 1000))).toMatchObject({
      code: ErrorCode.MessageDeleted,
      message: 'That message was deleted; it cannot be edited',
    });
    await expect(deleteMessage({ roomId: 'ma-window', messageId: message.messageId }, { user }, later + 2 * DAY)).resolves.toMatchObject({ change: 'deleted' });
  });

  it('BAD_EMOJI says what a reaction is', () => {
    expect(() => parseEmoji('not an emoji')).toThrow(expect.objectContaining({ code: ErrorCode.BadEmoji, message: 'Reactions are a single emoji, like 👍' }));
    expect(parseEmoji('👍')).toBe('👍');
  });
});
