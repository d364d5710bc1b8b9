/**
 * The fuzz tests' oracle: what the protocol (README "Protocol and limits", lib/protocol.ts LIMITS) says the
 * server must answer to one raw WebSocket frame. Written from the documented rules, not by calling
 * lib/chat-error.ts, so the code under test is never its own judge.
 */
import { Action, ErrorCode, LIMITS } from '../../lib/protocol';

/** What one frame must produce: an error frame, a pong, a stored send (ack), or something a newer action defines. */
export type ExpectedReply = 'error' | 'too-large' | 'pong' | 'send' | 'other-action';

const CLIENT_MESSAGE_ID = /^[A-Za-z0-9_-]{8,64}$/;
const MESSAGE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const KNOWN_ACTIONS: ReadonlySet<string> = new Set(Object.values(Action));
const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** True for a code the protocol defines (new codes added to ErrorCode count too). */
export function isErrorCode(code: unknown): boolean {
  return typeof code === 'string' && ERROR_CODES.has(code);
}

/**
 * Characters that count as nothing in a body, written out here (not imported): ECMAScript white space and line
 * terminators (what `trim` removes), plus invisible format characters: soft hyphen, zero-width space/joiners and
 * direction marks (U+200B-U+200F), word joiner and invisible operators (U+2060-U+2064), BOM (U+FEFF).
 */
const BLANK_CODE_POINTS: ReadonlySet<number> = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
  0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
  0xad, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064,
]);

/** True if every UTF-16 surrogate in `text` is half of a pair (lone halves are not text). */
function wellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff) return false; // a low half with no high half before it
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    }
  }
  return true;
}

/** Code points in `text` (a surrogate pair is one). */
function codePoints(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out.push((unit - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000);
      i++;
    } else out.push(unit);
  }
  return out;
}

/** What the protocol answers to a body: accepted (with the text it stores) or refused with one code. */
export type BodyVerdict = { readonly ok: true; readonly stored: string } | { readonly ok: false; readonly code: ErrorCode };

/**
 * The body rules of the protocol, each stated here on its own: text only (else BAD_FRAME); surrounding white
 * space is dropped; lone surrogates are refused (BAD_FRAME); nothing but blanks/invisible characters is EMPTY_BODY;
 * more than bodyMaxChars code points is BODY_TOO_LONG. Anything else (markup, U+2028, emoji, RTL...) is stored as is.
 */
export function judgeBody(body: unknown): BodyVerdict {
  if (typeof body !== 'string') return { ok: false, code: ErrorCode.BadFrame };
  const stored = body.trim();
  if (!wellFormed(stored)) return { ok: false, code: ErrorCode.BadFrame };
  const points = codePoints(stored);
  if (points.every((point) => BLANK_CODE_POINTS.has(point))) return { ok: false, code: ErrorCode.EmptyBody };
  if (points.length > LIMITS.bodyMaxChars) return { ok: false, code: ErrorCode.BodyTooLong };
  return { ok: true, stored };
}

/** A message body the protocol accepts (see `judgeBody`). */
export function isValidBody(body: unknown): body is string {
  return judgeBody(body).ok;
}

/**
 * What the frame is, judged on its shape alone (size, JSON, action, field types, clientMessageId):
 * a sendMessage with any text body is still a send frame here; its text is judged on send.
 */
