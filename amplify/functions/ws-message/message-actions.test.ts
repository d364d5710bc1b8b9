/**
 * editMessage / deleteMessage / react / replies through the local gateway with real sockets, handlers and dynalite.
 * Two-sided: each valid action changes exactly the row, the change order and every subscriber's copy; each refusal
 * is a typed error to the actor only, with nothing stored and nothing sent to anyone else.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestSocket, type TestStack, type TestUser } from '../../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorCode,
  LIMITS,
  MESSAGE_WINDOWS,
  Paths,
  changesResponseSchema,
  historyResponseSchema,
  myRoomsResponseSchema,
  type ChatMessage,
  type MessageChangedFrame,
  type ServerFrame,
} from '../../../lib/protocol';
import { ChatError } from '../../../lib/chat-error';
import { fromItem, type MessageItem } from '../../chat/message-items';
import { editMessage } from '../../chat/message-actions';
import { consumeSendAllowance } from '../../chat/rate-limit';
import { ALL_TABLES, MESSAGES_TABLE, MESSAGE_CHANGES_TABLE, SUBSCRIPTIONS_TABLE } from '../../chat/tables';
import { putSubscriptions } from '../../chat/subscriptions';
import { db } from '../../chat/db';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

let ids = 0;
/** A fresh valid request/client id. */
const newId = (prefix: string) => `${prefix}-${String(++ids).padStart(8, '0')}`;
const rowOf = async (roomId: string, messageId: string) =>
  (await stack.scan(MESSAGES_TABLE.envVar)).find((m) => m.roomId === roomId && m.messageId === messageId) as MessageItem | undefined;
const changeEntries = async (roomId: string) => (await stack.scan(MESSAGE_CHANGES_TABLE.envVar)).filter((e) => e.roomId === roomId && e.seq !== '#counter');
const changed = (socket: TestSocket, timeoutMs?: number) =>
  socket.next((f) => f.type === 'messageChanged', timeoutMs) as Promise<MessageChangedFrame>;
const errorOf = async (socket: TestSocket) => {
  const frame = await socket.next((f) => f.type === 'error');
  if (frame.type !== 'error') throw new Error('unreachable');
  return frame;
};
/** Nothing but presence deltas reached `socket` (settle proves everything posted before has arrived). */
async function receivedNothing(socket: TestSocket): Promise<void> {
  await socket.settle();
  expect(socket.pending().filter((f) => f.type !== 'presenceDelta')).toEqual([]);
}

/** A room made by `owner` with `others` joined, everyone's socket subscribed. */
async function room(owner: TestUser, ...others: TestUser[]): Promise<{ roomId: string; sockets: TestSocket[] }> {
  const roomId = newId('r').toLowerCase();
  await stack.publicRoom(owner, roomId);
  for (const u of others) expect((await stack.as(u, Paths.membership(roomId), { method: 'PUT' })).status).toBe(200);
  // A few at a time: 50 subscribes at once (each fanning presence out) can outwait a subscribe's 5 s answer.
  const sockets: TestSocket[] = [];
  const everyone = [owner, ...others];
  for (let i = 0; i < everyone.length; i += 5) sockets.push(...(await Promise.all(everyone.slice(i, i + 5).map((u) => stack.connect(u, roomId)))));
  return { roomId, sockets };
}

/** Sends `body` from `socket` and returns the acked message (after the fan-out reached `others`). */
async function send(socket: TestSocket, roomId: string, body: string, extra: Record<string, unknown> = {}, others: TestSocket[] = []): Promise<ChatMessage> {
  const clientMessageId = newId('c');
  socket.send({ action: 'sendMessage', roomId, body, clientMessageId, ...extra });
  const ack = await socket.next((f) => f.type === 'ack' || (f.type === 'error' && f.clientMessageId === clientMessageId), 20_000);
  if (ack.type !== 'ack') throw new Error(JSON.stringify(ack));
  // Generous: a 50-socket fan-out on a shared 2-core machine.
  await Promise.all([socket, ...others].map((o) => o.next((f) => f.type === 'message' && f.message.messageId === ack.message.messageId, 20_000)));
  return ack.message;
}

