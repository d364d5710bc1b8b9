/**
 * Outgoing on its own, over a SendingClient whose sends the test settles by hand (outgoing.test.ts runs it over
 * the real ChatClient and a `ws` server): replies, which items Retry and Discard may touch, and the words shown.
 */
import { describe, expect, it } from 'vitest';
import { ChatError } from '../chat-error';
import { ErrorCode, type ChatMessage } from '../protocol';
import { describeError, Outgoing } from './outgoing';

function harness() {
  const sends: { body: string; id?: string; replyTo?: string; resolve(m: ChatMessage): void; reject(e: unknown): void }[] = [];
  let changes = 0;
  const outgoing = new Outgoing(
    { send: (body, id, replyTo) => new Promise<ChatMessage>((resolve, reject) => sends.push({ body, id, replyTo, resolve, reject })) },
    () => changes++,
  );
  const tick = () => new Promise((r) => setTimeout(r, 0));
  return { outgoing, sends, tick, changes: () => changes };
}

describe('Outgoing (unit)', () => {
  it('a reply keeps its replyToMessageId when sent and when retried; a plain message has none', async () => {
    const h = harness();
    const id = h.outgoing.send('re', 'parent-1');
    h.outgoing.send('plain');
    expect(h.outgoing.list()).toEqual([{ clientMessageId: id, body: 're', replyToMessageId: 'parent-1' }, expect.objectContaining({ body: 'plain' })]);
    expect(h.outgoing.list()[1]).not.toHaveProperty('replyToMessageId');
    expect(h.sends.map((s) => [s.body, s.replyTo])).toEqual([['re', 'parent-1'], ['plain', undefined]]);
    h.sends[0]!.reject(new ChatError(ErrorCode.Internal, 'Try later'));
    await h.tick();
    h.outgoing.retry(id);
    expect(h.sends[2]).toMatchObject({ body: 're', id, replyTo: 'parent-1' });
    expect(h.outgoing.list()[0]).toEqual({ clientMessageId: id, body: 're', replyToMessageId: 'parent-1' });
  });

  it('Retry and Discard touch only failed messages; unknown ids are ignored', async () => {
    const h = harness();
    const pending = h.outgoing.send('on its way');
    h.outgoing.retry(pending);
    h.outgoing.discard(pending);
    expect(h.sends).toHaveLength(1); // not sent twice
    expect(h.outgoing.list().map((m) => m.clientMessageId)).toEqual([pending]); // not forgotten
    const before = h.changes();
    expect(() => (h.outgoing.retry('nope'), h.outgoing.discard('nope'))).not.toThrow();
    expect(h.changes()).toBe(before);
    h.sends[0]!.resolve({} as ChatMessage);
    await h.tick();
    expect(h.outgoing.list()).toEqual([]);
  });

  it('shows a ChatError in its own words, anything else in generic words', async () => {
    expect(describeError(new ChatError(ErrorCode.BodyTooLong, 'Too long'))).toBe('Too long');
    expect(describeError(new Error('socket hang up: secret detail'))).toBe('Something went wrong; try again');
    const h = harness();
    h.outgoing.send('x');
    h.sends[0]!.reject(new TypeError('boom'));
    await h.tick();
    expect(h.outgoing.list()[0]!.error).toBe('Something went wrong; try again');
  });
});
