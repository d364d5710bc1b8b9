/**
 * The send use case against real dynalite (and the gateway's real `@connections` for its fan-out), with an
 * injected clock: idempotency by clientMessageId (sequential, concurrent, after a crash) and the per-user
 * fixed-window rate limit (refusal at limit + 1, nothing stored, per user, next window, retries exempt).
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromItem, type MessageItem } from './message-items';
import { ChatError } from '../../lib/chat-error';
import { ErrorCode, LIMITS } from '../../lib/protocol';
import type { ChatUser } from './identity';
import { newMessage } from './messages';
import { RateLimitedError, sendWindow } from './rate-limit';
import { claimReceipt, receiptKey } from './receipts';
import { sendMessage } from './send-message';
import { createRoomRow, newRoomRow } from './rooms';
import { MESSAGES_TABLE, RATE_LIMITS_TABLE, SEND_RECEIPTS_TABLE } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const WINDOW = LIMITS.sendRateWindowMs;
/** 2 s into a window (any window: the clock is injected, nothing here waits). */
const T0 = sendWindow(Date.now()).start + 2000;
/** A room's stored rows, as clients see them (fromItem: reactions map → list, quote id → quote). */
const messagesIn = async (roomId: string) =>
  (await stack.scan(MESSAGES_TABLE.envVar)).filter((m) => m.roomId === roomId).map((m) => fromItem(m as MessageItem));
const author = (name = 'Sender'): ChatUser => {
  const user = testUser(name);
  return { userId: user.sub, displayName: name };
};
/** Public rooms exist before anyone sends to them (the first send joins the sender). */
const ensureRoom = (roomId: string) => createRoomRow(newRoomRow({ roomId, kind: 'public', name: roomId, createdBy: 'test' }));
const send = async (user: ChatUser, roomId: string, body: string, now: number, clientMessageId?: string) => {
  await ensureRoom(roomId);
  return sendMessage({ roomId, author: user, body, clientMessageId }, now);
};
/** Sends `count` messages at `now` (one per id), one after another. */
async function sendMany(user: ChatUser, roomId: string, count: number, now: number, prefix = 'fill'): Promise<void> {
  for (let i = 0; i < count; i++) await send(user, roomId, `${prefix} ${i}`, now, `${prefix}-${String(i).padStart(6, '0')}`);
}

describe('idempotent send', () => {
  it('stores a retried clientMessageId once and returns the original message (same id and createdAt)', async () => {
    const user = author();
    const first = await send(user, 'idem-seq', 'hello', T0, 'idem-seq-0001');
    const retry = await send(user, 'idem-seq', 'hello', T0 + 5000, 'idem-seq-0001');
    expect(first.replayed).toBe(false);
    expect(retry).toMatchObject({ replayed: true, message: first.message });
    expect(await messagesIn('idem-seq')).toEqual([first.message]);
  });

  it('lets exactly one of many concurrent sends with the same id store, and answers all with that message', async () => {
    const user = author();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => send(user, 'idem-par', 'once', T0 + i, 'idem-par-0001')));
    const [first] = results;
    for (const r of results) expect(r.message).toEqual(first!.message);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await messagesIn('idem-par')).toEqual([first!.message]);
    const receipts = (await stack.scan(SEND_RECEIPTS_TABLE.envVar)).filter((r) => r.receiptKey === receiptKey(user.userId, 'idem-par-0001'));
    expect(receipts).toHaveLength(1);
  });

  it('heals a send that died after its receipt: the retry stores the receipt message, uncounted by the limiter', async () => {
    const user = author();
    // What a crashed first attempt leaves behind: a claimed receipt, no message.
    const lost = newMessage({ roomId: 'idem-crash', author: user, body: 'lost?', clientMessageId: 'idem-crash-01' }, T0);
    await claimReceipt(user.userId, 'idem-crash-01', lost, T0);
    expect(await messagesIn('idem-crash')).toEqual([]);
    await sendMany(user, 'idem-crash-fill', LIMITS.sendRateLimit, T0 + 1000);

    const retry = await send(user, 'idem-crash', 'lost?', T0 + 2000, 'idem-crash-01');
    expect(retry).toMatchObject({ replayed: true, message: lost });
    expect(await messagesIn('idem-crash')).toEqual([lost]);
  });
});

