/**
 * Property test of the frame parser on its own (fast, no I/O): for any hostile frame it agrees with the
 * protocol model, and it never fails with anything but a typed ChatError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileFrame, hugeFrame } from '../amplify/security/frame-arbitraries';
import { fuzzOptions } from '../amplify/security/fuzz-options';
import { expectedFrame } from '../amplify/security/frame-model';
import { ChatError, parseClientFrame } from './chat-error';
import { Action, ErrorCode } from './protocol';

/** What the parser made of `raw`, in the model's terms. */
function parsed(raw: string): string {
  try {
    const frame = parseClientFrame(raw);
    return frame.action === Action.Ping ? 'pong' : frame.action === Action.SendMessage ? 'send' : 'other-action';
  } catch (error) {
    // Anything but a ChatError would reach the client as INTERNAL: a crash on client input.
    if (!(error instanceof ChatError)) throw error;
    return error.code === ErrorCode.FrameTooLarge ? 'too-large' : 'error';
  }
}

describe('parseClientFrame under fuzz', () => {
  it('agrees with the protocol model on every hostile frame and only ever throws ChatError', () => {
    let runs = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 30, arbitrary: hostileFrame }, { weight: 1, arbitrary: hugeFrame }), (raw) => {
        runs++;
        expect(parsed(raw)).toBe(expectedFrame(raw));
      }),
      fuzzOptions(3_000),
    );
    console.log(`[fuzz] parseClientFrame: ${runs} frames`);
  });

  it.each(['[]', '{}'])('answers an action nested 60,000 deep (%s) with UNKNOWN_ACTION, not a stack overflow', (pair) => {
    const depth = 60_000;
    const nested = pair === '[]' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    expect(() => parseClientFrame(`{"action":${nested}}`)).toThrow(expect.objectContaining({ code: ErrorCode.UnknownAction }));
  });
});
