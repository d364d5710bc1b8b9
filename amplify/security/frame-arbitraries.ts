/**
 * fast-check arbitraries for hostile WebSocket frames: broken JSON, wrong types, odd Unicode, prototype
 * keys, unknown actions, deep nesting, oversized frames, and valid-looking sends with one bad field.
 */
import fc from 'fast-check';
import { Action, LIMITS } from '../../lib/protocol';

/** Characters that break naive code: lone surrogates, bidi overrides, zero-width, NUL, line separators, quotes. */
const ODD_CHARS = [
  '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u202E', '\u202D', '\u200F', '\u200B', '\u200D', '\u2060', '\uFEFF',
  '\u0000', '\u0007', '\u001B', '\u0085', '\u00A0', '\u2028', '\u2029', '\u3000', '\u0301', '\uFFFE', '\uFFFF',
  '👩‍👩‍👧', '𝕏', 'ﷺ', 'ש', '"', '\\', '\n', '\r', '\t', ' ', '<script>', '${', '%s', '\\u0000',
];

/** Text mixing odd characters with arbitrary code points (surrogate halves included). */
export const oddText = (maxLength = 40) =>
  fc.string({ unit: fc.oneof(fc.constantFrom(...ODD_CHARS), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength });

/** Keys that pollute prototypes when code copies objects naively. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];

/** A JSON value that is never a valid message body or id. */
const notAString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }));

/** Actions no route has: near-misses of real ones, route keys, prototype names, random text. */
export const unknownAction = fc
  .oneof(
    fc.constantFrom('SendMessage', 'sendmessage', ' ping', 'ping ', 'ping\u0000', 'PING', 'send', '$default', '$connect', '$disconnect', ...PROTO_KEYS),
    oddText(20),
  )
  .filter((action) => !(Object.values(Action) as string[]).includes(action));

/** Bodies the protocol refuses: empty after trimming, longer than the limit, or not text. */
const badBody = fc.oneof(
  fc.constantFrom('', ' ', '\n\t ', '\u00A0\u3000\u2028', '\uFEFF'),
  fc.integer({ min: LIMITS.bodyMaxChars + 1, max: LIMITS.bodyMaxChars + 500 }).chain((n) => fc.constantFrom('x'.repeat(n), '😀'.repeat(n), ` ${'é'.repeat(n)} `)),
  notAString,
);

/** clientMessageIds the protocol refuses. */
const badClientMessageId = fc.oneof(fc.constantFrom('', 'short', 'x'.repeat(65), 'has space!', 'ünïcode-id', '../../etc'), oddText(70), notAString);

/** Objects with extra hostile keys (set with defineProperty so `__proto__` is a real key, as in parsed JSON). */
function withExtras(base: Record<string, unknown>, extras: Array<[string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of extras) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}
const extras = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), oddText(8)), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ polluted: true }))), { maxLength: 3 });

/** The room the fuzz tests send to (a valid id, so a frame's one bad field is the only thing wrong with it). */
export const FUZZ_ROOM = 'fuzz';

/** Room ids the protocol refuses: bad slugs, malformed private/DM ids, a DM id out of order, not text. */
const badRoomId = fc.oneof(
  fc.constantFrom('', 'UPPER', '-dash', 'dash-', 'a'.repeat(41), 'p_short', 'p_' + 'A'.repeat(26), 'dm_b_a', 'dm_a_a', 'dm_a', '../general', 'general ', 'gen\u0000eral'),
  oddText(20).filter((s) => !/^[a-z0-9-]+$/.test(s)),
  notAString,
);

/** A valid-looking sendMessage with exactly one bad field (body, id or room), plus hostile extra keys. */
export const badSendFrame = fc.oneof(
  fc.tuple(badBody, extras).map(([body, more]) => withExtras({ action: Action.SendMessage, roomId: FUZZ_ROOM, body }, more)),
  fc.tuple(badClientMessageId, extras).map(([id, more]) => withExtras({ action: Action.SendMessage, roomId: FUZZ_ROOM, body: 'hello', clientMessageId: id }, more)),
  fc.tuple(badRoomId, extras).map(([roomId, more]) => withExtras({ action: Action.SendMessage, roomId, body: 'hello' }, more)),
  extras.map((more) => withExtras({ action: Action.SendMessage, roomId: FUZZ_ROOM }, more)),
  extras.map((more) => withExtras({ action: Action.SendMessage, body: 'no room named' }, more)),
);

