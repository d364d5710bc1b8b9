/**
 * The outbox on its own, with timers fired by hand and a recording `transmit` (the socket boundary): every
 * state change, delay and counter exactly. lib/chat/outbox.test.ts covers it end to end through real sockets.
 */
import { describe, expect, it } from 'vitest';
import { ChatError } from '../chat-error';
import { ErrorCode, LIMITS, type ChatMessage, type ErrorFrame } from '../protocol';
import { Outbox, type OutboxOptions } from './outbox';

function harness(overrides: Partial<OutboxOptions> = {}) {
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let nextTimer = 0;
  let now = 1_000_000;
  let link: unknown = 'socket-1';
  const sent: Array<{ frame: { action: string; roomId: string; body: string; clientMessageId: string }; link: unknown }> = [];
  const outbox = new Outbox({
    timers: {
      setTimeout: (fn, ms) => (timers.set(++nextTimer, { fn, ms }), nextTimer),
      clearTimeout: (handle) => void timers.delete(handle as number),
    },
    now: () => now,
    random: () => 0.5,
    transmit: (frame) => {
      if (link !== undefined) sent.push({ frame: JSON.parse(frame), link });
      return link;
    },
    ackTimeoutMs: 10_000,
    maxFailures: 3,
    retryBackoff: { initialMs: 100, maxMs: 1_000 },
    ...overrides,
  });
  return {
    outbox,
    sent,
    delays: () => [...timers.values()].map((t) => t.ms),
    fireAll: () => {
      const due = [...timers.values()];
      timers.clear();
      for (const t of due) t.fn();
    },
    setLink: (value: unknown) => (link = value),
    advance: (ms: number) => (now += ms),
  };
}

