/**
 * Fuzz: thousands of hostile frames straight through the real ws-message handler, in API Gateway-shaped
 * events, against real dynalite; replies travel the real `@connections` path to real sockets. Oracle:
 * amplify/security/frame-model.ts (the documented protocol), never the parser under test.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestSocket, type TestStack, type TestUser } from '../../local/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, type ServerFrame } from '../../../lib/protocol';
import { MESSAGES_TABLE } from '../../chat/tables';
import { messageEvent } from '../../local/gateway/events';
import { selectRoute } from '../../local/gateway/websocket';
import { FUZZ_ROOM, PROTO_KEYS, hostileFrame, hostileValidFrame, hostileValidSend, hugeFrame } from '../../security/frame-arbitraries';
import { expectedFrame, expectedReply, isErrorCode, judgeBody, type ExpectedReply } from '../../security/frame-model';
import { fuzzOptions } from '../../security/fuzz-options';

type Handler = typeof import('./handler').handler;
interface Peer {
  readonly user: TestUser;
  readonly socket: TestSocket;
  readonly connectionId: string;
}

let stack: TestStack;
let handler: Handler;
const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);

beforeAll(async () => {
  process.on('unhandledRejection', onCrash);
  stack = await startTestStack();
  // The same module instance the gateway runs (imported after the stack set the handlers' env).
  ({ handler } = await import('./handler'));
});
afterAll(async () => {
  process.off('unhandledRejection', onCrash);
  await stack?.stop();
});

/**
 * Replies to the sender. Other frames come from other events: `message` (fan-out), `presenceDelta`, and `membership`
 * (a first send in a public room joins the sender, and all their sockets are told).
 */
const isReply = (frame: ServerFrame) => !['message', 'presenceDelta', 'membership'].includes(frame.type);
const roomMessages = async (roomId: string) => (await stack.scan(MESSAGES_TABLE.envVar)).filter((m) => m.roomId === roomId);

async function join(room: string, name: string): Promise<Peer> {
  const user = testUser(name);
  const socket = await stack.connect(user, room);
  return { user, socket, connectionId: await stack.connectionIdOf(user) };
}

/** Takes every frame received so far (connect-time presence and the like). */
async function drain(socket: TestSocket): Promise<void> {
  for (let left = socket.pending().length; left > 0; left--) await socket.next();
}

/** Runs one raw frame through the handler as API Gateway would deliver it, and returns the sender's one reply. */
async function deliver(peer: Peer, raw: string): Promise<ServerFrame> {
  const event = messageEvent(peer.connectionId, Date.now(), selectRoute(raw), raw, 'localhost');
  await expect(handler(event)).resolves.toEqual({ statusCode: 200 });
  return peer.socket.next(isReply);
}

/**
 * The reply the model prescribes for `raw`; returns the acked message id for stored sends. Two-sided: an invalid
 * frame must be refused, and a valid send must be stored exactly as the model says (its trimmed text), refused
 * only when `allowRateLimit` and then only with RATE_LIMITED (the one refusal that does not depend on the frame).
 */
function checkReply(expected: ExpectedReply, reply: ServerFrame, raw: string, allowRateLimit: boolean): string | undefined {
  if (reply.type === 'error') {
    expect(isErrorCode(reply.code), reply.code).toBe(true);
    // INTERNAL means the server failed on client input: a crash it merely caught.
    expect(reply.code).not.toBe(ErrorCode.Internal);
    expect(typeof reply.message === 'string' && reply.message.length > 0).toBe(true);
    if (expected === 'too-large') expect(reply.code).toBe(ErrorCode.FrameTooLarge);
    if (expected === 'pong') throw new Error(`a ping was answered by ${reply.code}`);
    if (expected === 'send' && !(allowRateLimit && reply.code === ErrorCode.RateLimited)) {
      throw new Error(`a valid send was refused with ${reply.code}: ${raw.slice(0, 200)}`);
    }
    if (expected === 'error') {
      // A send frame whose only fault is its body is refused with the body's own code.
      const body = sendBodyOf(raw);
      if (body !== undefined) expect(reply.code).toBe((judgeBody(body) as { code: string }).code);
    }
    return undefined;
  }
  if (expected === 'error' || expected === 'too-large') throw new Error(`an invalid frame was answered by ${JSON.stringify(reply).slice(0, 200)}`);
  if (expected === 'pong') expect(reply.type).toBe('pong');
  if (expected === 'send') {
    expect(reply.type).toBe('ack');
    if (reply.type === 'ack') expect(reply.message.body).toBe((judgeBody(JSON.parse(raw).body) as { stored: string }).stored);
  }
  return reply.type === 'ack' ? reply.message.messageId : undefined;
}

/** The body of a frame that is a well-formed send in every respect but (maybe) its body text. */
function sendBodyOf(raw: string): string | undefined {
  if (expectedFrame(raw) !== 'send') return undefined;
  const { body } = JSON.parse(raw) as { body: string };
  return judgeBody(body).ok ? undefined : body;
}

/** Frames about people rather than replies: presence deltas, and the joining sender's own membership notice. */
const isNotice = (f: ServerFrame) => f.type === 'presenceDelta' || (f.type === 'membership' && f.change === 'added');

/** After the run: each socket got exactly one reply per frame (nothing left over) and only fan-out of acked sends. */
async function expectNoStrayFrames(peers: Peer[], acked: Set<string>): Promise<void> {
  for (const { socket } of peers) {
    await socket.settle();
    const stray = socket.pending().filter((f) => !isNotice(f) && !(f.type === 'message' && acked.has(f.message.messageId)));
    expect(stray).toEqual([]);
  }
}

