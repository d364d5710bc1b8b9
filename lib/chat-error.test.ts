import { describe, expect, it } from 'vitest';
import { ChatError, parseBody, parseClientFrame, parseRoomId, toErrorFrame, toHttpError, utf8Bytes } from './chat-error';
import { ErrorCode, LIMITS, errorFrameSchema, historyQuerySchema } from './protocol';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof ChatError ? error.code : 'NOT_A_CHAT_ERROR';
  }
  return undefined;
}

describe('parseClientFrame', () => {
  it('accepts a sendMessage frame (naming its room) and a ping', () => {
    expect(parseClientFrame('{"action":"sendMessage","roomId":"general","body":"hi","clientMessageId":"abcdef12"}')).toEqual({
      action: 'sendMessage',
      roomId: 'general',
      body: 'hi',
      clientMessageId: 'abcdef12',
    });
    expect(parseClientFrame('{"action":"ping"}')).toEqual({ action: 'ping' });
  });

  it('accepts the room frames: subscribe, unsubscribe, markRead, typing, presence', () => {
    expect(parseClientFrame('{"action":"subscribe","roomIds":["general","p_01hzzzzzzzzzzzzzzzzzzzzzzz"]}')).toEqual({
      action: 'subscribe',
      roomIds: ['general', 'p_01hzzzzzzzzzzzzzzzzzzzzzzz'],
    });
    expect(parseClientFrame('{"action":"unsubscribe","roomIds":["general"]}')).toEqual({ action: 'unsubscribe', roomIds: ['general'] });
    expect(parseClientFrame('{"action":"markRead","roomId":"general","messageId":"01ARZ3NDEKTSV4RRFFQ69G5FAV"}')).toEqual({
      action: 'markRead',
      roomId: 'general',
      messageId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
    });
    expect(parseClientFrame('{"action":"typing","roomId":"general"}')).toEqual({ action: 'typing', roomId: 'general' });
    expect(parseClientFrame('{"action":"presence","roomId":"general","cursor":"c1"}')).toEqual({ action: 'presence', roomId: 'general', cursor: 'c1' });
  });

  it.each([
    ['a send without a room', '{"action":"sendMessage","body":"hi"}'],
    ['an empty subscribe', '{"action":"subscribe","roomIds":[]}'],
    ['a subscribe over the room cap', JSON.stringify({ action: 'subscribe', roomIds: Array.from({ length: LIMITS.subscribeMaxRooms + 1 }, (_, i) => `r${i}`) })],
    ['a markRead without a message id', '{"action":"markRead","roomId":"general","messageId":"nope"}'],
    ['a presence request without a room', '{"action":"presence"}'],
    ['a typing frame with a numeric room', '{"action":"typing","roomId":7}'],
  ])('refuses %s with BAD_FRAME', (_name, raw) => {
    expect(() => parseClientFrame(raw)).toThrow(expect.objectContaining({ code: ErrorCode.BadFrame }));
  });

  it.each([
    ['not json', ErrorCode.BadJson],
    ['', ErrorCode.BadJson],
    ['[1,2]', ErrorCode.BadFrame],
    ['null', ErrorCode.BadFrame],
    ['"text"', ErrorCode.BadFrame],
    ['{"body":"no action"}', ErrorCode.UnknownAction],
    ['{"action":"deleteEverything"}', ErrorCode.UnknownAction],
    ['{"action":42}', ErrorCode.UnknownAction],
    ['{"action":"sendMessage"}', ErrorCode.BadFrame],
    ['{"action":"sendMessage","body":7}', ErrorCode.BadFrame],
    ['{"action":"sendMessage","body":"x","clientMessageId":"bad id!"}', ErrorCode.BadFrame],
  ])('rejects %j with %s', (raw, code) => {
    expect(codeOf(() => parseClientFrame(raw))).toBe(code);
  });

  it('rejects frames over the size limit before parsing them', () => {
    const huge = JSON.stringify({ action: 'sendMessage', body: 'x'.repeat(LIMITS.frameMaxBytes) });
    expect(codeOf(() => parseClientFrame(huge))).toBe(ErrorCode.FrameTooLarge);
  });

  it('counts frame size in UTF-8 bytes, not characters', () => {
    expect(utf8Bytes('é')).toBe(2);
    expect(utf8Bytes('🙂')).toBe(4);
  });
});