const stored = (clientMessageId: string): ChatMessage => ({ roomId: 'r', messageId: `m-${clientMessageId}`, authorId: 'u', authorName: 'A', body: 'b', createdAt: '', clientMessageId });
const error = (clientMessageId: string | undefined, code: string, retryAfterMs?: number): ErrorFrame => ({ type: 'error', code, message: `said ${code}`, clientMessageId, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
const settled = async (promise: Promise<unknown>) => promise.then((v) => ({ ok: v }), (e: unknown) => ({ error: e }));

describe('Outbox (unit)', () => {
  it('sends at once with its clientMessageId, waits for the ack with a timeout, and resolves on it', async () => {
    const h = harness();
    const promise = h.outbox.add('general', 'hello', 'client-id-1');
    expect(h.sent).toEqual([{ frame: { action: 'sendMessage', roomId: 'general', body: 'hello', clientMessageId: 'client-id-1' }, link: 'socket-1' }]);
    expect(h.delays()).toEqual([10_000]);
    expect(h.outbox.size).toBe(1);
    expect(h.outbox.add('general', 'other text', 'client-id-1')).toBe(promise); // same id: the same send
    expect(h.outbox.acked('client-id-1', stored('client-id-1'))).toBe(true);
    await expect(promise).resolves.toEqual(stored('client-id-1'));
    expect(h.outbox.size).toBe(0);
    expect(h.delays()).toEqual([]); // the ack timer is gone
    expect(h.outbox.acked('client-id-1', stored('client-id-1'))).toBe(false);
    expect(h.outbox.acked(undefined, stored('x'))).toBe(false);
    expect(h.outbox.stats).toEqual({ transmissions: 1, resends: 0, rateLimited: 0, ackTimeouts: 0 });
  });

  it('generates a unique id when none is given', () => {
    const h = harness();
    void h.outbox.add('general', 'a');
    void h.outbox.add('general', 'b');
    const [a, b] = h.sent.map((s) => s.frame.clientMessageId);
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a).not.toBe(b);
  });

  it('queues while no socket is open, and flush sends only the queued ones, oldest first', () => {
    const h = harness();
    h.setLink(undefined);
    void h.outbox.add('general', 'one', 'id-one-1');
    void h.outbox.add('general', 'two', 'id-two-2');
    expect(h.sent).toEqual([]);
    expect(h.delays()).toEqual([]);
    h.setLink('socket-2');
    h.outbox.flush();
    h.outbox.flush(); // already sent: nothing goes out twice
    expect(h.sent.map((s) => [s.frame.body, s.link])).toEqual([['one', 'socket-2'], ['two', 'socket-2']]);
    expect(h.outbox.stats.transmissions).toBe(2);
  });

  it('NOT_CONNECTED puts it back in the queue; the next socket sends it again (a resend)', () => {
    const h = harness();
    void h.outbox.add('general', 'x', 'id-xxxx-1');
    expect(h.outbox.failed(error('id-xxxx-1', ErrorCode.NotConnected))).toBe(true);
    expect(h.delays()).toEqual([]);
    h.setLink('socket-2');
    h.outbox.flush();
    expect(h.sent.map((s) => s.link)).toEqual(['socket-1', 'socket-2']);
    expect(h.outbox.stats).toMatchObject({ transmissions: 2, resends: 1 });
  });

  it('RATE_LIMITED waits exactly retryAfterMs (or backs off without it), then sends the same id again', () => {
    const h = harness();
    void h.outbox.add('general', 'x', 'id-xxxx-1');
    h.outbox.failed(error('id-xxxx-1', ErrorCode.RateLimited, 1234));
    expect(h.delays()).toEqual([1234]);
    h.fireAll();
    expect(h.sent.map((s) => s.frame.clientMessageId)).toEqual(['id-xxxx-1', 'id-xxxx-1']);
    h.outbox.failed(error('id-xxxx-1', ErrorCode.RateLimited));
    expect(h.delays()).toEqual([50]); // attempt 0: 0.5 x 100 ms
    h.fireAll();
    h.outbox.failed(error('id-xxxx-1', ErrorCode.RateLimited));
    expect(h.delays()).toEqual([100]); // attempt 1: 0.5 x 200 ms
    expect(h.outbox.stats.rateLimited).toBe(3);
    expect(h.outbox.size).toBe(1); // rate limits never give up
  });

  it('INTERNAL is retried with backoff until maxFailures, then rejected with the server words', async () => {
    const h = harness();
    const promise = h.outbox.add('general', 'x', 'id-xxxx-1');
    h.outbox.failed(error('id-xxxx-1', ErrorCode.Internal));
    expect(h.delays()).toEqual([100]); // failures 1: 0.5 x 200 ms
    h.fireAll();
    h.outbox.failed(error('id-xxxx-1', ErrorCode.Internal));
    expect(h.delays()).toEqual([200]);
    h.fireAll();
    h.outbox.failed(error('id-xxxx-1', ErrorCode.Internal));
    const result = await settled(promise);
    expect(result).toEqual({ error: new ChatError(ErrorCode.Internal, 'said INTERNAL') });
    expect(h.sent).toHaveLength(3);
    expect(h.outbox.size).toBe(0);
  });

  it('a final code rejects at once with that code; an unknown code becomes INTERNAL; unknown ids are ignored', async () => {
    const h = harness();
    const final = h.outbox.add('general', 'x', 'id-final-1');
    const odd = h.outbox.add('general', 'y', 'id-odd-01');
    expect(h.outbox.failed(error('id-final-1', ErrorCode.BodyTooLong))).toBe(true);
    expect(h.outbox.failed(error('id-odd-01', 'SOMETHING_NEW'))).toBe(true);
    const finalError = (await settled(final)) as { error: ChatError };
    expect(finalError.error).toMatchObject({ code: ErrorCode.BodyTooLong, message: 'said BODY_TOO_LONG' });
    expect(((await settled(odd)) as { error: ChatError }).error.code).toBe(ErrorCode.Internal);
    expect(h.outbox.failed(error('id-unknown', ErrorCode.Internal))).toBe(false);
    expect(h.outbox.failed(error(undefined, ErrorCode.Internal))).toBe(false);
    expect(h.delays()).toEqual([]);
    expect(h.sent).toHaveLength(2);
  });

  it('an ack timeout re-sends on the same socket, then gives up after maxFailures', async () => {
    const h = harness();
    const promise = h.outbox.add('general', 'x', 'id-xxxx-1');
    h.fireAll();
    h.fireAll();
    expect(h.sent).toHaveLength(3);
    expect(h.outbox.stats).toMatchObject({ ackTimeouts: 2, resends: 2, transmissions: 3 });
    h.fireAll();
    const result = (await settled(promise)) as { error: ChatError };
    expect(result.error).toMatchObject({ code: ErrorCode.Internal, message: expect.stringContaining('has not confirmed') });
    expect(h.outbox.stats.ackTimeouts).toBe(3);
    expect(h.outbox.size).toBe(0);
  });

  it('a lost socket re-queues only what was sent on it and not acked', () => {
    const h = harness();
    void h.outbox.add('general', 'on one', 'id-on-one-1');
    h.setLink('socket-2');
    void h.outbox.add('general', 'on two', 'id-on-two-2');
    h.outbox.linkLost('socket-1');
    expect(h.delays()).toEqual([10_000]); // only the ack timer of the message on socket 2 is left
    h.fireAll(); // that timer: re-sent on socket 2
    h.outbox.flush(); // the re-queued one goes out on the current socket
    expect(h.sent.map((s) => [s.frame.body, s.link])).toEqual([
      ['on one', 'socket-1'],
      ['on two', 'socket-2'],
      ['on two', 'socket-2'],
      ['on one', 'socket-2'],
    ]);
  });

  it('gives up a message older than the server remembers its id (minus an hour), not one just inside', async () => {
    const h = harness();
    h.setLink(undefined);
    const old = h.outbox.add('general', 'old', 'id-old-001');
    h.advance(LIMITS.clientMessageIdRetentionMs - 60 * 60 * 1000);
    const young = h.outbox.add('general', 'young', 'id-young-01');
    h.setLink('socket-1');
    h.outbox.flush();
    expect(h.sent.map((s) => s.frame.body)).toEqual(['old', 'young']); // exactly at the limit: still sent
    h.advance(1);
    h.outbox.linkLost('socket-1');
    h.outbox.flush();
    const result = (await settled(old)) as { error: ChatError };
    expect(result.error).toMatchObject({ code: ErrorCode.Internal, message: expect.stringContaining('could not be confirmed in time') });
    expect(h.sent.map((s) => s.frame.body)).toEqual(['old', 'young', 'young']);
    expect(h.outbox.size).toBe(1);
    void young;
  });

  it('rejectAll settles every pending send with the error and stops their timers', async () => {
    const h = harness();
    const a = h.outbox.add('general', 'a', 'id-aaaa-1');
    const b = h.outbox.add('general', 'b', 'id-bbbb-2');
    const stop = new ChatError(ErrorCode.Unauthorized, 'signed out');
    h.outbox.rejectAll(stop);
    expect(await settled(a)).toEqual({ error: stop });
    expect(await settled(b)).toEqual({ error: stop });
    expect(h.delays()).toEqual([]);
    expect(h.outbox.size).toBe(0);
  });

  it('a reply carries its replyToMessageId; counts and rejections are per room', async () => {
    const h = harness();
    const a1 = h.outbox.add('room-a', 'one', 'a1', 'parent-1');
    const a2 = h.outbox.add('room-a', 'two', 'a2');
    const b1 = h.outbox.add('room-b', 'three', 'b1');
    expect(h.sent[0]!.frame).toEqual({ action: 'sendMessage', roomId: 'room-a', body: 'one', clientMessageId: 'a1', replyToMessageId: 'parent-1' });
    expect(h.sent[1]!.frame).not.toHaveProperty('replyToMessageId');
    expect([h.outbox.sizeFor('room-a'), h.outbox.sizeFor('room-b'), h.outbox.sizeFor('room-c')]).toEqual([2, 1, 0]);
    const gone = new ChatError(ErrorCode.NotFound, 'gone');
    h.outbox.rejectRoom('room-a', gone);
    expect(await settled(a1)).toEqual({ error: gone });
    expect(await settled(a2)).toEqual({ error: gone });
    expect([h.outbox.sizeFor('room-a'), h.outbox.sizeFor('room-b'), h.outbox.size]).toEqual([0, 1, 1]);
    expect(h.delays()).toEqual([10_000]); // only room-b's ack timer is left
    h.outbox.acked('b1', stored('b1'));
    expect(await settled(b1)).toEqual({ ok: stored('b1') });
  });

  it('a send waiting out RATE_LIMITED keeps its wait when its old socket closes (it is not re-sent early)', () => {
    const h = harness();
    void h.outbox.add('general', 'hello', 'c1');
    h.outbox.failed(error('c1', ErrorCode.RateLimited, 700));
    expect(h.delays()).toEqual([700]);
    h.outbox.linkLost('socket-1');
    h.setLink('socket-2');
    h.outbox.flush();
    expect(h.sent).toHaveLength(1);
    expect(h.delays()).toEqual([700]);
    h.fireAll();
    expect(h.sent.map((s) => s.link)).toEqual(['socket-1', 'socket-2']);
  });
});
