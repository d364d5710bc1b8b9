/** sendMessage / ping / $default through the local gateway with real sockets, handlers and dynalite. */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { eventually, startTestStack, testUser, type TestSocket, type TestStack } from '../../local/testing';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, LIMITS, type ServerFrame } from '../../../lib/protocol';
import { CONNECTIONS_TABLE, MESSAGES_TABLE } from '../../chat/tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const messagesIn = async (roomId: string) => (await stack.scan(MESSAGES_TABLE.envVar)).filter((m) => m.roomId === roomId);
const isType = (type: ServerFrame['type']) => (frame: ServerFrame) => frame.type === type;

describe('ws-message', () => {
  it('stores a message, acks the sender and broadcasts to every socket in the room only', async () => {
    const [ada, bob, eve] = [testUser('Ada'), testUser('Bob'), testUser('Eve')];
    const a = await stack.connect(ada, 'fanout');
    const b = await stack.connect(bob, 'fanout');
    const elsewhere = await stack.connect(eve, 'other-room');

    a.send({ action: 'sendMessage', body: '  hello room  ', clientMessageId: 'msg-00000001' });
    const ack = await a.next(isType('ack'));
    expect(ack).toMatchObject({ type: 'ack', clientMessageId: 'msg-00000001', message: { roomId: 'fanout', body: 'hello room', authorId: ada.sub, authorName: 'Ada' } });
    if (ack.type !== 'ack') throw new Error('unreachable');

    for (const socket of [a, b]) {
      expect(await socket.next(isType('message'))).toEqual({ type: 'message', message: ack.message });
    }
    await elsewhere.settle();
    expect(elsewhere.pending()).toEqual([]);
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

  const badFrames: Array<[string, unknown, string]> = [
    ['malformed JSON', '{"action":"sendMessage",', ErrorCode.BadJson],
    ['a non-object frame', '[1,2]', ErrorCode.BadFrame],
    ['an unknown action', { action: 'deleteEverything' }, ErrorCode.UnknownAction],
    ['a frame without action', { body: 'hi' }, ErrorCode.UnknownAction],
    ['an empty body', { action: 'sendMessage', body: '   ' }, ErrorCode.EmptyBody],
    ['a too-long body', { action: 'sendMessage', body: 'x'.repeat(LIMITS.bodyMaxChars + 1) }, ErrorCode.BodyTooLong],
    ['a non-text body', { action: 'sendMessage', body: 42 }, ErrorCode.BadFrame],
  ];

  it.each(badFrames)('answers %s with a typed error frame to the sender only', async (_name, frame, code) => {
    const room = 'bad-frames';
    const [sender, listener] = [await stack.connect(testUser(), room), await stack.connect(testUser(), room)];
    sender.send(frame);
    const error = await sender.next();
    expect(error).toMatchObject({ type: 'error', code });
    expect((error as { message: string }).message.length).toBeGreaterThan(0);
    await listener.settle();
    expect(listener.pending()).toEqual([]);
    expect(await messagesIn(room)).toEqual([]);
    await Promise.all([sender.close(), listener.close()]);
  });

  it('echoes the clientMessageId on an error so the client can match it', async () => {
    const socket = await stack.connect(testUser(), 'echo');
    socket.send({ action: 'sendMessage', body: '', clientMessageId: 'retry-123456' });
    expect(await socket.next()).toMatchObject({ type: 'error', code: ErrorCode.EmptyBody, clientMessageId: 'retry-123456' });
    await socket.close();
  });

  it('refuses to send for a socket whose row is gone (NOT_CONNECTED)', async () => {
    const user = testUser();
    const socket = await stack.connect(user, 'rowless');
    const id = await stack.connectionIdOf(user);
    await stack.docClient.send(new DeleteCommand({ TableName: stack.dynamo.tableNames[CONNECTIONS_TABLE.envVar], Key: { connectionId: id } }));
    socket.send({ action: 'sendMessage', body: 'anyone?' });
    expect(await socket.next()).toMatchObject({ type: 'error', code: ErrorCode.NotConnected });
    expect(await messagesIn('rowless')).toEqual([]);
    await socket.close();
  });

  it(`closes a frame over ${LIMITS.frameMaxBytes} bytes with 1009 and cleans up its row`, async () => {
    const user = testUser();
    const socket: TestSocket = await stack.connect(user, 'big');
    const id = await stack.connectionIdOf(user);
    socket.send({ action: 'sendMessage', body: 'x'.repeat(LIMITS.frameMaxBytes) });
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