describe('edit', () => {
  it('replaces the body of your own message: row, rev, change order and every subscriber agree', async () => {
    const [ada, bob] = [testUser('Ada'), testUser('Bob')];
    const { roomId, sockets: [a, b] } = await room(ada, bob);
    const m = await send(a!, roomId, 'helo', {}, [b!]);
    const requestId = newId('q');
    a!.send({ action: 'editMessage', roomId, messageId: m.messageId, body: `  hello <@${bob.sub}>  `, requestId });
    const mine = await changed(a!);
    const theirs = await changed(b!);
    expect(mine).toMatchObject({ seq: 1, change: 'edited', requestId, message: { messageId: m.messageId, body: `hello <@${bob.sub}>`, rev: 1, mentions: [bob.sub] } });
    expect(mine.message.editedAt).toBeDefined();
    expect(theirs).toEqual({ type: 'messageChanged', roomId, seq: 1, change: 'edited', message: mine.message });
    expect(fromItem((await rowOf(roomId, m.messageId))!)).toEqual(mine.message);
    expect(await changeEntries(roomId)).toEqual([expect.objectContaining({ messageId: m.messageId, change: 'edited', seq: '000000000000001' })]);
  });

  it("refuses someone else's message with FORBIDDEN: nothing changed, nothing broadcast, no change number", async () => {
    const [ada, bob] = [testUser('Ada'), testUser('Bob')];
    const { roomId, sockets: [a, b] } = await room(ada, bob);
    const m = await send(a!, roomId, 'mine', {}, [b!]);
    const requestId = newId('q');
    b!.send({ action: 'editMessage', roomId, messageId: m.messageId, body: 'yours now', requestId });
    expect(await errorOf(b!)).toMatchObject({ code: ErrorCode.Forbidden, requestId, messageId: m.messageId, roomId });
    b!.send({ action: 'deleteMessage', roomId, messageId: m.messageId });
    expect(await errorOf(b!)).toMatchObject({ code: ErrorCode.Forbidden, messageId: m.messageId });
    expect(fromItem((await rowOf(roomId, m.messageId))!)).toEqual(m);
    expect(await changeEntries(roomId)).toEqual([]);
    await receivedNothing(a!);
  });

  it('refuses an edit after the window with WINDOW_CLOSED naming the window, and a missing or other-room message with MESSAGE_NOT_FOUND', async () => {
    const [ada] = [testUser('Ada')];
    const { roomId, sockets: [a] } = await room(ada);
    const { roomId: otherRoom, sockets: [o] } = await room(ada);
    const m = await send(a!, roomId, 'old news');
    const late = Date.parse(m.createdAt) + MESSAGE_WINDOWS.editMs + 60_000;
    const refusal = await editMessage({ roomId, messageId: m.messageId, body: 'too late' }, { user: { userId: ada.sub, displayName: 'Ada' } }, late).catch((e) => e);
    expect(refusal).toBeInstanceOf(ChatError);
    expect(refusal).toMatchObject({ code: ErrorCode.WindowClosed, message: expect.stringContaining('24 hours') });
    a!.send({ action: 'editMessage', roomId: otherRoom, messageId: m.messageId, body: 'wrong room' });
    expect(await errorOf(a!)).toMatchObject({ code: ErrorCode.MessageNotFound, roomId: otherRoom });
    a!.send({ action: 'editMessage', roomId, messageId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', body: 'ghost' });
    expect(await errorOf(a!)).toMatchObject({ code: ErrorCode.MessageNotFound });
    a!.send({ action: 'editMessage', roomId, messageId: m.messageId, body: '   ' });
    expect(await errorOf(a!)).toMatchObject({ code: ErrorCode.EmptyBody });
    expect(fromItem((await rowOf(roomId, m.messageId))!)).toEqual(m);
    await receivedNothing(o!);
  });

  it('counts edits and deletes against their own allowance: the next one past the limit is RATE_LIMITED with retryAfterMs', async () => {
    const ada = testUser('Ada');
    const { roomId, sockets: [a] } = await room(ada);
    const m = await send(a!, roomId, 'v0');
    // The allowance counts per wall-clock window (a minute): start with time to spare, or a run that crosses the
    // boundary (seen once at load 20) counts its edits in two windows and is never refused.
    const left = LIMITS.editRateWindowMs - (Date.now() % LIMITS.editRateWindowMs);
    if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
    for (let i = 1; i <= LIMITS.editRateLimit; i++) {
      a!.send({ action: 'editMessage', roomId, messageId: m.messageId, body: `v${i}` });
      await changed(a!);
    }
    a!.send({ action: 'editMessage', roomId, messageId: m.messageId, body: 'one too many' });
    const refusal = await errorOf(a!);
    expect(refusal).toMatchObject({ code: ErrorCode.RateLimited });
    expect(refusal.retryAfterMs).toBeGreaterThan(0);
    expect((await rowOf(roomId, m.messageId))!.body).toBe(`v${LIMITS.editRateLimit}`);
  }, 30_000);
});

describe('delete', () => {
  it('removes the text from every table: row, receipt and replies; a retry of the same clientMessageId never resurrects it', async () => {
    const [ada, bob] = [testUser('Ada'), testUser('Bob')];
    const { roomId, sockets: [a, b] } = await room(ada, bob);
    const secret = `secret-${newId('s')}`;
    const clientMessageId = newId('c');
    a!.send({ action: 'sendMessage', roomId, body: secret, clientMessageId });
    const original = (await a!.next((f) => f.type === 'ack')) as Extract<ServerFrame, { type: 'ack' }>;
    await b!.next((f) => f.type === 'message');
    const reply = await send(b!, roomId, 'replying', { replyToMessageId: original.message.messageId }, [a!]);
    expect(reply.replyTo).toEqual({ messageId: original.message.messageId, authorId: ada.sub, authorName: 'Ada', snippet: secret });
    await a!.settle();

    a!.send({ action: 'deleteMessage', roomId, messageId: original.message.messageId });
    const mine = await changed(a!);
    expect(mine).toMatchObject({ change: 'deleted', message: { body: '', deletedAt: expect.any(String), rev: 1 } });
    expect(await changed(b!)).toMatchObject({ change: 'deleted', message: { messageId: original.message.messageId, body: '' } });

    // The text is nowhere in storage.
    for (const def of ALL_TABLES) expect(JSON.stringify(await stack.scan(def.envVar))).not.toContain(secret);
    // History: placeholder, and the reply's quote shows it deleted without text.
    const history = historyResponseSchema.parse((await stack.as(bob, `${Paths.roomMessages(roomId)}`)).json);
    const byId = new Map(history.messages.map((m) => [m.messageId, m]));
    expect(byId.get(original.message.messageId)).toMatchObject({ body: '', deletedAt: expect.any(String) });
    expect(byId.get(reply.messageId)!.replyTo).toEqual({ messageId: original.message.messageId, snippet: '', deleted: true });

    // A retry of the original send answers with the placeholder and broadcasts nothing.
    a!.send({ action: 'sendMessage', roomId, body: secret, clientMessageId });
    const retried = await a!.next((f) => f.type === 'ack');
    expect(retried).toMatchObject({ message: { messageId: original.message.messageId, body: '', deletedAt: expect.any(String) } });
    await receivedNothing(b!);
    for (const def of ALL_TABLES) expect(JSON.stringify(await stack.scan(def.envVar))).not.toContain(secret);

    // Deleted means deleted: no edit, no reaction, no reply.
    a!.send({ action: 'editMessage', roomId, messageId: original.message.messageId, body: 'back' });
    expect(await errorOf(a!)).toMatchObject({ code: ErrorCode.MessageDeleted });
    b!.send({ action: 'react', roomId, messageId: original.message.messageId, emoji: '👍', op: 'set' });
    expect(await errorOf(b!)).toMatchObject({ code: ErrorCode.MessageDeleted });
    const replyId = newId('c');
    b!.send({ action: 'sendMessage', roomId, body: 'late reply', clientMessageId: replyId, replyToMessageId: original.message.messageId });
    expect(await errorOf(b!)).toMatchObject({ code: ErrorCode.MessageDeleted, clientMessageId: replyId });
    expect((await stack.scan(MESSAGES_TABLE.envVar)).filter((m) => m.roomId === roomId)).toHaveLength(2);
  });
});

describe('room previews', () => {
  it('a deleted last message previews as deleted (no text, not an empty body), for every member', async () => {
    const [ada, bob] = [testUser('Ada'), testUser('Bob')];
    const { roomId, sockets: [a, b] } = await room(ada, bob);
    const words = `last words ${newId('w')}`;
    const last = await send(a!, roomId, words, {}, [b!]);
    const previewFor = async (user: TestUser) =>
      myRoomsResponseSchema.parse((await stack.as(user, Paths.myRooms)).json).rooms.find((r) => r.room.roomId === roomId)!.lastMessage;
    expect(await previewFor(bob)).toEqual({ messageId: last.messageId, authorId: ada.sub, authorName: 'Ada', body: words, createdAt: last.createdAt });

    a!.send({ action: 'deleteMessage', roomId, messageId: last.messageId });
    await changed(b!);
    for (const user of [ada, bob])
      expect(await previewFor(user)).toEqual({ messageId: last.messageId, authorId: ada.sub, authorName: 'Ada', body: '', createdAt: last.createdAt, deleted: true });
  });
});

describe('replies', () => {
  it('refuses a reply to a missing message or one in another room with MESSAGE_NOT_FOUND, storing nothing', async () => {
    const ada = testUser('Ada');
    const { roomId, sockets: [a] } = await room(ada);
    const { roomId: other, sockets: [o] } = await room(ada);
    const elsewhere = await send(o!, other, 'over there');
    for (const replyToMessageId of [elsewhere.messageId, '01ARZ3NDEKTSV4RRFFQ69G5FAV']) {
      const clientMessageId = newId('c');
      a!.send({ action: 'sendMessage', roomId, body: 'reply', clientMessageId, replyToMessageId });
      expect(await errorOf(a!)).toMatchObject({ code: ErrorCode.MessageNotFound, clientMessageId, messageId: replyToMessageId });
    }
    expect((await stack.scan(MESSAGES_TABLE.envVar)).filter((m) => m.roomId === roomId)).toEqual([]);
    const http = await stack.as(ada, Paths.roomMessages(roomId), { method: 'POST', body: { body: 'x', replyToMessageId: elsewhere.messageId } });
    expect(http.status).toBe(404);
    expect(http.json.error.code).toBe(ErrorCode.MessageNotFound);
  });

  it('shows the quote as the original is now (an edit shows up) and stores only the quoted id', async () => {
    const [ada, bob] = [testUser('Ada'), testUser('Bob')];
    const { roomId, sockets: [a, b] } = await room(ada, bob);
    const q = await send(a!, roomId, 'first', {}, [b!]);
    const r = await send(b!, roomId, 'answer', { replyToMessageId: q.messageId }, [a!]);
    const row = await rowOf(roomId, r.messageId);
    expect(row).toMatchObject({ replyToMessageId: q.messageId });
    expect(row).not.toHaveProperty('replyTo');
    a!.send({ action: 'editMessage', roomId, messageId: q.messageId, body: 'first, fixed' });
    await changed(a!);
    const history = historyResponseSchema.parse((await stack.as(bob, Paths.roomMessages(roomId))).json);
    expect(history.messages.find((m) => m.messageId === r.messageId)!.replyTo).toMatchObject({ snippet: 'first, fixed', authorName: 'Ada' });
  });
});

describe('reactions', () => {
  it('are idempotent set/unset: a repeat changes nothing and is answered to the actor only, without a seq', async () => {
    const [ada, bob] = [testUser('Ada'), testUser('Bob')];
    const { roomId, sockets: [a, b] } = await room(ada, bob);
    const m = await send(a!, roomId, 'react to me', {}, [b!]);
    const react = (op: 'set' | 'unset', emoji = '👍') => b!.send({ action: 'react', roomId, messageId: m.messageId, emoji, op });
    react('set');
    expect(await changed(b!)).toMatchObject({ seq: 1, change: 'reaction', message: { reactions: [{ emoji: '👍', userIds: [bob.sub] }], rev: 1 } });
    expect(await changed(a!)).toMatchObject({ seq: 1, message: { reactions: [{ emoji: '👍', userIds: [bob.sub] }] } });
    react('set');
    const repeat = await changed(b!);
    expect(repeat.seq).toBeUndefined();
    expect(repeat.message).toMatchObject({ reactions: [{ emoji: '👍', userIds: [bob.sub] }], rev: 1 });
    await receivedNothing(a!);
    react('unset');
    expect(await changed(a!)).toMatchObject({ seq: 2, message: { rev: 2 } });
    expect((await changed(b!)).message.reactions).toBeUndefined();
    react('unset');
    expect((await changed(b!)).seq).toBeUndefined();
    await receivedNothing(a!);
    expect(fromItem((await rowOf(roomId, m.messageId))!).reactions).toBeUndefined();
    expect(await changeEntries(roomId)).toHaveLength(2);
  });

  it('refuses a non-emoji (BAD_EMOJI), another room\'s message (MESSAGE_NOT_FOUND) and a room you cannot see (NOT_FOUND), storing nothing', async () => {
    const [ada, eve] = [testUser('Ada'), testUser('Eve')];
    const { roomId, sockets: [a] } = await room(ada);
    const m = await send(a!, roomId, 'hi');
    const secretRoom = await stack.privateRoom(ada);
    const s = await stack.connect(ada, secretRoom);
    const inSecret = await send(s, secretRoom, 'private');
    for (const emoji of ['a', '👍👍', '', '<img>', 42]) {
      a!.send({ action: 'react', roomId, messageId: m.messageId, emoji, op: 'set' });
      const refusal = await errorOf(a!);
      expect([ErrorCode.BadEmoji, ErrorCode.BadFrame]).toContain(refusal.code);
    }
    a!.send({ action: 'react', roomId, messageId: inSecret.messageId, emoji: '👍', op: 'set' });
    expect(await errorOf(a!)).toMatchObject({ code: ErrorCode.MessageNotFound });
    const e = await stack.connect(eve);
    e.send({ action: 'react', roomId: secretRoom, messageId: inSecret.messageId, emoji: '👍', op: 'set' });
    expect(await errorOf(e)).toMatchObject({ code: ErrorCode.NotFound, roomId: secretRoom });
    e.send({ action: 'react', roomId, messageId: m.messageId, emoji: '👍', op: 'set' });
    expect(await errorOf(e)).toMatchObject({ code: ErrorCode.NotMember });
    expect(fromItem((await rowOf(roomId, m.messageId))!)).toEqual(m);
    expect(fromItem((await rowOf(secretRoom, inSecret.messageId))!)).toEqual(inSecret);
  });

  it('do not spend the send allowance (and sending does not spend theirs)', async () => {
    const ada = testUser('Ada');
    const { roomId, sockets: [a] } = await room(ada);
    const m = await send(a!, roomId, 'hi');
    // Use up the send window entirely, then react.
    const refusedSend = (async () => {
      for (;;) await consumeSendAllowance(ada.sub);
    })().catch((e: ChatError) => e.code);
    expect(await refusedSend).toBe(ErrorCode.RateLimited);
    a!.send({ action: 'react', roomId, messageId: m.messageId, emoji: '🎉', op: 'set' });
    expect((await changed(a!)).message.reactions).toEqual([{ emoji: '🎉', userIds: [ada.sub] }]);
  });

  it('converge exactly when 50 people react at once: in the table and on every client', async () => {
    const users = Array.from({ length: Number(process.env.REACTORS ?? 50) }, (_, i) => testUser(`U${i}`));
    const { roomId, sockets } = await room(users[0]!, ...users.slice(1));
    const m = await send(sockets[0]!, roomId, 'everyone react', {}, sockets.slice(1));
    const started = Date.now();
    // Everyone sets 👍 at once; every odd one takes it back straight away (their unset races the others' sets).
    const answers = await Promise.all(
      sockets.map(async (s, i) => {
        const own = (f: ServerFrame) => f.type === 'messageChanged' && f.requestId?.startsWith(`u${i}-`) === true;
        s.send({ action: 'react', roomId, messageId: m.messageId, emoji: '👍', op: 'set', requestId: `u${i}-set-0001` });
        const frames = [await s.next(own, 60_000)];
        if (i % 2) {
          s.send({ action: 'react', roomId, messageId: m.messageId, emoji: '👍', op: 'unset', requestId: `u${i}-unset-001` });
          frames.push(await s.next(own, 60_000));
        }
        return frames as MessageChangedFrame[];
      }),
    );
    const changes = users.length + Math.floor(users.length / 2);
    expect(answers.flat().every((f) => f.seq !== undefined)).toBe(true);
    const row = fromItem((await rowOf(roomId, m.messageId))!);
    expect(row.reactions).toEqual([{ emoji: '👍', userIds: users.filter((_, i) => i % 2 === 0).map((u) => u.sub).sort() }]);
    expect(row.rev).toBe(changes);
    // Every client converges on the row: frames carry whole states, the highest rev wins (order does not matter).
    const views = await Promise.all(
      sockets.map(async (s, i) => {
        let best = answers[i]!.reduce((a, b) => ((b.message.rev ?? 0) > (a.message.rev ?? 0) ? b : a)).message;
        while ((best.rev ?? 0) < changes) {
          const f = await changed(s, 60_000);
          if ((f.message.rev ?? 0) > (best.rev ?? 0)) best = f.message;
        }
        return best;
      }),
    );
    for (const view of views) expect(view).toEqual(row);
    const entries = await changeEntries(roomId);
    expect(new Set(entries.map((e) => e.seq)).size).toBe(changes);
    console.log(`[measure] ${changes} concurrent reaction changes by ${users.length} people converged on every client in ${Date.now() - started} ms`);
    await Promise.all(sockets.map((s) => s.close()));
  }, 240_000);
});

describe('changes feed and history cursors', () => {
  it('answers "changes since" with current states in change order, paged, and history carries the changeSeq to start from', async () => {
    const [ada, bob] = [testUser('Ada'), testUser('Bob')];
    const { roomId, sockets: [a] } = await room(ada, bob);
    const m1 = await send(a!, roomId, 'one');
    const m2 = await send(a!, roomId, 'two');
    const start = historyResponseSchema.parse((await stack.as(bob, Paths.roomMessages(roomId))).json);
    expect(start.changeSeq).toBe(0);
    a!.send({ action: 'editMessage', roomId, messageId: m1.messageId, body: 'one!' });
    await changed(a!);
    a!.send({ action: 'react', roomId, messageId: m2.messageId, emoji: '👍', op: 'set' });
    await changed(a!);
    a!.send({ action: 'deleteMessage', roomId, messageId: m1.messageId });
    await changed(a!);
    const all = changesResponseSchema.parse((await stack.as(bob, `${Paths.roomChanges(roomId)}?since=${start.changeSeq}`)).json);
    // m1 changed twice: it comes once, at its latest seq, as it is now (deleted).
    expect(all.changes.map((c) => [c.seq, c.change, c.message.messageId])).toEqual([
      [2, 'reaction', m2.messageId],
      [3, 'deleted', m1.messageId],
    ]);
    expect(all.changes[1]!.message).toMatchObject({ body: '', deletedAt: expect.any(String) });
    expect(all).toMatchObject({ nextSince: 3, hasMore: false });
    const paged = changesResponseSchema.parse((await stack.as(bob, `${Paths.roomChanges(roomId)}?since=0&limit=1`)).json);
    expect(paged).toMatchObject({ nextSince: 1, hasMore: true, changes: [{ seq: 1, change: 'edited' }] });
    const none = changesResponseSchema.parse((await stack.as(bob, `${Paths.roomChanges(roomId)}?since=3`)).json);
    expect(none).toEqual({ changes: [], nextSince: 3, hasMore: false });
    expect(historyResponseSchema.parse((await stack.as(bob, Paths.roomMessages(roomId))).json).changeSeq).toBe(3);
    // Refusals: bad since, and a private room you are not in (the same NOT_FOUND as a missing room).
    expect((await stack.as(bob, `${Paths.roomChanges(roomId)}?since=-1`)).json.error.code).toBe(ErrorCode.BadRequest);
    expect((await stack.as(bob, `${Paths.roomChanges(roomId)}?since=x`)).status).toBe(400);
    expect(changesResponseSchema.parse((await stack.as(bob, Paths.roomChanges(roomId))).json).nextSince).toBe(3);
    const secret = await stack.privateRoom(ada);
    const refused = await stack.as(bob, `${Paths.roomChanges(secret)}?since=0`);
    expect(refused.status).toBe(404);
    expect(refused.json.error.code).toBe(ErrorCode.NotFound);
  });

  it('loads the neighbourhood of a message (around) and pages newer from it (from)', async () => {
    const ada = testUser('Ada');
    const { roomId, sockets: [a] } = await room(ada);
    const sent: ChatMessage[] = [];
    for (let i = 0; i < 12; i++) sent.push(await send(a!, roomId, `m${i}`));
    const ids = sent.map((m) => m.messageId);
    const around = historyResponseSchema.parse((await stack.as(ada, `${Paths.roomMessages(roomId)}?around=${ids[5]}&limit=5`)).json);
    // Newest first: 2 newer, the message, 2 older.
    expect(around.messages.map((m) => m.messageId)).toEqual([ids[7], ids[6], ids[5], ids[4], ids[3]]);
    expect(around).toMatchObject({ nextBefore: ids[3], nextAfter: ids[7], changeSeq: 0 });
    const newer = historyResponseSchema.parse((await stack.as(ada, `${Paths.roomMessages(roomId)}?from=${around.nextAfter}&limit=3`)).json);
    expect(newer.messages.map((m) => m.messageId)).toEqual([ids[10], ids[9], ids[8]]);
    expect(newer.nextAfter).toBe(ids[10]);
    const last = historyResponseSchema.parse((await stack.as(ada, `${Paths.roomMessages(roomId)}?from=${newer.nextAfter}&limit=3`)).json);
    expect(last.messages.map((m) => m.messageId)).toEqual([ids[11]]);
    expect(last.nextAfter).toBeNull();
    const edge = historyResponseSchema.parse((await stack.as(ada, `${Paths.roomMessages(roomId)}?around=${ids[0]}&limit=4`)).json);
    // ⌊4/2⌋ older wanted, none exist: the message and the one newer.
    expect(edge.messages.map((m) => m.messageId)).toEqual([ids[1], ids[0]]);
    expect(edge).toMatchObject({ nextBefore: null, nextAfter: ids[1] });
    const missing = await stack.as(ada, `${Paths.roomMessages(roomId)}?around=01ARZ3NDEKTSV4RRFFQ69G5FAV`);
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe(ErrorCode.MessageNotFound);
    expect((await stack.as(ada, `${Paths.roomMessages(roomId)}?around=${ids[1]}&before=${ids[3]}`)).status).toBe(400);
  });
});

describe('typing', () => {
  it('reaches the other people in the room, never the typer, and is not fanned out past 100 people online', async () => {
    const [ada, bob] = [testUser('Ada'), testUser('Bob')];
    const { roomId, sockets: [a, b] } = await room(ada, bob);
    a!.send({ action: 'typing', roomId });
    expect(await b!.next((f) => f.type === 'typing')).toEqual({ type: 'typing', roomId, user: { userId: ada.sub, displayName: 'Ada' } });
    await receivedNothing(a!);
    // 100 more people online (rows as their subscribes write them): 102 in all.
    for (let i = 0; i < LIMITS.typingMaxOnline; i++) {
      await putSubscriptions(`crowd-${i}`, { userId: `crowd-user-${i}`, displayName: `C${i}` }, [roomId]);
    }
    // Past the per-socket throttle, so only the online cap can hold it back.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    a!.send({ action: 'typing', roomId });
    await a!.settle();
    await receivedNothing(b!);
    // Nothing was posted to the crowd either: their (fake) sockets would have been cleaned up as gone.
    expect((await stack.scan(SUBSCRIPTIONS_TABLE.envVar)).filter((s) => s.roomId === roomId)).toHaveLength(LIMITS.typingMaxOnline + 2);
  });
});

describe('cost', () => {
  it('an edit, a reaction and a delete each cost a fixed handful of DynamoDB requests (printed; no Scan)', async () => {
    const [ada, bob] = [testUser('Ada'), testUser('Bob')];
    const { roomId, sockets: [a, b] } = await room(ada, bob);
    const m = await send(a!, roomId, 'count me', {}, [b!]);
    const calls: string[] = [];
    const counter = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      calls.push(context.commandName ?? '?');
      return next(args);
    };
    db().middlewareStack.add(counter as never, { step: 'initialize', name: 'countRequests' });
    const measure = async (frame: Record<string, unknown>) => {
      await a!.settle();
      calls.length = 0;
      a!.send(frame);
      await changed(a!);
      await changed(b!);
      return [...calls];
    };
    try {
      const edit = await measure({ action: 'editMessage', roomId, messageId: m.messageId, body: 'counted' });
      const reaction = await measure({ action: 'react', roomId, messageId: m.messageId, emoji: '👍', op: 'set' });
      const del = await measure({ action: 'deleteMessage', roomId, messageId: m.messageId });
      console.log(`[measure] DynamoDB requests per action (2 subscribers): edit ${edit.length} ${JSON.stringify(edit)}, reaction ${reaction.length}, delete ${del.length} ${JSON.stringify(del)}`);
      // Connection row (who acts) · membership · allowance · the conditional update · counter · entry · one page of subscribers.
      const core = ['GetItemCommand', 'GetItemCommand', 'UpdateItemCommand', 'UpdateItemCommand', 'UpdateItemCommand', 'PutItemCommand', 'QueryCommand'].sort();
      // Edit and delete also read the message's mentions before (the mention index; BatchWrite only when they change).
      expect(edit.sort()).toEqual([...core, 'GetItemCommand'].sort());
      expect(reaction.sort()).toEqual(core);
      // + the receipt scrub (a no-op condition on ids-only receipts).
      expect(del.sort()).toEqual([...core, 'GetItemCommand', 'UpdateItemCommand'].sort());
      expect([...edit, ...reaction, ...del]).not.toContain('ScanCommand');
    } finally {
      db().middlewareStack.remove('countRequests');
    }
  });
});
