/**
 * Property test of the frame parser on its own (fast, no I/O): for any hostile frame it agrees with the
 * protocol model, and it never fails with anything but a typed ChatError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyBody, hostileFrame, hugeFrame } from '../amplify/security/frame-arbitraries';
import { fuzzOptions } from '../amplify/security/fuzz-options';
import { expectedFrame, judgeBody, type BodyVerdict } from '../amplify/security/frame-model';
import { ChatError, parseBody, parseClientFrame } from './chat-error';
import { Action, ErrorCode, LIMITS } from './protocol';

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

/** What parseBody made of `body`, in the model's terms. */
function parsedBody(body: unknown): BodyVerdict {
  try {
    return { ok: true, stored: parseBody(body) };
  } catch (error) {
    if (!(error instanceof ChatError)) throw error;
    return { ok: false, code: error.code };
  }
}

describe('parseBody against the protocol model', () => {
  it('agrees with the model on 10,000+ bodies: every valid one stored exactly (0 refused), every invalid one refused with its code', () => {
    const seen = { valid: 0, refusedValid: 0, [ErrorCode.BadFrame]: 0, [ErrorCode.EmptyBody]: 0, [ErrorCode.BodyTooLong]: 0 } as Record<string, number>;
    const disagreements: Array<{ body: string; model: BodyVerdict; parser: BodyVerdict }> = [];
    fc.assert(
      fc.property(anyBody, (body) => {
        const model = judgeBody(body);
        const parser = parsedBody(body);
        if (model.ok) {
          seen.valid!++;
          if (!parser.ok) seen.refusedValid!++;
        } else seen[model.code] = (seen[model.code] ?? 0) + 1;
        if (JSON.stringify(parser) !== JSON.stringify(model) && disagreements.length < 5) disagreements.push({ body, model, parser });
      }),
      fuzzOptions(10_000),
    );
    console.log(`[fuzz] parseBody vs model: ${JSON.stringify(seen)}`);
    expect(disagreements).toEqual([]);
    expect(seen.refusedValid).toBe(0);
    // The mix exercises every rule (so agreement is not agreement on one easy case).
    expect(seen.valid).toBeGreaterThan(3_000);
    for (const code of [ErrorCode.BadFrame, ErrorCode.EmptyBody, ErrorCode.BodyTooLong]) expect(seen[code]).toBeGreaterThan(100);
  });

  it('the model itself states the rules (positive and negative controls written by hand)', () => {
    expect(judgeBody('  <b>hi</b>\u2028 ')).toEqual({ ok: true, stored: '<b>hi</b>' });
    expect(judgeBody('a\u2028b')).toEqual({ ok: true, stored: 'a\u2028b' });
    expect(judgeBody('\u200B\u00AD \uFEFF')).toEqual({ ok: false, code: ErrorCode.EmptyBody });
    expect(judgeBody('hi \uD800')).toEqual({ ok: false, code: ErrorCode.BadFrame });
    expect(judgeBody('😀'.repeat(LIMITS.bodyMaxChars))).toEqual({ ok: true, stored: '😀'.repeat(LIMITS.bodyMaxChars) });
    expect(judgeBody('x'.repeat(LIMITS.bodyMaxChars + 1))).toEqual({ ok: false, code: ErrorCode.BodyTooLong });
    expect(judgeBody(42)).toEqual({ ok: false, code: ErrorCode.BadFrame });
  });
});

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
