/**
 * sendMessage / ping / presence / $default through the local gateway with real sockets, handlers and
 * dynalite: idempotent retries, the per-user rate limit as the client sees it, and the ping heartbeat.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { eventually, startTestStack, testUser, type TestSocket, type TestStack } from '../../local/testing';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromItem, type MessageItem } from '../../chat/message-items';
import { ErrorCode, LIMITS, errorFrameSchema, type ChatMessage, type ServerFrame } from '../../../lib/protocol';
import { consumeSendAllowance } from '../../chat/rate-limit';
import { CONNECTIONS_TABLE, MESSAGES_TABLE, SEND_RECEIPTS_TABLE } from '../../chat/tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** A room's stored rows, as clients see them (fromItem: reactions map → list, quote id → quote). */
const messagesIn = async (roomId: string) =>
  (await stack.scan(MESSAGES_TABLE.envVar)).filter((m) => m.roomId === roomId).map((m) => fromItem(m as MessageItem));
const isType = (type: ServerFrame['type']) => (frame: ServerFrame) => frame.type === type;
/** Frames other than presence deltas (which arrive whenever someone joins or leaves the room). */
const notPresence = (frame: ServerFrame) => frame.type !== 'presenceDelta';
const ackOf = async (socket: TestSocket): Promise<ChatMessage> => {
  const frame = await socket.next(isType('ack'));
  if (frame.type !== 'ack') throw new Error('unreachable');
  return frame.message;
};
const rowOf = async (connectionId: string) => (await stack.scan(CONNECTIONS_TABLE.envVar)).find((r) => r.connectionId === connectionId);
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('ws-message', () => {
  it('stores a message, acks the sender and broadcasts to every socket in the room only', async () => {
    const [ada, bob, eve] = [testUser('Ada'), testUser('Bob'), testUser('Eve')];
    const a = await stack.connect(ada, 'fanout');
    const b = await stack.connect(bob, 'fanout');
    const elsewhere = await stack.connect(eve, 'other-room');

    a.send({ action: 'sendMessage', roomId: 'fanout', body: '  hello room  ', clientMessageId: 'msg-00000001' });
    const ack = await a.next(isType('ack'));
    expect(ack).toMatchObject({ type: 'ack', clientMessageId: 'msg-00000001', message: { roomId: 'fanout', body: 'hello room', authorId: ada.sub, authorName: 'Ada' } });
    if (ack.type !== 'ack') throw new Error('unreachable');

    for (const socket of [a, b]) {
      expect(await socket.next(isType('message'))).toEqual({ type: 'message', message: ack.message });
    }
    await elsewhere.settle();
    expect(elsewhere.pending().filter(notPresence)).toEqual([]);
    expect(await messagesIn('fanout')).toEqual([ack.message]);
    await Promise.all([a, b, elsewhere].map((s) => s.close()));
  });

  it('answers ping with pong and stores nothing', async () => {
    const socket = await stack.connect(testUser(), 'pings');
    socket.send({ action: 'ping' });
    expect(await socket.next()).toEqual({ type: 'pong' });
    expect(await messagesIn('pings')).toEqual([]);
    await socket.close();
  });

  it(`keeps the row fresh: a connection row lives ${LIMITS.connectionFreshMs / 1000} s past the last ping`, async () => {
    const user = testUser();
    const socket = await stack.connect(user, 'heartbeat');
    const id = await stack.connectionIdOf(user);
    // As if the last ping were long ago: 5 s left before the row stops counting.
    await stack.docClient.send(
      new UpdateCommand({
        TableName: stack.dynamo.tableNames[CONNECTIONS_TABLE.envVar],
        Key: { connectionId: id },
        UpdateExpression: 'SET expiresAt = :soon',
        ExpressionAttributeValues: { ':soon': nowSeconds() + 5 },
      }),
    );
    const before = nowSeconds();
    socket.send({ action: 'ping' });
    expect(await socket.next()).toEqual({ type: 'pong' });
    const expiresAt = Number((await rowOf(id))!.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + LIMITS.connectionFreshMs / 1000);
    expect(expiresAt).toBeLessThanOrEqual(nowSeconds() + LIMITS.connectionFreshMs / 1000);
    // A few heartbeats, so one or two lost pings never cost a live socket its row.
    expect(LIMITS.connectionFreshMs).toBeGreaterThanOrEqual(2 * LIMITS.heartbeatIntervalMs);
    await socket.close();
  });

  it('answers a ping on a socket whose row is gone or expired with NOT_CONNECTED, and never revives the row', async () => {
    const [gone, stale] = [testUser(), testUser()];
    const goneSocket = await stack.connect(gone, 'heartbeat-lost');
    const staleSocket = await stack.connect(stale, 'heartbeat-lost');
    const [goneId, staleId] = await Promise.all([stack.connectionIdOf(gone), stack.connectionIdOf(stale)]);
    const table = stack.dynamo.tableNames[CONNECTIONS_TABLE.envVar];
    await stack.docClient.send(new DeleteCommand({ TableName: table, Key: { connectionId: goneId } }));
    // Expired but not yet deleted: DynamoDB's TTL lags (dynalite never deletes).
    const expired = nowSeconds() - 1;
    await stack.docClient.send(
      new UpdateCommand({ TableName: table, Key: { connectionId: staleId }, UpdateExpression: 'SET expiresAt = :e', ExpressionAttributeValues: { ':e': expired } }),
    );

    for (const socket of [goneSocket, staleSocket]) {
      socket.send({ action: 'ping' });
      expect(await socket.next(notPresence)).toMatchObject({ type: 'error', code: ErrorCode.NotConnected });
    }
    expect(await rowOf(goneId)).toBeUndefined();
    expect((await rowOf(staleId))!.expiresAt).toBe(expired);
    await Promise.all([goneSocket.close(), staleSocket.close()]);
  });

  it('answers presence to the asker only: one entry per user, however many sockets', async () => {
    const [ada, bob] = [testUser('Ada'), testUser('Bob')];
    const a1 = await stack.connect(ada, 'presence-ask');
    const a2 = await stack.connect(ada, 'presence-ask');
    const b = await stack.connect(bob, 'presence-ask');
    await Promise.all([a1, a2, b].map((s) => s.settle()));

    // Bob previews (not a member yet): presence lists members with a live socket only, so Ada alone.
    b.send({ action: 'presence', roomId: 'presence-ask' });
    expect(await b.next(isType('presenceList'))).toEqual({
      type: 'presenceList',
      roomId: 'presence-ask',
      users: [{ userId: ada.sub, displayName: 'Ada' }],
      nextCursor: null,
    });
    // Once a member (his first send joins him), one entry per user, sorted by user id.
    b.send({ action: 'sendMessage', roomId: 'presence-ask', body: 'hi' });
    await b.next(isType('ack'));
    b.send({ action: 'presence', roomId: 'presence-ask' });
    expect(await b.next(isType('presenceList'))).toEqual({
      type: 'presenceList',
      roomId: 'presence-ask',
      users: [
        { userId: ada.sub, displayName: 'Ada' },
        { userId: bob.sub, displayName: 'Bob' },
      ].sort((x, y) => x.userId.localeCompare(y.userId)),
      nextCursor: null,
    });
    await Promise.all([a1, a2].map((s) => s.settle()));
    // Answered to the asker only.
    expect([a1, a2].flatMap((s) => s.pending()).filter(isType('presenceList'))).toEqual([]);
    await Promise.all([a1, a2, b].map((s) => s.close()));
  });

  it('stores a retried clientMessageId once and acks every attempt with the original message', async () => {
    const [author, reader] = [testUser('Retrier'), testUser('Reader')];
    const a = await stack.connect(author, 'retry');
    const r = await stack.connect(reader, 'retry');
    a.send({ action: 'sendMessage', roomId: 'retry', body: 'only once', clientMessageId: 'retry-seq-0001' });
    const first = await ackOf(a);
    // Sequential retry (the ack was lost), then two concurrent ones: the gateway runs each frame in its own invocation.
    a.send({ action: 'sendMessage', roomId: 'retry', body: 'only once', clientMessageId: 'retry-seq-0001' });
    const second = await ackOf(a);
    a.send({ action: 'sendMessage', roomId: 'retry', body: 'only once', clientMessageId: 'retry-seq-0001' });
    a.send({ action: 'sendMessage', roomId: 'retry', body: 'only once', clientMessageId: 'retry-seq-0001' });
    const [third, fourth] = [await ackOf(a), await ackOf(a)];

    expect(first).toMatchObject({ body: 'only once', clientMessageId: 'retry-seq-0001', authorId: author.sub });
    for (const again of [second, third, fourth]) expect(again).toEqual(first);
    expect(await messagesIn('retry')).toEqual([first]);
    // Retries may re-broadcast the original (the first attempt may have died before its fan-out): same messageId.
    await r.settle();
    const heard = r.pending().filter(isType('message'));
    expect(heard.length).toBeGreaterThanOrEqual(1);
    for (const frame of heard) expect(frame).toEqual({ type: 'message', message: first });
    await Promise.all([a.close(), r.close()]);
  });

  it('treats clientMessageIds as per user: the same id from someone else is a new message', async () => {
    const [one, two] = [testUser(), testUser()];
    const [s1, s2] = [await stack.connect(one, 'id-scope'), await stack.connect(two, 'id-scope')];
    s1.send({ action: 'sendMessage', roomId: 'id-scope', body: 'mine', clientMessageId: 'shared-id-0001' });
    const m1 = await ackOf(s1);
    s2.send({ action: 'sendMessage', roomId: 'id-scope', body: 'yours', clientMessageId: 'shared-id-0001' });
    const m2 = await ackOf(s2);
    expect(m2.messageId).not.toBe(m1.messageId);
    expect((await messagesIn('id-scope')).map((m) => m.body).sort()).toEqual(['mine', 'yours']);
    await Promise.all([s1.close(), s2.close()]);
  });

  it('refuses a send over the per-user rate limit with a RATE_LIMITED frame that says when to retry, storing nothing', async () => {
    const [hasty, listenerUser] = [testUser('Hasty'), testUser()];
    const socket = await stack.connect(hasty, 'rate-ws');
    const listener = await stack.connect(listenerUser, 'rate-ws');
    // Fill this window and the next two, so the refusal does not depend on when the frame arrives.
    const now = Date.now();
    for (let w = 0; w < 3; w++) {
      for (let i = 0; i < LIMITS.sendRateLimit; i++) await consumeSendAllowance(hasty.sub, now + w * LIMITS.sendRateWindowMs);
    }
    socket.send({ action: 'sendMessage', roomId: 'rate-ws', body: 'too fast', clientMessageId: 'hasty-000001' });
    const refusal = errorFrameSchema.parse(await socket.next(notPresence));
    expect(refusal).toMatchObject({ type: 'error', code: ErrorCode.RateLimited, clientMessageId: 'hasty-000001' });
    expect(refusal.retryAfterMs).toBeGreaterThan(0);
    expect(refusal.retryAfterMs).toBeLessThanOrEqual(LIMITS.sendRateWindowMs);
    expect(refusal.message).toMatch(/wait \d+ seconds? and send again/);
    expect(await messagesIn('rate-ws')).toEqual([]);
    expect((await stack.scan(SEND_RECEIPTS_TABLE.envVar)).some((r) => String(r.receiptKey).startsWith(hasty.sub))).toBe(false);
    await listener.settle();
    expect(listener.pending().filter(notPresence)).toEqual([]);
    await Promise.all([socket.close(), listener.close()]);
  });

  const badFrames: Array<[string, unknown, string]> = [
    ['malformed JSON', '{"action":"sendMessage",', ErrorCode.BadJson],
    ['a non-object frame', '[1,2]', ErrorCode.BadFrame],
    ['an unknown action', { action: 'deleteEverything' }, ErrorCode.UnknownAction],
    ['a frame without action', { body: 'hi' }, ErrorCode.UnknownAction],
    ['an empty body', { action: 'sendMessage', roomId: 'bad-frames', body: '   ' }, ErrorCode.EmptyBody],
    ['a too-long body', { action: 'sendMessage', roomId: 'bad-frames', body: 'x'.repeat(LIMITS.bodyMaxChars + 1) }, ErrorCode.BodyTooLong],
    ['a non-text body', { action: 'sendMessage', roomId: 'bad-frames', body: 42 }, ErrorCode.BadFrame],
  ];

  it.each(badFrames)('answers %s with a typed error frame to the sender only', async (_name, frame, code) => {
    const room = 'bad-frames';
    const [sender, listener] = [await stack.connect(testUser(), room), await stack.connect(testUser(), room)];
    sender.send(frame);
    const error = await sender.next(notPresence);
    expect(error).toMatchObject({ type: 'error', code });
    expect((error as { message: string }).message.length).toBeGreaterThan(0);
    await listener.settle();
    expect(listener.pending().filter(notPresence)).toEqual([]);
    expect(await messagesIn(room)).toEqual([]);
    await Promise.all([sender.close(), listener.close()]);
  });

  it('echoes the clientMessageId on an error so the client can match it', async () => {
    const socket = await stack.connect(testUser(), 'echo');
    socket.send({ action: 'sendMessage', roomId: 'echo', body: '', clientMessageId: 'retry-123456' });
    expect(await socket.next(notPresence)).toMatchObject({ type: 'error', code: ErrorCode.EmptyBody, clientMessageId: 'retry-123456' });
    await socket.close();
  });

  it('refuses to send for a socket whose row is gone (NOT_CONNECTED)', async () => {
    const user = testUser();
    const socket = await stack.connect(user, 'rowless');
    const id = await stack.connectionIdOf(user);
    await stack.docClient.send(new DeleteCommand({ TableName: stack.dynamo.tableNames[CONNECTIONS_TABLE.envVar], Key: { connectionId: id } }));
    socket.send({ action: 'sendMessage', roomId: 'rowless', body: 'anyone?' });
    expect(await socket.next(notPresence)).toMatchObject({ type: 'error', code: ErrorCode.NotConnected });
    expect(await messagesIn('rowless')).toEqual([]);
    await socket.close();
  });

  it(`closes a frame over ${LIMITS.frameMaxBytes} bytes with 1009 and cleans up its row`, async () => {
    const user = testUser();
    const socket: TestSocket = await stack.connect(user, 'big');
    const id = await stack.connectionIdOf(user);
    socket.send({ action: 'sendMessage', roomId: 'big', body: 'x'.repeat(LIMITS.frameMaxBytes) });
    expect((await socket.closed).code).toBe(1009);
    await eventually(async () => !(await stack.scan(CONNECTIONS_TABLE.envVar)).some((r) => r.connectionId === id));
    expect(await messagesIn('big')).toEqual([]);
  });

  it('closes a binary frame with 1003, as API Gateway does', async () => {
    const socket = await stack.connect(testUser(), 'binary');
    socket.ws.send(Buffer.from('{"action":"ping"}'), { binary: true });
    expect((await socket.closed).code).toBe(1003);
  });
});