/** Room frames (subscribe, markRead, typing, presence) with a missing or wrongly typed field. */
export const badRoomFrame = fc.oneof(
  fc.tuple(fc.constantFrom(Action.Subscribe, Action.Unsubscribe), fc.oneof(notAString, fc.constant([]), fc.array(notAString, { minLength: 1, maxLength: 3 }))).map(
    ([action, roomIds]) => ({ action, roomIds }),
  ),
  fc.tuple(fc.constantFrom(Action.MarkRead, Action.Typing, Action.Presence), notAString).map(([action, roomId]) => ({ action, roomId, messageId: 'x' })),
  fc.constant({ action: Action.MarkRead, roomId: FUZZ_ROOM, messageId: 'not-a-ulid' }),
);

/** A message id that is valid but names no message (and one per call would be pointless: fixed). */
export const GHOST_MESSAGE_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/** Message ids the protocol refuses (not a ULID). */
const badMessageId = fc.oneof(fc.constantFrom('', 'not-a-ulid', GHOST_MESSAGE_ID.toLowerCase(), `${GHOST_MESSAGE_ID}X`, 'IIIIIIIIIIIIIIIIIIIIIIIIII'), oddText(30), notAString);

/** Reaction emoji the protocol refuses: text, several emoji, emoji with text, empty, too long, not text. */
export const badEmoji = fc.oneof(
  fc.constantFrom('', 'a', '1', '#', ':+1:', '👍👍', '👍 ', ' 👍', 'x👍', '👍x', '\u200d', '\ufe0f', '🇫', '<img src=x>', '👍'.repeat(40)),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 10 }),
  notAString,
);

/** Emoji every reaction must accept (single RGI emoji of several kinds: plain, VS16, ZWJ family, flag, keycap, skin tone). */
export const GOOD_EMOJI = ['👍', '❤️', '😂', '🎉', '👨‍👩‍👧‍👦', '🇫🇷', '1️⃣', '👋🏽', '🏳️‍🌈', '🫠'] as const;

/** editMessage / deleteMessage / react frames with exactly one bad or missing field, plus hostile extra keys. */
export const badActionFrame = fc.oneof(
  fc.tuple(badMessageId, extras).map(([messageId, more]) => withExtras({ action: Action.EditMessage, roomId: FUZZ_ROOM, messageId, body: 'fixed' }, more)),
  fc.tuple(badBody, extras).map(([body, more]) => withExtras({ action: Action.EditMessage, roomId: FUZZ_ROOM, messageId: GHOST_MESSAGE_ID, body }, more)),
  fc.tuple(badMessageId, extras).map(([messageId, more]) => withExtras({ action: Action.DeleteMessage, roomId: FUZZ_ROOM, messageId }, more)),
  fc.tuple(badRoomId, fc.constantFrom(Action.EditMessage, Action.DeleteMessage, Action.React)).map(([roomId, action]) => ({ action, roomId, messageId: GHOST_MESSAGE_ID, body: 'x', emoji: '👍', op: 'set' })),
  fc.tuple(badEmoji, fc.constantFrom('set', 'unset'), extras).map(([emoji, op, more]) => withExtras({ action: Action.React, roomId: FUZZ_ROOM, messageId: GHOST_MESSAGE_ID, emoji, op }, more)),
  fc.tuple(fc.oneof(fc.constantFrom('toggle', 'SET', '', 'add'), notAString), extras).map(([op, more]) => withExtras({ action: Action.React, roomId: FUZZ_ROOM, messageId: GHOST_MESSAGE_ID, emoji: '👍', op }, more)),
  fc.tuple(badClientMessageId, fc.constantFrom(Action.EditMessage, Action.DeleteMessage, Action.React)).map(([requestId, action]) => ({ action, roomId: FUZZ_ROOM, messageId: GHOST_MESSAGE_ID, body: 'x', emoji: '👍', op: 'set', requestId })),
  fc.tuple(badMessageId, extras).map(([replyToMessageId, more]) => withExtras({ action: Action.SendMessage, roomId: FUZZ_ROOM, body: 'reply', replyToMessageId }, more)),
  // Valid shapes naming a message that does not exist: MESSAGE_NOT_FOUND, nothing stored.
  fc.constantFrom(Action.EditMessage, Action.DeleteMessage, Action.React).map((action) => ({ action, roomId: FUZZ_ROOM, messageId: GHOST_MESSAGE_ID, body: 'x', emoji: '👍', op: 'unset' })),
  fc.constant({ action: Action.SendMessage, roomId: FUZZ_ROOM, body: 'reply to nothing', replyToMessageId: GHOST_MESSAGE_ID }),
);