describe('per-user rate limit', () => {
  it(`allows ${LIMITS.sendRateLimit} sends per window and refuses the next with RATE_LIMITED (429), storing nothing`, async () => {
    const user = author();
    await sendMany(user, 'rate-edge', LIMITS.sendRateLimit, T0);
    const refusal = await send(user, 'rate-edge', 'one too many', T0 + 500, 'rate-edge-over').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect(refusal).toMatchObject({ code: ErrorCode.RateLimited, status: 429, retryAfterMs: sendWindow(T0).end - (T0 + 500) });
    expect((refusal as ChatError).message).toMatch(/wait \d+ seconds? and send again/);
    expect(await messagesIn('rate-edge')).toHaveLength(LIMITS.sendRateLimit);
    expect((await stack.scan(SEND_RECEIPTS_TABLE.envVar)).some((r) => r.receiptKey === receiptKey(user.userId, 'rate-edge-over'))).toBe(false);
    // Refusals are not counted: the window's counter stays at the limit.
    await expect(send(user, 'rate-edge', 'again', T0 + 600)).rejects.toBeInstanceOf(RateLimitedError);
    const counter = (await stack.scan(RATE_LIMITS_TABLE.envVar)).find((r) => r.limitKey === `${user.userId}#${sendWindow(T0).start}`);
    expect(counter?.sent).toBe(LIMITS.sendRateLimit);
  });

  it('limits each user separately and opens again in the next window', async () => {
    const [hasty, calm] = [author('Hasty'), author('Calm')];
    await sendMany(hasty, 'rate-users', LIMITS.sendRateLimit, T0);
    await expect(send(hasty, 'rate-users', 'over', T0 + 1)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(send(calm, 'rate-users', 'unaffected', T0 + 1)).resolves.toMatchObject({ replayed: false });
    await expect(send(hasty, 'rate-users', 'next window', sendWindow(T0).end)).resolves.toMatchObject({ replayed: false });
  });

  it('never refuses a retry of an already-stored clientMessageId', async () => {
    const user = author();
    const stored = await send(user, 'rate-retry', 'kept', T0, 'rate-retry-0001');
    await sendMany(user, 'rate-retry', LIMITS.sendRateLimit - 1, T0);
    await expect(send(user, 'rate-retry', 'new', T0 + 1, 'rate-retry-0002')).rejects.toBeInstanceOf(RateLimitedError);
    const retry = await send(user, 'rate-retry', 'kept', T0 + 2, 'rate-retry-0001');
    expect(retry).toMatchObject({ replayed: true, message: stored.message });
    expect(await messagesIn('rate-retry')).toHaveLength(LIMITS.sendRateLimit);
  });

  it('meters the re-broadcast of a retry: re-sent to the room while allowance lasts, acked without a fan-out after', async () => {
    const user = author();
    const listener = await stack.connect(testUser('Listener'), 'rate-replay');
    const stored = await send(user, 'rate-replay', 'once', T0, 'rate-replay-0001');
    expect(stored.broadcast.delivered).toBe(1);
    const replay = await send(user, 'rate-replay', 'once', T0 + 1, 'rate-replay-0001');
    expect(replay).toMatchObject({ replayed: true, message: stored.message, broadcast: { delivered: 1 } });
    await sendMany(user, 'rate-replay-fill', LIMITS.sendRateLimit - 2, T0 + 2);
    const unmetered = await send(user, 'rate-replay', 'once', T0 + 3, 'rate-replay-0001');
    expect(unmetered).toMatchObject({ replayed: true, message: stored.message, broadcast: { delivered: 0, gone: 0, failed: 0 } });
    await listener.settle();
    expect(listener.pending().filter((f) => f.type === 'message')).toHaveLength(2);
    await listener.close();
  });

  it('acks through onStored before the fan-out starts', async () => {
    const user = author();
    const listener = await stack.connect(testUser('Listener'), 'stored-first');
    const seenAtStore: number[] = [];
    await sendMessage({
      roomId: 'stored-first',
      author: user,
      body: 'ack me first',
      clientMessageId: 'stored-first-01',
      onStored: async () => {
        seenAtStore.push(listener.pending().length);
      },
    }, T0);
    expect(seenAtStore).toEqual([0]);
    await listener.next((f) => f.type === 'message');
    await listener.close();
  });

  it('is atomic under concurrency: with one slot left, exactly one of several parallel sends gets it', async () => {
    const user = author();
    await sendMany(user, 'rate-race', LIMITS.sendRateLimit - 1, T0);
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => send(user, 'rate-race', `racer ${i}`, T0 + 1, `rate-race-${i}00000`)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RateLimitedError);
    expect(await messagesIn('rate-race')).toHaveLength(LIMITS.sendRateLimit);
  });
});
