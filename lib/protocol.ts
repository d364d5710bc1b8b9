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
} as const;

/** The room every user lands in. */
export const DEFAULT_ROOM = 'general';

/** Room ids: lowercase slug, 1-40 chars. */
export const roomIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'Room names use 1-40 lowercase letters, digits and inner dashes');

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
  Internal: 'INTERNAL',
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
  INTERNAL: 500,
};

/** A message body: trimmed, non-empty, at most `bodyMaxChars` code points. */
export const messageBodySchema = z
  .string()
  .transform((s) => s.trim())
  .refine((s) => s.length > 0, { message: 'Type something before sending', params: { code: ErrorCode.EmptyBody } })
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
export const Action = { SendMessage: 'sendMessage', Ping: 'ping' } as const;

export const sendMessageFrameSchema = z.object({
  action: z.literal(Action.SendMessage),
  body: z.string(),
  clientMessageId: clientMessageIdSchema.optional(),
});
export const pingFrameSchema = z.object({ action: z.literal(Action.Ping) });
export const clientFrameSchema = z.discriminatedUnion('action', [sendMessageFrameSchema, pingFrameSchema]);
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
});
export const serverFrameSchema = z.discriminatedUnion('type', [
  messageFrameSchema,
  ackFrameSchema,
  pongFrameSchema,
  errorFrameSchema,
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

/** Every HTTP error body. */
export const httpErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type HttpError = z.infer<typeof httpErrorSchema>;

/** WebSocket query parameters on connect. */
export const connectQuerySchema = z.object({ ticket: z.string().min(1), room: roomIdSchema.default(DEFAULT_ROOM) });

/** HTTP paths (relative to the HTTP API base URL). */
export const Paths = {
  tickets: '/tickets',
  roomMessages: (roomId: string) => `/rooms/${encodeURIComponent(roomId)}/messages`,
} as const;
