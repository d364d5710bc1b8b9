/**
 * The change-request queue on its own, with hand-driven timers and a transmit that records what went out on which
 * socket (the chat session's socket tests cover it end to end; these pin every branch of the queue).
 */
import { describe, expect, it } from 'vitest';
import { ChatError } from '../chat-error';
import { ErrorCode, type ChatMessage, type ErrorFrame } from '../protocol';
import { Requests } from './requests';

const message: ChatMessage = { roomId: 'general', messageId: '01HZZZZZZZZZZZZZZZZZZZZZZZ', authorId: 'u', authorName: 'Ada', body: 'hi', createdAt: '2024-01-01T00:00:00.000Z' };

/** A queue whose timers fire only when the test says so, over a socket the test can swap or take away. */
function setup(timeoutMs = 5_000) {
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let nextTimer = 1;
  let socket: string | undefined = 'socket-1';
  const sent: { socket: string; frame: Record<string, unknown> }[] = [];
  const requests = new Requests({
    timeoutMs,
    timers: {
      setTimeout: (fn, ms) => (timers.set(nextTimer, { fn, ms }), nextTimer++),
      clearTimeout: (handle) => timers.delete(handle as number),
    },
    transmit: (frame) => {
      if (socket) sent.push({ socket, frame: JSON.parse(frame) as Record<string, unknown> });
      return socket;
    },
  });
  const settled = (promise: Promise<unknown>) => {
    const state = { value: undefined as unknown, error: undefined as unknown, done: false };
    promise.then((v) => Object.assign(state, { value: v, done: true }), (e: unknown) => Object.assign(state, { error: e, done: true }));
    return state;
  };
  const tick = () => new Promise((r) => setTimeout(r, 0));
  return { requests, timers, sent, settled, tick, setSocket: (s: string | undefined) => (socket = s) };
}

const errorFrame = (requestId: string, code: string, extra: Partial<ErrorFrame> = {}) =>
  ({ type: 'error', code, message: 'Nope', requestId, ...extra }) as ErrorFrame;

describe('Requests', () => {
  it('sends the frame with a requestId and resolves with the changed message; only that id settles it', async () => {
    const { requests, sent, settled, tick, timers } = setup();
    const p = settled(requests.add('general', { action: 'editMessage', body: 'x' }));
    expect(requests.size).toBe(1);
    expect(sent).toHaveLength(1);
    const { requestId, ...rest } = sent[0]!.frame;
    expect(rest).toEqual({ action: 'editMessage', body: 'x' });
    expect(typeof requestId).toBe('string');
    expect(requests.done('other', message)).toBe(false);
    expect(requests.done(undefined, message)).toBe(false);
    expect(requests.size).toBe(1);
    expect(requests.done(requestId as string, message)).toBe(true);
    await tick();
    expect(p).toMatchObject({ done: true, value: message });
    expect(requests.size).toBe(0);
    expect(timers.size).toBe(0); // the give-up timer is cleared
    expect(requests.done(requestId as string, message)).toBe(false); // settled once
  });

  it('gives up after timeoutMs with INTERNAL and words that say what to do', async () => {
    const { requests, timers, settled, tick } = setup(1234);
    const p = settled(requests.add('general', { action: 'deleteMessage' }));
    expect([...timers.values()].map((t) => t.ms)).toEqual([1234]);
    [...timers.values()][0]!.fn();
    await tick();
    expect(p.error).toBeInstanceOf(ChatError);
    expect(p.error).toMatchObject({ code: ErrorCode.Internal, message: 'The server did not confirm this change in time; check the message and try again' });
    expect(requests.size).toBe(0);
  });

  it('without a socket it waits; flush sends it on the next one, and only what has not gone out', () => {
    const { requests, sent, setSocket } = setup();
    setSocket(undefined);
    void requests.add('general', { action: 'a' });
    expect(sent).toHaveLength(0);
    setSocket('socket-2');
    requests.flush();
    expect(sent.map((s) => s.socket)).toEqual(['socket-2']);
    requests.flush(); // already out on socket-2: not sent twice
    expect(sent).toHaveLength(1);
  });

  it('a lost socket re-sends only what went out on it', () => {
    const { requests, sent, setSocket } = setup();
    void requests.add('general', { action: 'a' });
    setSocket('socket-2');
    void requests.add('general', { action: 'b' });
    requests.linkLost('socket-1');
    setSocket('socket-3');
    requests.flush();
    expect(sent.map((s) => `${s.frame.action}@${s.socket}`)).toEqual(['a@socket-1', 'b@socket-2', 'a@socket-3']);
  });

  it('NOT_CONNECTED waits for the next socket; any other code rejects with that code, the ref and retryAfterMs', async () => {
    const { requests, sent, settled, tick } = setup();
    const p = settled(requests.add('general', { action: 'a' }));
    const id = sent[0]!.frame.requestId as string;
    expect(requests.failed(errorFrame('other', ErrorCode.RateLimited))).toBe(false);
    expect(requests.failed(errorFrame(id, ErrorCode.NotConnected))).toBe(true);
    await tick();
    expect(p.done).toBe(false);
    requests.flush();
    expect(sent).toHaveLength(2); // sent again
    expect(requests.failed(errorFrame(id, ErrorCode.RateLimited, { ref: 'r1', retryAfterMs: 700 }))).toBe(true);
    await tick();
    expect(p.error).toMatchObject({ code: ErrorCode.RateLimited, message: 'Nope (ref r1)', retryAfterMs: 700 });
    expect(requests.size).toBe(0);
  });

  it('an unknown error code becomes INTERNAL', async () => {
    const { requests, sent, settled, tick } = setup();
    const p = settled(requests.add('general', { action: 'a' }));
    requests.failed(errorFrame(sent[0]!.frame.requestId as string, 'MADE_UP'));
    await tick();
    expect(p.error).toMatchObject({ code: ErrorCode.Internal, message: 'Nope' });
  });

  it('rejectAll rejects one room only, or every room', async () => {
    const { requests, settled, tick, timers } = setup();
    const a = settled(requests.add('room-a', { action: 'a' }));
    const b = settled(requests.add('room-b', { action: 'b' }));
    const error = new ChatError(ErrorCode.NotFound, 'gone');
    requests.rejectAll(error, 'room-a');
    await tick();
    expect([a.error, b.done]).toEqual([error, false]);
    expect(requests.size).toBe(1);
    requests.rejectAll(error);
    await tick();
    expect(b.error).toBe(error);
    expect([requests.size, timers.size]).toEqual([0, 0]);
  });
});