export function expectedFrame(raw: string): ExpectedReply {
  if (Buffer.byteLength(raw, 'utf8') > LIMITS.frameMaxBytes) return 'too-large';
  let frame: unknown;
  try {
    frame = JSON.parse(raw);
  } catch {
    return 'error';
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return 'error';
  const { action, body, clientMessageId, roomId, roomIds, messageId, cursor, requestId, emoji, op, replyToMessageId } = frame as Record<string, unknown>;
  if (typeof action !== 'string' || !Object.hasOwn(frame, 'action') || !KNOWN_ACTIONS.has(action)) return 'error';
  if (action === Action.Ping) return 'pong';
  const has = (key: string) => Object.hasOwn(frame, key);
  // Every room frame names its room (judged as text here; the room rules are checked on use).
  const namesRoom = has('roomId') && typeof roomId === 'string';
  switch (action) {
    case Action.Subscribe:
    case Action.Unsubscribe:
      return has('roomIds') && Array.isArray(roomIds) && roomIds.length >= 1 && roomIds.length <= LIMITS.subscribeMaxRooms && roomIds.every((r) => typeof r === 'string')
        ? 'other-action'
        : 'error';
    case Action.MarkRead:
      return namesRoom && typeof messageId === 'string' && MESSAGE_ID.test(messageId) ? 'other-action' : 'error';
    case Action.Typing:
      return namesRoom ? 'other-action' : 'error';
    case Action.Presence:
      return namesRoom && (!has('cursor') || (typeof cursor === 'string' && cursor.length <= 200)) ? 'other-action' : 'error';
    // Message actions (docs/messages.md): a message id, an optional request id, and their own fields.
    case Action.EditMessage:
      return namesRoom && namesMessage(messageId) && requestOk(has, requestId) && typeof body === 'string' ? 'other-action' : 'error';
    case Action.DeleteMessage:
      return namesRoom && namesMessage(messageId) && requestOk(has, requestId) ? 'other-action' : 'error';
    case Action.React:
      return namesRoom && namesMessage(messageId) && requestOk(has, requestId) && typeof emoji === 'string' && [...emoji].length <= 64 && (op === 'set' || op === 'unset')
        ? 'other-action'
        : 'error';
    default: {
      const idOk = !has('clientMessageId') || (typeof clientMessageId === 'string' && CLIENT_MESSAGE_ID.test(clientMessageId));
      const replyOk = !has('replyToMessageId') || namesMessage(replyToMessageId);
      return namesRoom && typeof body === 'string' && idOk && replyOk ? 'send' : 'error';
    }
  }
}

/** A message id: a ULID (26 Crockford base-32 characters). */
function namesMessage(id: unknown): boolean {
  return typeof id === 'string' && MESSAGE_ID.test(id);
}

/** The optional request id of a message action has the clientMessageId rules. */
function requestOk(has: (key: string) => boolean, requestId: unknown): boolean {
  return !has('requestId') || (typeof requestId === 'string' && CLIENT_MESSAGE_ID.test(requestId));
}

/**
 * What a reaction emoji must be (docs/messages.md): one user-perceived character that is an emoji. Judged with
 * Unicode's RGI emoji list (the `v` flag), independently of the server's structural check.
 */
export function isSingleEmoji(text: string): boolean {
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)];
  return graphemes.length === 1 && new RegExp('^\\p{RGI_Emoji}$', 'v').test(text);
}

/** Room ids as docs/rooms.md states them: a public slug, `p_` + 26 lowercase ULID characters, or `dm_<a>_<b>` with a < b. */
export function isRoomId(roomId: string): boolean {
  if (/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(roomId) || /^p_[0-9a-z]{26}$/.test(roomId)) return true;
  const dm = /^dm_([A-Za-z0-9-]{1,64})_([A-Za-z0-9-]{1,64})$/.exec(roomId);
  return !!dm && dm[1]! < dm[2]!;
}

/** The reply the protocol prescribes for `raw` as the server receives it (UTF-8 decoded text). */
export function expectedReply(raw: string): ExpectedReply {
  const shape = expectedFrame(raw);
  if (shape !== 'send') return shape;
  const { body, roomId, replyToMessageId } = JSON.parse(raw) as { body: unknown; roomId: string; replyToMessageId?: string };
  // A reply names a message; none of the fuzz rooms' messages are quoted, so a reply is always refused.
  return isValidBody(body) && isRoomId(roomId) && replyToMessageId === undefined ? 'send' : 'error';
}

/** The text a WebSocket peer receives for `text`: lone surrogates cannot be encoded in UTF-8 and become U+FFFD. */
export function asReceived(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
