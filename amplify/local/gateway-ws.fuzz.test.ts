/**
 * Fuzz over the wire: hostile frames sent on a real socket to the local gateway (route selection, size and
 * encoding limits, the real handlers, real dynalite). Every frame gets exactly one typed reply, or the
 * socket is closed 1009 when it is over the size cap; nobody else in the room hears a thing.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { eventually, startTestStack, testUser, type TestSocket, type TestStack } from './testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, type ServerFrame } from '../../lib/protocol';
import { CONNECTIONS_TABLE, MESSAGES_TABLE } from '../chat/tables';
import { hostileFrame, hugeFrame } from '../security/frame-arbitraries';
import { asReceived, expectedReply, isErrorCode } from '../security/frame-model';
import { fuzzOptions } from '../security/fuzz-options';

let stack: TestStack;
const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);
beforeAll(async () => {
  process.on('unhandledRejection', onCrash);
  stack = await startTestStack();
});
afterAll(async () => {
  process.off('unhandledRejection', onCrash);
  await stack?.stop();
});

const ROOM = 'wire-fuzz';
const isReply = (frame: ServerFrame) => !['message', 'presenceDelta', 'membership'].includes(frame.type);
const messageCount = async () => (await stack.scan(MESSAGES_TABLE.envVar)).length;
/** Frames other than presence updates (which connects and disconnects cause, not frames). */
const heard = (socket: TestSocket) => socket.pending().filter((f) => f.type !== 'presenceDelta' && f.type !== 'membership');

describe('local gateway WebSocket under fuzz', () => {
  it('answers each hostile frame under the size cap with one typed error frame and stores nothing', async () => {
    const listener = await stack.connect(testUser('Listener'), ROOM);
    const fuzzer = await stack.connect(testUser('Fuzzer'), ROOM);
    await Promise.all([listener.settle(), fuzzer.settle()]);
    const before = await messageCount();
    const listenerBefore = heard(listener).length;
    let runs = 0;
    // What arrives is the UTF-8 encoding of the string (lone surrogates become U+FFFD): judge that.
    const frames = hostileFrame.filter((raw) => expectedReply(asReceived(raw)) === 'error');

    await fc.assert(
      fc.asyncProperty(frames, async (raw) => {
        runs++;
        fuzzer.send(raw);
        const reply = await fuzzer.next(isReply);
        expect(reply.type).toBe('error');
        if (reply.type !== 'error') return;
        expect(isErrorCode(reply.code), reply.code).toBe(true);
        expect(reply.code).not.toBe(ErrorCode.Internal);
        expect(reply.message.length).toBeGreaterThan(0);
      }),
      fuzzOptions(400),
    );

    console.log(`[fuzz] gateway WebSocket: ${runs} frames over a real socket`);
    await Promise.all([fuzzer.settle(), listener.settle()]);
    expect(fuzzer.pending().filter(isReply)).toEqual([]);
    expect(heard(listener)).toHaveLength(listenerBefore);
    expect(await messageCount()).toBe(before);
    expect(crashes).toEqual([]);

    // Unaffected: a real message still reaches the listener.
    fuzzer.send({ action: 'sendMessage', roomId: ROOM, body: 'after the storm', clientMessageId: 'after-storm-1' });
    const ack = await fuzzer.next((f) => f.type === 'ack');
    if (ack.type !== 'ack') throw new Error('unreachable');
    expect(await listener.next((f) => f.type === 'message' && f.message.messageId === ack.message.messageId)).toMatchObject({ message: { body: 'after the storm' } });
    await Promise.all([listener.close(), fuzzer.close()]);
  }, 90_000);

  it('closes a socket that sends a frame over the cap with 1009, without a reply, a message or a leftover row', async () => {
    const listener = await stack.connect(testUser('Listener'), ROOM);
    await listener.settle();
    const before = await messageCount();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(hugeFrame, async (raw) => {
        runs++;
        const user = testUser('Oversize');
        const socket = await stack.connect(user, ROOM);
        const id = await stack.connectionIdOf(user);
        socket.send(raw);
        expect((await socket.closed).code).toBe(1009);
        expect(socket.pending().filter(isReply)).toEqual([]);
        await eventually(async () => !(await stack.scan(CONNECTIONS_TABLE.envVar)).some((row) => row.connectionId === id));
      }),
      fuzzOptions(8),
    );
    console.log(`[fuzz] gateway WebSocket: ${runs} oversized frames`);
    await listener.settle();
    expect(heard(listener)).toEqual([]);
    expect(await messageCount()).toBe(before);
    await listener.close();
  }, 60_000);

  it('closes a text frame that is not UTF-8 (1007) and keeps serving everyone else', async () => {
    const bystander = await stack.connect(testUser('Bystander'), ROOM);
    const sender = await stack.connect(testUser('Broken'), ROOM);
    // A text frame whose payload is not UTF-8: what a buggy or hostile client can put on the wire.
    sender.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0xc0, 0x7d]), { binary: false });
    expect((await sender.closed).code).toBe(1007);
    await bystander.settle();
    expect(crashes).toEqual([]);
    await bystander.close();
  });
});
