/**
 * The send use case against real dynalite (and the gateway's real `@connections` for its fan-out), with an
 * injected clock: idempotency by clientMessageId (sequential, concurrent, after a crash) and the per-user
 * fixed-window rate limit (refusal at limit + 1, nothing stored, per user, next window, retries exempt).
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fromItem, type MessageItem } from './message-items';
import { ChatError } from '../../lib/chat-error';
import { ErrorCode, LIMITS } from '../../lib/protocol';
import type { ChatUser } from './identity';
import { newMessage } from './messages';
import { RateLimitedError, sendWindow } from './rate-limit';
import { claimReceipt, receiptKey } from './receipts';
import { listChanges } from './changes';
import { resetMessageIds } from './messages';
import { sendMessage } from './send-message';
import { createRoomRow, newRoomRow } from './rooms';
import { db } from './db';
import { addMembership, getMembership } from './memberships';
import { flushMetrics, tapMetrics, type EmfDocument } from './metrics';
import { logger } from './logger';
import { putMessage } from './messages';
import { MENTIONS_TABLE, MESSAGES_TABLE, RATE_LIMITS_TABLE, ROOMS_TABLE, SEND_RECEIPTS_TABLE, requiredEnv } from './tables';

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
    await ensureRoom('idem-crash');

    // The heal is the conditional put of that one row (never the unconditional batch of a fresh message), and it is
    // not counted as a stored message (the first attempt was).
    const writes: string[] = [];
    const messagesTable = requiredEnv(MESSAGES_TABLE.envVar);
    db().middlewareStack.add(
      (next, context) => (args) => {
        const input = args.input as { TableName?: string; RequestItems?: Record<string, unknown> };
        if (input.TableName === messagesTable || (input.RequestItems && messagesTable in input.RequestItems)) writes.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'healWrites', priority: 'high' },
    );
    const docs: EmfDocument[] = [];
    tapMetrics((emf) => docs.push(emf));
    flushMetrics();
    docs.length = 0;
    const retry = await send(user, 'idem-crash', 'lost?', T0 + 2000, 'idem-crash-01').finally(() => {
      db().middlewareStack.remove('healWrites');
      flushMetrics();
      tapMetrics(() => {}); // the fixture's no-op tap again
    });
    expect(writes).not.toContain('BatchWriteItemCommand');
    expect(writes).toContain('PutItemCommand');
    expect(docs.filter((d) => 'MessagesStored' in d)).toEqual([]);
    expect(retry).toMatchObject({ replayed: true, message: lost });
    expect(await messagesIn('idem-crash')).toEqual([lost]);
  });
});

describe('a late send', () => {
  it('is put in the room’s change order when its fan-out starts more than lateStoreMs after its time; an on-time one is not', async () => {
    const user = author();
    await send(user, 'late-on-time', 'on time', Date.now());
    expect((await listChanges('late-on-time', 0, 10)).changes).toEqual([]);
    resetMessageIds(); // another container: this one's monotonic ids would carry the newer time
    const late = await send(user, 'late-starved', 'starved', Date.now() - LIMITS.lateStoreMs - 5000);
    resetMessageIds();
    expect((await listChanges('late-starved', 0, 10)).changes).toEqual([{ seq: 1, change: 'stored', message: late.message }]);
  });

  it('a retry re-storing a lost row is broadcast even with no allowance left, and recorded as stored', async () => {
    const user = author();
    const listener = await stack.connect(testUser('LateListener'), 'late-heal');
    resetMessageIds();
    const lost = newMessage({ roomId: 'late-heal', author: user, body: 'lost a minute ago', clientMessageId: 'late-heal-01' }, Date.now() - 60_000);
    resetMessageIds();
    await claimReceipt(user.userId, 'late-heal-01', lost, Date.now() - 60_000);
    await sendMany(user, 'late-heal-fill', LIMITS.sendRateLimit, Date.now());
    const retry = await send(user, 'late-heal', 'lost a minute ago', Date.now(), 'late-heal-01');
    expect(retry).toMatchObject({ replayed: true, message: lost, broadcast: { delivered: 1 } });
    expect((await listChanges('late-heal', 0, 10)).changes).toEqual([{ seq: 1, change: 'stored', message: lost }]);
    await listener.settle();
    expect(listener.pending().filter((f) => f.type === 'message')).toEqual([{ type: 'message', message: lost }]);
    await listener.close();
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

describe('who may send, and what a replay may touch', () => {
  const MIDDLEWARE = 'sendEdge';
  afterEach(() => {
    db().middlewareStack.remove(MIDDLEWARE);
    vi.restoreAllMocks();
  });
  const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);
  /** Every write request (command and table) from here on. */
  function writes(): string[] {
    const seen: string[] = [];
    db().middlewareStack.add(
      (next, context) => (args) => {
        const input = args.input as { TableName?: string; RequestItems?: Record<string, unknown> };
        if (/^(Put|Update|Delete|BatchWrite)/.test(String(context.commandName))) seen.push(`${context.commandName} ${input.TableName ?? Object.keys(input.RequestItems ?? {}).join(',')}`);
        return next(args);
      },
      { step: 'initialize', name: MIDDLEWARE, priority: 'high' },
    );
    return seen;
  }

  it('refuses a non-member of a private room, and anyone for a public room that does not exist: NOT_FOUND, nothing stored or joined', async () => {
    const [owner, stranger] = [author('Owner'), author('Stranger')];
    const privateId = `p_${Date.now().toString(36).padStart(26, '0')}`;
    await createRoomRow(newRoomRow({ roomId: privateId, kind: 'private', name: 'Secret', createdBy: owner.userId }));
    await addMembership({ roomId: privateId, kind: 'private', user: owner, role: 'owner' });
    expect(await refusal(sendMessage({ roomId: privateId, author: stranger, body: 'let me in' }, T0))).toMatchObject({ code: ErrorCode.NotFound });
    expect(await refusal(sendMessage({ roomId: 'no-such-public-room', author: stranger, body: 'anyone?' }, T0))).toMatchObject({ code: ErrorCode.NotFound });
    expect(await messagesIn(privateId)).toEqual([]);
    expect(await messagesIn('no-such-public-room')).toEqual([]);
    expect(await getMembership(privateId, stranger.userId)).toBeUndefined();
    expect(await getMembership('no-such-public-room', stranger.userId)).toBeUndefined();
  });

  it('a replay writes no message: an edit made since stays, and the answer is the message as it is now', async () => {
    const user = author();
    const first = await send(user, 'replay-edit', 'draft', T0, 'replay-edit-01');
    const table = requiredEnv(MESSAGES_TABLE.envVar);
    await db().send(
      new UpdateCommand({ TableName: table, Key: { roomId: 'replay-edit', messageId: first.message.messageId }, UpdateExpression: 'SET body = :b, rev = :r', ExpressionAttributeValues: { ':b': 'final', ':r': 2 } }),
    );
    const seen = writes();
    const replay = await send(user, 'replay-edit', 'draft', T0 + 1, 'replay-edit-01');
    expect(replay).toMatchObject({ replayed: true, message: { messageId: first.message.messageId, body: 'final', rev: 2 } });
    expect(await messagesIn('replay-edit')).toEqual([expect.objectContaining({ body: 'final', rev: 2 })]);
    // Nothing is written to the message, its mentions or its receipt (the re-broadcast's allowance is counted, and
    // the test helper puts its room row again; sockets' own handlers may write elsewhere meanwhile).
    const kept = [MESSAGES_TABLE, MENTIONS_TABLE, SEND_RECEIPTS_TABLE].map((t) => requiredEnv(t.envVar));
    expect(seen.filter((w) => kept.some((table) => w.includes(table)))).toEqual([]);
  });

  it('a legacy receipt (a whole copy) with no message row: the retry stores that copy', async () => {
    const user = author();
    await ensureRoom('replay-legacy');
    const copy = newMessage({ roomId: 'replay-legacy', author: user, body: 'old style', clientMessageId: 'legacy-0001' }, T0);
    await db().send(new PutCommand({ TableName: requiredEnv(SEND_RECEIPTS_TABLE.envVar), Item: { receiptKey: receiptKey(user.userId, 'legacy-0001'), message: copy, expiresAt: 1 } }));
    // The retry's own body differs (a client could not know): the copy is what was sent first, so it wins.
    const retry = await send(user, 'replay-legacy', 'old style, typed again', T0 + 1, 'legacy-0001');
    expect(retry).toMatchObject({ replayed: true, message: copy });
    expect(await messagesIn('replay-legacy')).toEqual([copy]);
  });

  it('when refused by the limit while a twin with the same id was just stored, answers with the twin', async () => {
    const user = author();
    await sendMany(user, 'twin-fill', LIMITS.sendRateLimit, T0);
    const twin = newMessage({ roomId: 'twin-room', author: user, body: 'twin', clientMessageId: 'twin-0001' }, T0);
    // The twin lands between this send's lookup (no receipt yet) and its rate-limit check, as a concurrent request would.
    db().middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateItemCommand' && (args.input as { TableName?: string }).TableName === requiredEnv(RATE_LIMITS_TABLE.envVar)) {
          db().middlewareStack.remove(MIDDLEWARE);
          await claimReceipt(user.userId, 'twin-0001', twin, T0);
          await putMessage(twin);
        }
        return next(args);
      },
      { step: 'initialize', name: MIDDLEWARE, priority: 'high' },
    );
    const answer = await send(user, 'twin-room', 'twin', T0 + 1, 'twin-0001');
    expect(answer).toMatchObject({ replayed: true, message: { messageId: twin.messageId, body: 'twin' } });
    expect(await messagesIn('twin-room')).toEqual([expect.objectContaining({ messageId: twin.messageId })]);
    // Without an id there is no twin to answer with: refused.
    await expect(send(user, 'twin-room', 'no id', T0 + 2)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('passes on a storage failure while charging a replay’s re-broadcast (never treated as "no allowance left")', async () => {
    const user = author();
    await send(user, 'replay-fail', 'once', T0, 'replay-fail-01');
    const saved = process.env[RATE_LIMITS_TABLE.envVar];
    process.env[RATE_LIMITS_TABLE.envVar] = 'no-such-table';
    try {
      await expect(sendMessage({ roomId: 'replay-fail', author: user, body: 'once', clientMessageId: 'replay-fail-01' }, T0 + 1)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      process.env[RATE_LIMITS_TABLE.envVar] = saved;
    }
  });

  it('refuses a reply to a deleted message in words, storing nothing', async () => {
    const user = author();
    const quoted = await send(user, 'reply-deleted', 'soon gone', T0);
    await db().send(
      new UpdateCommand({ TableName: requiredEnv(MESSAGES_TABLE.envVar), Key: { roomId: 'reply-deleted', messageId: quoted.message.messageId }, UpdateExpression: 'SET deletedAt = :d REMOVE body', ExpressionAttributeValues: { ':d': new Date(T0).toISOString() } }),
    );
    const error = await refusal(sendMessage({ roomId: 'reply-deleted', author: user, body: 'replying', replyToMessageId: quoted.message.messageId }, T0 + 1));
    expect(error).toMatchObject({ code: ErrorCode.MessageDeleted, message: 'That message was deleted; it cannot be replied to' });
    expect(await messagesIn('reply-deleted')).toHaveLength(1);
  });

  it('records MessagesStored and the fan-out time for a new message only, RateLimitedSends for a refusal only', async () => {
    const docs: EmfDocument[] = [];
    tapMetrics((emf) => docs.push(emf));
    // What the earlier tests of this file recorded is theirs.
    flushMetrics();
    docs.length = 0;
    try {
      const user = author();
      await send(user, 'metrics-send', 'counted', T0, 'metrics-0001');
      flushMetrics();
      expect(docs.at(-1)).toMatchObject({ MessagesStored: 1 });
      expect(docs.at(-1)!.FanOutDuration).toBeGreaterThanOrEqual(0);
      expect(docs.at(-1)!.FanOutDuration).toBeLessThan(60_000);
      expect(docs.at(-1)).not.toHaveProperty('RateLimitedSends');
      docs.length = 0;
      await send(user, 'metrics-send', 'counted', T0 + 1, 'metrics-0001');
      flushMetrics();
      expect(docs.every((d) => !('MessagesStored' in d))).toBe(true);
      // 2 used: the send and the replay's re-broadcast.
      await sendMany(user, 'metrics-fill', LIMITS.sendRateLimit - 2, T0 + 2);
      flushMetrics();
      docs.length = 0;
      await expect(send(user, 'metrics-send', 'over', T0 + 3)).rejects.toBeInstanceOf(RateLimitedError);
      flushMetrics();
      expect(docs).toEqual([expect.objectContaining({ RateLimitedSends: 1 })]);
      expect(docs[0]).not.toHaveProperty('MessagesStored');
      // A storage failure of the limiter is not a rate-limited send.
      docs.length = 0;
      const saved = process.env[RATE_LIMITS_TABLE.envVar];
      process.env[RATE_LIMITS_TABLE.envVar] = 'no-such-table';
      try {
        await expect(sendMessage({ roomId: 'metrics-send', author: author('Other'), body: 'fails' }, T0 + 4)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      } finally {
        process.env[RATE_LIMITS_TABLE.envVar] = saved;
      }
      flushMetrics();
      expect(docs.filter((d) => 'RateLimitedSends' in d)).toEqual([]);
    } finally {
      tapMetrics(() => {}); // the fixture's no-op tap again
    }
  });

  it('a failed activity stamp is logged, and the send still succeeds', async () => {
    const user = author();
    await send(user, 'stamp-fails', 'first (joins)', T0);
    const warn = vi.spyOn(logger, 'warn');
    const saved = process.env[ROOMS_TABLE.envVar];
    process.env[ROOMS_TABLE.envVar] = 'no-such-table';
    try {
      const sent = await sendMessage({ roomId: 'stamp-fails', author: user, body: 'still sent' }, T0 + 120_000);
      expect(sent.replayed).toBe(false);
    } finally {
      process.env[ROOMS_TABLE.envVar] = saved;
    }
    expect(await messagesIn('stamp-fails')).toHaveLength(2);
    expect(warn).toHaveBeenCalledWith('activity stamp failed', { error: 'ResourceNotFoundException' });
  });
});