describe('parseBody', () => {
  it('trims and keeps the text', () => {
    expect(parseBody('  hello \n')).toBe('hello');
  });
  it('refuses empty and whitespace-only bodies', () => {
    expect(codeOf(() => parseBody('   \n\t'))).toBe(ErrorCode.EmptyBody);
  });
  it('counts code points: the limit in emoji is accepted, one more is not', () => {
    expect(parseBody('🙂'.repeat(LIMITS.bodyMaxChars))).toHaveLength(LIMITS.bodyMaxChars * 2);
    expect(codeOf(() => parseBody('🙂'.repeat(LIMITS.bodyMaxChars + 1)))).toBe(ErrorCode.BodyTooLong);
  });
  it('refuses bodies that only look empty: zero-width and other invisible characters', () => {
    expect(codeOf(() => parseBody('\u200B\u200D\uFEFF'))).toBe(ErrorCode.EmptyBody);
    expect(parseBody('a\u200Bb')).toBe('a\u200Bb');
  });
  it('refuses lone UTF-16 surrogates, which are JSON but not text', () => {
    expect(codeOf(() => parseBody('hi \ud800'))).toBe(ErrorCode.BadFrame);
    expect(parseBody('hi \ud83d\ude42')).toBe('hi 🙂');
  });
  it('refuses non-text bodies', () => {
    expect(codeOf(() => parseBody({ html: '<b>' }))).toBe(ErrorCode.BadFrame);
  });
});

describe('parseRoomId', () => {
  it.each(['general', 'a', 'team-42', 'x'.repeat(40)])('accepts %s', (room) => expect(parseRoomId(room)).toBe(room));
  it.each(['', 'General', '-a', 'a-', 'a b', 'x'.repeat(41), '../etc', 7])('refuses %j', (room) => {
    expect(codeOf(() => parseRoomId(room))).toBe(ErrorCode.BadRoom);
  });
});

describe('error conversion', () => {
  it('keeps typed errors and hides unexpected ones', () => {
    const typed = toErrorFrame(new ChatError(ErrorCode.BodyTooLong, 'too long'), 'abcdefgh');
    expect(errorFrameSchema.parse(typed)).toEqual({ type: 'error', code: 'BODY_TOO_LONG', message: 'too long', clientMessageId: 'abcdefgh' });
    const hidden = toErrorFrame(new Error('secret table name'));
    expect(hidden.code).toBe(ErrorCode.Internal);
    expect(hidden.message).not.toContain('secret');
  });
  it('maps codes to HTTP statuses', () => {
    expect(toHttpError(new ChatError(ErrorCode.Unauthorized, 'x')).status).toBe(401);
    expect(toHttpError(new ChatError(ErrorCode.NotFound, 'x')).status).toBe(404);
    expect(toHttpError(new TypeError('boom'))).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL', message: expect.any(String) } },
    });
  });
});

