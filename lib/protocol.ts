/**
 * The chat wire protocol, defined once: WebSocket frames in both directions, REST shapes,
 * limits and typed error codes. Imported by the browser client, the Lambda handlers and the
 * local gateway, so the three can never disagree.
 */
import { z } from 'zod';

/** Limits enforced server-side (and mirrored in the UI for early feedback). */
export const LIMITS = {
  /** Longest message body, in characters (Unicode code points). */
  bodyMaxChars: 2000,
  /** API Gateway's WebSocket message cap; bigger frames are refused before parsing. */
  frameMaxBytes: 128 * 1024,
  /** API Gateway closes idle sockets after 10 minutes. */
  idleTimeoutMs: 10 * 60 * 1000,
  /** API Gateway closes any socket after 2 hours. */
  maxConnectionMs: 2 * 60 * 60 * 1000,
  /** A WebSocket ticket is valid this long and only once. */
  ticketTtlSeconds: 60,
  /** History page sizes. */
  historyDefaultLimit: 30,
  historyMaxLimit: 100,
  /** Display names chosen at sign-up. */
  displayNameMaxChars: 32,
  /** Clients send `{"action":"ping"}` this often; each ping keeps the socket's server-side row fresh. */
  heartbeatIntervalMs: 60 * 1000,
  /**
   * A connection row not refreshed by a ping for this long (3 heartbeats) counts as dead: it drops out
   * of fan-out and presence, and its socket's next frame gets NOT_CONNECTED (reconnect).
   */
  connectionFreshMs: 3 * 60 * 1000,
  /** Per-user send limit across all sockets and HTTP: this many messages per fixed window... */
  sendRateLimit: 20,
  /** ...of this length (windows start at multiples of it since the epoch). */
  sendRateWindowMs: 10 * 1000,
  /** A retried send with the same clientMessageId returns the original message for at least this long. */
  clientMessageIdRetentionMs: 24 * 60 * 60 * 1000,
} as const;

/** The room every user lands in. */
export const DEFAULT_ROOM = 'general';

/** Room ids: lowercase slug, 1-40 chars. */
export const roomIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'Room names use 1-40 lowercase letters, digits and inner dashes');

/**
 * Version of this wire protocol, sent by every client when it asks for a ticket (POST /tickets?protocol=N;
 * a client that predates the parameter speaks version 1). Bump it with a change older clients cannot
 * follow, and raise MIN_CLIENT_PROTOCOL_VERSION once the server stops serving them: an open tab of an
 * older build then gets CLIENT_OUTDATED, which the UI turns into "A new version is available — reload".
 */
export const PROTOCOL_VERSION = 1;
/** Oldest client protocol version the server still serves. */
export const MIN_CLIENT_PROTOCOL_VERSION = 1;
/** Query parameter carrying the client's protocol version on POST /tickets. */
export const PROTOCOL_QUERY = 'protocol';

/** Typed error codes, shared by WebSocket error frames and HTTP error bodies. */
export const ErrorCode = {
  BadJson: 'BAD_JSON',
  BadFrame: 'BAD_FRAME',
  UnknownAction: 'UNKNOWN_ACTION',
  FrameTooLarge: 'FRAME_TOO_LARGE',
  EmptyBody: 'EMPTY_BODY',
  BodyTooLong: 'BODY_TOO_LONG',
  BadRoom: 'BAD_ROOM',
  BadRequest: 'BAD_REQUEST',
  Unauthorized: 'UNAUTHORIZED',
  NotConnected: 'NOT_CONNECTED',
  NotFound: 'NOT_FOUND',
  RateLimited: 'RATE_LIMITED',
  Internal: 'INTERNAL',
  ClientOutdated: 'CLIENT_OUTDATED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status for each error code, so every route answers the same code the same way. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  BAD_JSON: 400,
  BAD_FRAME: 400,
  UNKNOWN_ACTION: 400,
  FRAME_TOO_LARGE: 413,
  EMPTY_BODY: 400,
  BODY_TOO_LONG: 400,
  BAD_ROOM: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  NOT_CONNECTED: 409,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  CLIENT_OUTDATED: 426,
};

/** Bodies made only of whitespace and invisible format characters (zero-width space/joiners, BOM, word joiner). */
const INVISIBLE = /^[\s\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]*$/u;

/** A message body: trimmed, non-empty, at most `bodyMaxChars` code points. */
export const messageBodySchema = z
  .string()
  .transform((s) => s.trim())
  // Lone UTF-16 surrogates are valid JSON but not text: DynamoDB and other clients would choke on them.
  .refine((s) => s.isWellFormed(), { message: 'Messages must be valid Unicode text', params: { code: ErrorCode.BadFrame } })
  // Only zero-width / invisible characters would be an empty-looking message.
  .refine((s) => !INVISIBLE.test(s), {
    message: 'Type something before sending',
    params: { code: ErrorCode.EmptyBody },
  })
  .refine((s) => [...s].length <= LIMITS.bodyMaxChars, {
    message: `Messages are limited to ${LIMITS.bodyMaxChars} characters`,
    params: { code: ErrorCode.BodyTooLong },
  });

