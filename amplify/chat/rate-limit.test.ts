/**
 * The four per-user allowances against real dynalite, with an injected clock: exactly `limit` uses per window are
 * admitted and the next is refused with RATE_LIMITED, the exact wait and words that say it; a refusal counts
 * nothing; the next window starts afresh; users and allowances never share a count; the row's key and expiry are
 * the table design's; errors other than a full window are not dressed up as RATE_LIMITED.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatError } from '../../lib/chat-error';
import { ErrorCode } from '../../lib/protocol';
import { consumeCreateAllowance, consumeEditAllowance, consumeReactionAllowance, consumeSendAllowance, RateLimitedError, sendWindow } from './rate-limit';
import { RATE_LIMITS_TABLE } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/**
 * The oracle, stated here on its own (not read from the code under test): each allowance's limit, window, row-key
 * infix and the refusal's words for a wait of `n` units.
 */
const ALLOWANCES = [
  {
    name: 'send',
    consume: consumeSendAllowance,
    limit: 20,
    windowMs: 10_000,
    infix: '',
    words: (s: number) => `You are sending faster than 20 messages per 10 seconds; wait ${s} second${s === 1 ? '' : 's'} and send again`,
    unitMs: 1000,
  },
  {
    name: 'room creation',
    consume: consumeCreateAllowance,
    limit: 10,
    windowMs: 3_600_000,
    infix: 'create#',
    words: (m: number) => `You can create 10 rooms per hour; try again in ${m} minute${m === 1 ? '' : 's'}`,
    unitMs: 60_000,
  },
  {
    name: 'edit',
    consume: consumeEditAllowance,
    limit: 30,
    windowMs: 60_000,
    infix: 'edit#',
    words: (s: number) => `You can make 30 edits and deletes per 60 seconds; wait ${s} second${s === 1 ? '' : 's'} and try again`,
    unitMs: 1000,
  },
  {
    name: 'reaction',
    consume: consumeReactionAllowance,
    limit: 60,
    windowMs: 60_000,
    infix: 'react#',
    words: (s: number) => `You can make 60 reactions per 60 seconds; wait ${s} second${s === 1 ? '' : 's'} and try again`,
    unitMs: 1000,
  },
] as const;

/** The refusal `promise` rejected with (fails the test if it resolved). */
async function refusal(promise: Promise<void>): Promise<ChatError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChatError);
  return error as ChatError;
}

const rowOf = async (key: string) => (await stack.scan(RATE_LIMITS_TABLE.envVar)).find((item) => item[RATE_LIMITS_TABLE.partitionKey.name] === key);

describe.each(ALLOWANCES)('$name allowance', (a) => {
  /** A window start far from any other test's, aligned to this allowance's window. */
  const start = Math.floor(Date.UTC(2031, 0, 1) / a.windowMs) * a.windowMs;

  it('admits exactly `limit` uses in a window, then refuses with RATE_LIMITED and the rest of the window to wait', async () => {
    const userId = testUser(a.name).sub;
    const now = start + 2_500;
    for (let i = 0; i < a.limit; i++) await a.consume(userId, now);
    const error = await refusal(a.consume(userId, now));
    expect(error.code).toBe(ErrorCode.RateLimited);
    expect(error.retryAfterMs).toBe(a.windowMs - 2_500);
    expect(error.message).toBe(a.words(Math.ceil((a.windowMs - 2_500) / a.unitMs)));
    if (a.name === 'send') expect(error).toBeInstanceOf(RateLimitedError);
    else expect(error).not.toBeInstanceOf(RateLimitedError);
    // One row for the window, keyed by user and window start, counting the admitted uses only (the refusal did
    // not count), kept one window past its end (seconds, for DynamoDB's TTL).
    expect(await rowOf(`${userId}#${a.infix}${start}`)).toEqual({
      [RATE_LIMITS_TABLE.partitionKey.name]: `${userId}#${a.infix}${start}`,
      sent: a.limit,
      expiresAt: Math.floor((start + 2 * a.windowMs) / 1000),
    });
    // Refused again: still nothing counted.
    await refusal(a.consume(userId, now + 1));
    expect((await rowOf(`${userId}#${a.infix}${start}`))?.sent).toBe(a.limit);
  });

  it('says "1" and the singular for the last moment of a window, and rounds a part of a unit up', async () => {
    const userId = testUser(a.name).sub;
    for (let i = 0; i < a.limit; i++) await a.consume(userId, start);
    const last = await refusal(a.consume(userId, start + a.windowMs - 1));
    expect(last.retryAfterMs).toBe(1);
    expect(last.message).toBe(a.words(1));
    const oneAndABit = await refusal(a.consume(userId, start + a.windowMs - a.unitMs - 1));
    expect(oneAndABit.retryAfterMs).toBe(a.unitMs + 1);
    expect(oneAndABit.message).toBe(a.words(2));
    const exact = await refusal(a.consume(userId, start + a.windowMs - 3 * a.unitMs));
    expect(exact.message).toBe(a.words(3));
  });

  it('starts afresh in the next window, and never counts one user against another', async () => {
    const [userId, other] = [testUser(a.name).sub, testUser(a.name).sub];
    for (let i = 0; i < a.limit; i++) await a.consume(userId, start + a.windowMs - 1);
    await refusal(a.consume(userId, start + a.windowMs - 1));
    await a.consume(other, start + a.windowMs - 1);
    await a.consume(userId, start + a.windowMs);
    expect((await rowOf(`${userId}#${a.infix}${start + a.windowMs}`))?.sent).toBe(1);
    expect((await rowOf(`${other}#${a.infix}${start}`))?.sent).toBe(1);
  });
});

describe('allowances are separate', () => {
  it('a full send window leaves edits, reactions and room creations of the same user untouched', async () => {
    const userId = testUser('Busy').sub;
    const now = Date.UTC(2032, 0, 1);
    for (let i = 0; i < 20; i++) await consumeSendAllowance(userId, now);
    await refusal(consumeSendAllowance(userId, now));
    await consumeEditAllowance(userId, now);
    await consumeReactionAllowance(userId, now);
    await consumeCreateAllowance(userId, now);
  });

  it('passes on a storage failure as it is, never as RATE_LIMITED', async () => {
    const saved = process.env[RATE_LIMITS_TABLE.envVar];
    process.env[RATE_LIMITS_TABLE.envVar] = 'no-such-table';
    try {
      for (const a of ALLOWANCES) {
        const error = await a.consume(testUser().sub).then(() => undefined, (e: unknown) => e);
        expect(error).toMatchObject({ name: 'ResourceNotFoundException' });
        expect(error).not.toBeInstanceOf(ChatError);
      }
    } finally {
      process.env[RATE_LIMITS_TABLE.envVar] = saved;
    }
  });

  it('sendWindow is the 10 s window a time falls in', () => {
    expect(sendWindow(Date.UTC(2030, 0, 1, 0, 0, 7, 250))).toEqual({ start: Date.UTC(2030, 0, 1, 0, 0, 0), end: Date.UTC(2030, 0, 1, 0, 0, 10) });
    expect(sendWindow(Date.UTC(2030, 0, 1, 0, 0, 10))).toEqual({ start: Date.UTC(2030, 0, 1, 0, 0, 10), end: Date.UTC(2030, 0, 1, 0, 0, 20) });
  });
});
