/**
 * The mention index against real dynalite: a send stores the message and one item per mentioned member (never the
 * author) in ONE request; edit and delete keep the items in step; and the mention badge is exact above 99 unread
 * (counted by the index), where counting among the newest 100 unread would miss older mentions.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, mentionToken } from '../../lib/protocol';
import type { ChatUser } from './identity';
import { deleteMessage, editMessage } from './message-actions';
import { db } from './db';
import { newMessage } from './messages';
import { countMentions, mentionItems, putFreshMessage } from './mentions';
import { sendWindow } from './rate-limit';
import { createRoomRow, newRoomRow } from './rooms';
import { sendMessage } from './send-message';
import { MENTIONS_TABLE, MESSAGES_TABLE } from './tables';
import { roomActivity } from './unread';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const person = (name: string): ChatUser => ({ userId: testUser(name).sub, displayName: name });
const T0 = sendWindow(Date.now()).start + 1000;
const mentionRows = async (roomId: string) =>
  (await stack.scan(MENTIONS_TABLE.envVar)).filter((r) => String(r.mentionKey).startsWith(`${roomId}#`)).map((r) => `${r.mentionKey} ${r.messageId}`).sort();

describe('mention index', () => {
  it('is written with the message in one request, one item per mentioned member, never the author', async () => {
    const [me, other, third] = [person('Me'), person('Other'), person('Third')];
    const room = 'mention-send';
    await createRoomRow(newRoomRow({ roomId: room, kind: 'public', name: room, createdBy: 'test' }));
    await sendMessage({ roomId: room, author: other, body: 'joins the room' }, T0 - 2);
    // DynamoDB requests of a send as a member, with and without mentions: the same.
    const requests: string[] = [];
    db().middlewareStack.add((next, context) => (args) => (requests.push(String(context.commandName)), next(args)), { step: 'initialize', name: 'countRequests' });
    await sendMessage({ roomId: room, author: other, body: 'no mention' }, T0 - 1);
    const plain = requests.splice(0);
    const { message } = await sendMessage({ roomId: room, author: other, body: `${mentionToken(me.userId)} ${mentionToken(other.userId)} ${mentionToken(me.userId)} ${mentionToken(third.userId)}` }, T0);
    const mentioning = requests.splice(0);
    db().middlewareStack.remove('countRequests');
    expect(mentioning.filter((c) => !c.startsWith('Query'))).toHaveLength(plain.filter((c) => !c.startsWith('Query')).length);
    expect(mentioning).toContain('BatchWriteItemCommand');
    expect(plain).toContain('PutItemCommand');
    expect(await mentionRows(room)).toEqual([`${room}#${me.userId} ${message.messageId}`, `${room}#${third.userId} ${message.messageId}`].sort());
    const stored = (await stack.scan(MESSAGES_TABLE.envVar)).filter((m) => m.messageId === message.messageId);
    expect(stored[0]).toMatchObject({ body: message.body, mentions: message.mentions, reactions: {} });

    // The messages without mentions wrote no index item.

    // Edit: items follow the new mentions (me dropped, other... is the author: never indexed, third kept).
    await editMessage({ roomId: room, messageId: message.messageId, body: `${mentionToken(third.userId)} ${mentionToken(other.userId)}` }, { user: other }, T0 + 2);
    expect(await mentionRows(room)).toEqual([`${room}#${third.userId} ${message.messageId}`]);
    await editMessage({ roomId: room, messageId: message.messageId, body: `${mentionToken(me.userId)} again` }, { user: other }, T0 + 3);
    expect(await mentionRows(room)).toEqual([`${room}#${me.userId} ${message.messageId}`]);
    // Delete: none left; a repeat is harmless.
    await deleteMessage({ roomId: room, messageId: message.messageId }, { user: other }, T0 + 4);
    await deleteMessage({ roomId: room, messageId: message.messageId }, { user: other }, T0 + 5);
    expect(await mentionRows(room)).toEqual([]);
  });

  it('keeps the mention badge exact above 99 unread, counting only after the read position', async () => {
    const [me, other] = [person('Reader'), person('Writer')];
    const room = 'mention-many';
    const at = Date.now();
    let n = 0;
    const put = async (body: string, author = other) => {
      const m = newMessage({ roomId: room, author, body }, at + n++);
      await putFreshMessage(m);
      return m.messageId;
    };
    const readUpTo = await put(`${mentionToken(me.userId)} before the read position`);
    await put(`${mentionToken(me.userId)} old mention, 1`);
    await put(`${mentionToken(me.userId)} old mention, 2`);
    await put(`${mentionToken(me.userId)} my own mention of myself`, me);
    for (let i = 0; i < 150; i++) await put(`filler ${i}`);
    await put(`${mentionToken(me.userId)} new mention`);

    const activity = await roomActivity(room, me.userId, readUpTo);
    expect(activity.unread).toBe(LIMITS.unreadCountCap + 1);
    // All three, though two are far below the newest 100 unread; neither the read one nor my own.
    expect(activity.mentions).toBe(3);
    expect(await countMentions(room, me.userId, undefined)).toBe(4);
    expect(await countMentions(room, other.userId, undefined)).toBe(0);
    expect(await countMentions(room, me.userId, readUpTo, 2)).toBe(2); // counted up to the cap asked for
  });

  it('drops duplicates and the author from the items', () => {
    expect(mentionItems('r', 'm1', 'a', ['b', 'a', 'b', 'c'])).toEqual([
      { mentionKey: 'r#b', messageId: 'm1' },
      { mentionKey: 'r#c', messageId: 'm1' },
    ]);
  });
});