describe('ws-message handler under fuzz', () => {
  it('answers every hostile frame with exactly one typed error frame, stores nothing and tells no one else', async () => {
    const room = FUZZ_ROOM;
    const listener = await join(room, 'Listener');
    const fuzzers = await Promise.all([1, 2, 3, 4].map((n) => join(room, `Fuzzer ${n}`)));
    await Promise.all([listener, ...fuzzers].map((p) => p.socket.settle()));
    for (const p of [listener, ...fuzzers]) await drain(p.socket);
    const before = (await roomMessages(room)).length;
    const acked = new Set<string>();
    const kinds: Record<string, number> = {};
    const frames = fc.oneof({ weight: 40, arbitrary: hostileFrame }, { weight: 1, arbitrary: hugeFrame });

    // Four sockets in parallel, each strictly one frame at a time (so its next reply is this frame's).
    await Promise.all(
      fuzzers.map((fuzzer) =>
        fc.assert(
          fc.asyncProperty(frames, async (raw) => {
            const expected = expectedReply(raw);
            kinds[expected] = (kinds[expected] ?? 0) + 1;
            const id = checkReply(expected, await deliver(fuzzer, raw), raw, true);
            if (id) acked.add(id);
          }),
          fuzzOptions(2_000),
        ),
      ),
    );

    const total = Object.values(kinds).reduce((a, b) => a + b, 0);
    console.log(`[fuzz] ws-message handler (direct events): ${total} frames, expected replies ${JSON.stringify(kinds)}, acked ${acked.size}`);
    expect(total).toBeGreaterThanOrEqual(8_000);
    expect(crashes).toEqual([]);
    expect((await roomMessages(room)).length - before).toBe(acked.size);
    await expectNoStrayFrames([listener, ...fuzzers], acked);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // The room still works: a plain message from someone else reaches the listener.
    const speaker = await join(room, 'Speaker');
    speaker.socket.send({ action: 'sendMessage', roomId: room, body: 'still here?' });
    const ack = await speaker.socket.next((f) => f.type === 'ack');
    if (ack.type !== 'ack') throw new Error('unreachable');
    const heard = await listener.socket.next((f) => f.type === 'message' && f.message.messageId === ack.message.messageId);
    expect(heard).toEqual({ type: 'message', message: ack.message });
    await Promise.all([listener, speaker, ...fuzzers].map((p) => p.socket.close()));
    // A bound, not a timing: 8,000 frames (message actions included) take ~35-90 s alone and over 120 s with the whole suite on shared cores.
  }, 300_000);

  it('stores valid sends wearing hostile extras as plain text from the socket owner, ignoring every spoofed field', async () => {
    const room = 'fuzz-valid';
    const listener = await join(room, 'Listener');
    // Many senders, so a per-user rate limit does not turn the whole run into refusals.
    const senders = await Promise.all(Array.from({ length: 20 }, (_, n) => join(room, `Sender ${n}`)));
    const before = (await roomMessages(room)).length;
    const acked = new Set<string>();
    let runs = 0;
    let refused = 0;
    let skipped = 0;

    await fc.assert(
      fc.asyncProperty(hostileValidSend, async (send) => {
        const sender = senders[runs % senders.length]!;
        const clientMessageId = `fuzz-${runs++}-${Date.now().toString(36)}`;
        const raw = hostileValidFrame(send, clientMessageId, room);
        if (expectedReply(raw) !== 'send') return void skipped++; // e.g. a lone surrogate in the noise: judged above
        const reply = await deliver(sender, raw);
        if (reply.type !== 'ack') refused++;
        const id = checkReply('send', reply, raw, false);
        if (reply.type !== 'ack') throw new Error('unreachable: checkReply refuses a refused valid send');
        acked.add(id!);
        expect(reply.message).toMatchObject({ roomId: room, authorId: sender.user.sub, authorName: sender.user.preferred_username, body: send.body.trim() });
        expect(reply.message.messageId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
        expect(reply.message.messageId).not.toBe('01ARZ3NDEKTSV4RRFFQ69G5FAV');
        expect(Date.parse(reply.message.createdAt)).toBeGreaterThan(Date.parse('2020-01-01'));
        if (send.withId) expect(reply.clientMessageId).toBe(clientMessageId);
      }),
      fuzzOptions(200),
    );

    console.log(`[fuzz] ws-message handler (hostile valid sends): ${runs} frames, acked ${acked.size}, refused ${refused}`);
    // Two-sided: every model-valid send is stored (20 senders x 10 sends stay under the per-user rate limit).
    expect(refused).toBe(0);
    expect(acked.size).toBe(runs - skipped);
    expect(acked.size).toBeGreaterThan(100);
    expect(crashes).toEqual([]);
    const stored = await roomMessages(room);
    expect(stored.length - before).toBe(acked.size);
    // Nothing from the frame but body and id is stored: no spoofed or prototype keys on any row.
    for (const row of stored) expect(['userId', ...PROTO_KEYS].filter((key) => Object.hasOwn(row, key))).toEqual([]);
    // `mentions` comes only from `<@id>` tokens in the body, never from a spoofed field.
    for (const row of stored) expect(row.mentions).toBeUndefined();
    await expectNoStrayFrames([listener, ...senders], acked);
    const delivered = listener.socket.pending().filter((f) => f.type === 'message');
    expect(delivered).toHaveLength(acked.size);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await Promise.all([listener, ...senders].map((p) => p.socket.close()));
  }, 120_000);
});
