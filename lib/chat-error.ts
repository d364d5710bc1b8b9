/**
 * Typed errors and the parsers that produce them. Any bad input becomes a `ChatError` with a code from
 * the protocol and a sentence a person can act on; nothing else escapes to the client.
 */
import type * as z from 'zod/mini';
import {
  Action,
  ErrorCode,
  ERROR_STATUS,
  LIMITS,
  clientFrameSchemaOf,
  messageBodySchema,
  roomIdSchema,
  type ClientAction,
  type ClientFrame,
  type ErrorFrame,
  type HttpError,
} from './protocol';

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(Object.values(Action));

/** An expected failure with a protocol error code. */
export class ChatError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** When to try again (RATE_LIMITED), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChatError';
  }

  /** HTTP status for this error. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The code a zod refinement attached, if any (used by `messageBodySchema`). */
function refinementCode(error: z.core.$ZodError): ErrorCode | undefined {
  for (const issue of error.issues) {
    const code = (issue as { params?: { code?: ErrorCode } }).params?.code;
    if (code) return code;
  }
  return undefined;
}

/** Validates a message body; returns the trimmed text or throws EMPTY_BODY / BODY_TOO_LONG. */
export function parseBody(body: unknown): string {
  if (typeof body !== 'string') throw new ChatError(ErrorCode.BadFrame, 'The message body must be text');
  const result = messageBodySchema.safeParse(body);
  if (result.success) return result.data;
  const code = refinementCode(result.error) ?? ErrorCode.BadFrame;
  throw new ChatError(code, result.error.issues[0]?.message ?? 'Invalid message body');
}

/** Validates a room id or throws BAD_ROOM. */
export function parseRoomId(roomId: unknown): string {
  const result = roomIdSchema.safeParse(roomId);
  if (!result.success) throw new ChatError(ErrorCode.BadRoom, result.error.issues[0]?.message ?? 'Invalid room');
  return result.data;
}

const encoder = new TextEncoder();

/** Size of a string on the wire; works in browsers and Node alike. */
export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** Parses one raw WebSocket frame into a typed client frame, or throws a typed ChatError. */
export function parseClientFrame(raw: string | undefined | null): ClientFrame {
  const text = raw ?? '';
  // A UTF-16 unit is at most 3 UTF-8 bytes: only frames that could be too big are encoded to measure them.
  if (text.length * 3 > LIMITS.frameMaxBytes && utf8Bytes(text) > LIMITS.frameMaxBytes) {
    throw new ChatError(ErrorCode.FrameTooLarge, `Frames are limited to ${LIMITS.frameMaxBytes} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ChatError(ErrorCode.BadJson, 'Frames must be JSON objects like {"action":"sendMessage","body":"hi"}');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ChatError(ErrorCode.BadFrame, 'Frames must be JSON objects with an "action"');
  }
  const action = (json as { action?: unknown }).action;
  if (typeof action !== 'string' || !KNOWN_ACTIONS.has(action)) {
    // Quote only strings: stringifying any other value (e.g. an array nested 50,000 deep) can throw RangeError.
    const kind = Array.isArray(action) ? 'array' : action === null ? 'null' : typeof action;
    const shown = typeof action === 'string' ? JSON.stringify(action.slice(0, 60)) : action === undefined ? '(none)' : `of type ${kind}`;
    throw new ChatError(ErrorCode.UnknownAction, `Unknown action ${shown}; use one of: ${[...KNOWN_ACTIONS].join(', ')}`);
  }
  // The schema of this frame's action alone: what `clientFrameSchema` (a union on `action`) would run for it, without
  // building the other nine on a cold start.
  const parsed = clientFrameSchemaOf(action as ClientAction).safeParse(json);
  if (parsed.success) return parsed.data as ClientFrame;
  const issue = parsed.error.issues[0];
  throw new ChatError(ErrorCode.BadFrame, `Invalid "${issue?.path.join('.') || action}": ${issue?.message ?? 'bad value'}`);
}

/** An error's text as a person sees it: the server's reference appended, so a support ticket can quote it. */
export function withRef(message: string, ref: string | undefined): string {
  return ref ? `${message} (ref ${ref})` : message;
}

/** Converts any thrown value into a typed error frame; unknown errors become INTERNAL without details. */
export function toErrorFrame(error: unknown, clientMessageId?: string): ErrorFrame {
  const e = error instanceof ChatError ? error : new ChatError(ErrorCode.Internal, 'Something went wrong on our side; try again');
  return {
    type: 'error',
    code: e.code,
    message: e.message,
    ...(clientMessageId ? { clientMessageId } : {}),
    ...(e.retryAfterMs === undefined ? {} : { retryAfterMs: e.retryAfterMs }),
  };
}

/** Converts any thrown value into an HTTP error body and status. */
export function toHttpError(error: unknown): { status: number; body: HttpError } {
  const e = error instanceof ChatError ? error : new ChatError(ErrorCode.Internal, 'Something went wrong on our side; try again');
  const retry = e.retryAfterMs === undefined ? {} : { retryAfterMs: e.retryAfterMs };
  return { status: e.status, body: { error: { code: e.code, message: e.message, ...retry } } };
}