/** Objects whose action is unknown, missing or of the wrong type. */
export const wrongActionFrame = fc.oneof(
  fc.tuple(fc.oneof(unknownAction, notAString), oddText(30), extras).map(([action, body, more]) => withExtras({ action, body }, more)),
  extras.map((more) => withExtras({ body: 'no action here' }, more)),
);

/** Deeply nested JSON in the frame itself or in one of its fields (at most ~128 KB, so the parser sees it). */
export const deepFrame = fc.tuple(fc.integer({ min: 100, max: 60_000 }), fc.constantFrom('[]', '{}'), fc.constantFrom('root', 'action', 'body', 'clientMessageId')).map(([wanted, pair, where]) => {
  // Stay under the frame cap: 2 bytes per level for arrays, 6 for objects.
  const depth = Math.min(wanted, Math.floor((LIMITS.frameMaxBytes - 80) / (pair === '[]' ? 2 : 6)));
  const nested = pair === '[]' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  if (where === 'root') return nested;
  if (where === 'action') return `{"action":${nested}}`;
  if (where === 'body') return `{"action":"sendMessage","roomId":"${FUZZ_ROOM}","body":${nested}}`;
  return `{"action":"sendMessage","roomId":"${FUZZ_ROOM}","body":"hi","clientMessageId":${nested}}`;
});

/** Frames over the 128 KB cap (some in multi-byte characters, under the cap in characters). */
export const hugeFrame = fc.tuple(fc.integer({ min: 1, max: 40_000 }), fc.constantFrom('x', '€', '😀')).map(([extra, char]) => {
  const count = Math.ceil((LIMITS.frameMaxBytes + extra) / Buffer.byteLength(char));
  return JSON.stringify({ action: Action.SendMessage, body: char.repeat(count) });
});

/** Text that is not JSON at all, or JSON with a syntax error. */
export const malformedJson = fc.oneof(
  oddText(60),
  fc.constantFrom('', ' ', '{', '}', '{"action":"sendMessage",', "{'action':'ping'}", '{"action":"ping"}}', '\uFEFF{"action":"ping"}', '{"action":NaN}', '{"action":"ping"/*c*/}', 'undefined', '[', '"ping"'),
  fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.nat()).map(([v, cut]) => {
    const text = JSON.stringify(v) ?? '';
    return text.slice(0, cut % (text.length + 1)) + (cut % 2 ? '' : ',');
  }),
);

/** Any JSON value that is not an object (arrays, strings, numbers, null...). */
const notAnObject = fc.jsonValue({ maxDepth: 3 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v));

/** Every kind of hostile frame as raw text; frames that happen to be valid are judged by the model, not excluded. */
export const hostileFrame = fc.oneof(
  { weight: 3, arbitrary: malformedJson },
  { weight: 2, arbitrary: notAnObject.map((v) => JSON.stringify(v)) },
  { weight: 4, arbitrary: badSendFrame.map((f) => JSON.stringify(f)) },
  { weight: 1, arbitrary: badRoomFrame.map((f) => JSON.stringify(f)) },
  { weight: 3, arbitrary: badActionFrame.map((f) => JSON.stringify(f)) },
  { weight: 3, arbitrary: wrongActionFrame.map((f) => JSON.stringify(f)) },
  { weight: 1, arbitrary: deepFrame },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
);

/** A valid send wearing hostile extras: spoofed identity fields, prototype keys, odd Unicode around the text. */
export const hostileValidSend = fc
  .tuple(oddText(30), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }).filter((s) => s.trim().length > 0), extras, fc.boolean())
  .map(([noise, core, more, withId]) => ({
    body: `${noise}${core}${noise}`,
    extras: [['authorId', 'spoofed-author'], ['userId', 'spoofed-user'], ['mentions', ['spoofed-user']], ['messageId', '01ARZ3NDEKTSV4RRFFQ69G5FAV'], ['createdAt', '1970-01-01T00:00:00.000Z'], ...more] as Array<[string, unknown]>,
    withId,
  }));

/** Builds the frame text of a `hostileValidSend` case with a unique clientMessageId (or none). */
export function hostileValidFrame(send: { body: string; extras: Array<[string, unknown]>; withId: boolean }, id: string, roomId = FUZZ_ROOM): string {
  const frame = withExtras({ action: Action.SendMessage, body: send.body, ...(send.withId ? { clientMessageId: id } : {}) }, send.extras);
  // The room is the sender's own choice (a real field now), so it is set last: no extra overrides it.
  return JSON.stringify(withExtras(frame, [['roomId', roomId]]));
}