/** Client-chosen id that lets a retried send be recognised. */
export const clientMessageIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** A stored chat message as every client sees it. */
export const chatMessageSchema = z.object({
  roomId: roomIdSchema,
  messageId: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  body: z.string(),
  createdAt: z.string(),
  clientMessageId: z.string().optional(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

// ---------------------------------------------------------------- client → server frames

/** Route key values (API Gateway route selection: `$request.body.action`). */
export const Action = { SendMessage: 'sendMessage', Ping: 'ping', Presence: 'presence' } as const;

export const sendMessageFrameSchema = z.object({
  action: z.literal(Action.SendMessage),
  body: z.string(),
  clientMessageId: clientMessageIdSchema.optional(),
});
export const pingFrameSchema = z.object({ action: z.literal(Action.Ping) });
/** Asks for the room's presence; send it right after the socket opens (the server cannot post during $connect). */
export const presenceRequestFrameSchema = z.object({ action: z.literal(Action.Presence) });
export const clientFrameSchema = z.discriminatedUnion('action', [sendMessageFrameSchema, pingFrameSchema, presenceRequestFrameSchema]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

// ---------------------------------------------------------------- server → client frames

export const messageFrameSchema = z.object({ type: z.literal('message'), message: chatMessageSchema });
export const ackFrameSchema = z.object({
  type: z.literal('ack'),
  clientMessageId: z.string().optional(),
  message: chatMessageSchema,
});
export const pongFrameSchema = z.object({ type: z.literal('pong') });
export const errorFrameSchema = z.object({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
  clientMessageId: z.string().optional(),
  /** RATE_LIMITED only: wait at least this long before sending again. */
  retryAfterMs: z.number().int().nonnegative().optional(),
});
/** One person in a room, however many sockets they have open there. */
export const presenceUserSchema = z.object({ userId: z.string(), displayName: z.string() });
export type PresenceUser = z.infer<typeof presenceUserSchema>;
/**
 * Who is in the room now (the whole list, sorted by name; replace, do not merge). Sent to the others
 * when someone connects or disconnects, and to a socket that asks with `{"action":"presence"}`.
 */
export const presenceFrameSchema = z.object({ type: z.literal('presence'), roomId: roomIdSchema, users: z.array(presenceUserSchema) });
export type PresenceFrame = z.infer<typeof presenceFrameSchema>;
export const serverFrameSchema = z.discriminatedUnion('type', [
  messageFrameSchema,
  ackFrameSchema,
  pongFrameSchema,
  errorFrameSchema,
  presenceFrameSchema,
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
export type ErrorFrame = z.infer<typeof errorFrameSchema>;

// ---------------------------------------------------------------- REST shapes

/** POST /tickets → a one-time WebSocket ticket. */
export const ticketResponseSchema = z.object({ ticket: z.string(), expiresAt: z.string() });
export type TicketResponse = z.infer<typeof ticketResponseSchema>;

/** GET /rooms/{roomId}/messages?limit&before → newest first. */
export const historyQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.historyMaxLimit).default(LIMITS.historyDefaultLimit),
  before: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'before must be a message id')
    .optional(),
});
export const historyResponseSchema = z.object({
  messages: z.array(chatMessageSchema),
  /** Pass as `before` to get the next (older) page; null when there is none. */
  nextBefore: z.string().nullable(),
});
export type HistoryResponse = z.infer<typeof historyResponseSchema>;

/** POST /rooms/{roomId}/messages — for clients without a socket. */
export const storeMessageRequestSchema = z.object({
  body: z.string(),
  clientMessageId: clientMessageIdSchema.optional(),
});
export const storeMessageResponseSchema = z.object({ message: chatMessageSchema });

/** Every HTTP error body (`retryAfterMs` on 429 RATE_LIMITED, with a `Retry-After` header in seconds). */
export const httpErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), retryAfterMs: z.number().int().nonnegative().optional() }),
});
export type HttpError = z.infer<typeof httpErrorSchema>;

/** WebSocket connect URL query parameters: `wss://…?ticket=T&room=R` (the authorizer's identity source is `ticket`). */
export const ConnectQuery = { ticket: 'ticket', room: 'room' } as const;

/** HTTP API routes in API Gateway's `{param}` syntax: the CDK stack and the local gateway declare exactly these. */
export const HttpRoutes = {
  createTicket: { method: 'POST', path: '/tickets' },
  getMessages: { method: 'GET', path: '/rooms/{roomId}/messages' },
  storeMessage: { method: 'POST', path: '/rooms/{roomId}/messages' },
} as const;

/** HTTP paths (relative to the HTTP API base URL). */
export const Paths = {
  tickets: HttpRoutes.createTicket.path,
  roomMessages: (roomId: string) => `/rooms/${encodeURIComponent(roomId)}/messages`,
} as const;