describe('historyQuerySchema', () => {
  it('defaults and bounds the page size', () => {
    expect(historyQuerySchema.parse({})).toEqual({ limit: LIMITS.historyDefaultLimit });
    expect(historyQuerySchema.parse({ limit: '5' }).limit).toBe(5);
    expect(historyQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
    expect(historyQuerySchema.safeParse({ limit: String(LIMITS.historyMaxLimit + 1) }).success).toBe(false);
    expect(historyQuerySchema.safeParse({ limit: 'ten' }).success).toBe(false);
  });
  it('accepts only message ids as cursors', () => {
    expect(historyQuerySchema.safeParse({ before: '01HZY3Q4W5E6R7T8Y9U0I1O2P3' }).success).toBe(false);
    expect(historyQuerySchema.safeParse({ before: '01HZY3Q4W5E6R7T8Y9V0A1B2C3' }).success).toBe(true);
  });
});

/** The thrown ChatError itself (code and the words the user reads). */
function errorOf(fn: () => unknown): ChatError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ChatError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

/** Every action the protocol knows, in the order the refusal lists them (written out: the list is part of the words). */
const ACTIONS = 'sendMessage, ping, presence, subscribe, unsubscribe, markRead, typing, editMessage, deleteMessage, react';

describe('the words of each refusal', () => {
  it.each([
    ['{"action":"deleteEverything"}', `Unknown action "deleteEverything"; use one of: ${ACTIONS}`],
    [`{"action":"${'x'.repeat(100)}"}`, `Unknown action "${'x'.repeat(60)}"; use one of: ${ACTIONS}`],
    ['{"body":"hi"}', `Unknown action (none); use one of: ${ACTIONS}`],
    ['{"action":[1]}', `Unknown action of type array; use one of: ${ACTIONS}`],
    ['{"action":null}', `Unknown action of type null; use one of: ${ACTIONS}`],
    ['{"action":7}', `Unknown action of type number; use one of: ${ACTIONS}`],
    ['{"action":{}}', `Unknown action of type object; use one of: ${ACTIONS}`],
  ])('%s → UNKNOWN_ACTION: %s', (raw, message) => {
    expect(errorOf(() => parseClientFrame(raw))).toMatchObject({ code: ErrorCode.UnknownAction, message });
  });

  it('names the bad field of a known action, or the action when the frame itself is wrong', () => {
    expect(errorOf(() => parseClientFrame('{"action":"sendMessage","roomId":"general","body":7}')).message).toMatch(/^Invalid "body": /);
    expect(errorOf(() => parseClientFrame('{"action":"sendMessage","roomId":"general","body":"x","clientMessageId":"no"}')).message).toMatch(/^Invalid "clientMessageId": /);
  });

  it('says what to send for broken JSON and non-objects, and how big a frame may be', () => {
    expect(errorOf(() => parseClientFrame('{'))).toMatchObject({ code: ErrorCode.BadJson, message: expect.stringContaining('{"action":"sendMessage","body":"hi"}') });
    expect(errorOf(() => parseClientFrame(undefined))).toMatchObject({ code: ErrorCode.BadJson });
    expect(errorOf(() => parseClientFrame('[]'))).toMatchObject({ code: ErrorCode.BadFrame, message: 'Frames must be JSON objects with an "action"' });
    const huge = JSON.stringify({ action: 'ping', pad: 'x'.repeat(LIMITS.frameMaxBytes) });
    expect(errorOf(() => parseClientFrame(huge))).toMatchObject({ code: ErrorCode.FrameTooLarge, message: `Frames are limited to ${LIMITS.frameMaxBytes} bytes` });
  });

  it('measures frames in bytes exactly at the limit (multi-byte text just under it passes the size check)', () => {
    const overhead = '{"action":"ping","pad":""}'.length;
    const fits = JSON.stringify({ action: 'ping', pad: 'x'.repeat(LIMITS.frameMaxBytes - overhead) });
    expect(utf8Bytes(fits)).toBe(LIMITS.frameMaxBytes);
    expect(parseClientFrame(fits)).toEqual({ action: 'ping' });
    const over = JSON.stringify({ action: 'ping', pad: 'x'.repeat(LIMITS.frameMaxBytes - overhead + 1) });
    expect(errorOf(() => parseClientFrame(over)).code).toBe(ErrorCode.FrameTooLarge);
    const euros = JSON.stringify({ action: 'ping', pad: '€'.repeat(Math.floor((LIMITS.frameMaxBytes - overhead) / 3)) });
    expect(parseClientFrame(euros)).toEqual({ action: 'ping' });
  });

  it('body refusals say what to do', () => {
    expect(errorOf(() => parseBody(7))).toMatchObject({ code: ErrorCode.BadFrame, message: 'The message body must be text' });
    expect(errorOf(() => parseBody(' '))).toMatchObject({ code: ErrorCode.EmptyBody, message: 'Type something before sending' });
    expect(errorOf(() => parseBody('x'.repeat(LIMITS.bodyMaxChars + 1)))).toMatchObject({ message: `Messages are limited to ${LIMITS.bodyMaxChars} characters` });
    expect(errorOf(() => parseRoomId('A')).message).toBe('Room names use 1-40 lowercase letters, digits and inner dashes');
  });

  it('carries retryAfterMs into error frames and HTTP bodies only when set', () => {
    const limited = new ChatError(ErrorCode.RateLimited, 'slow down', 1500);
    expect(toErrorFrame(limited)).toEqual({ type: 'error', code: 'RATE_LIMITED', message: 'slow down', retryAfterMs: 1500 });
    expect(toHttpError(limited)).toEqual({ status: 429, body: { error: { code: 'RATE_LIMITED', message: 'slow down', retryAfterMs: 1500 } } });
    // toStrictEqual: an own `retryAfterMs: undefined` would be a difference (toEqual ignores it).
    expect(toErrorFrame(new ChatError(ErrorCode.EmptyBody, 'x'))).toStrictEqual({ type: 'error', code: 'EMPTY_BODY', message: 'x' });
    expect(toHttpError(new ChatError(ErrorCode.EmptyBody, 'x'))).toStrictEqual({ status: 400, body: { error: { code: 'EMPTY_BODY', message: 'x' } } });
    expect(toHttpError(new Error('boom')).body.error.message).toBe('Something went wrong on our side; try again');
    expect(toErrorFrame(new Error('boom'), 'client-1')).toEqual({ type: 'error', code: 'INTERNAL', message: 'Something went wrong on our side; try again', clientMessageId: 'client-1' });
    expect(new ChatError(ErrorCode.EmptyBody, 'x')).toMatchObject({ name: 'ChatError', status: 400 });
  });
});
