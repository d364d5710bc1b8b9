/**
 * Thin glue for HTTP API (payload v2) handlers: identity from the JWT authorizer's verified claims,
 * JSON replies, and one place that turns any failure into a typed error body.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ChatError, toHttpError } from '../../lib/chat-error';
import { ErrorCode } from '../../lib/protocol';
import { userFromClaims, type ChatUser } from './identity';
import { referenceError } from './error-ref';
import { logger } from './logger';
import { flushMetrics } from './metrics';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** A JSON response. */
export function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}

/** The caller, from claims API Gateway already verified. */
export function requireUser(event: HttpEvent): ChatUser {
  const user = userFromClaims(event.requestContext?.authorizer?.jwt?.claims as Record<string, unknown> | undefined);
  if (!user) throw new ChatError(ErrorCode.Unauthorized, 'Sign in again: your session is missing or expired');
  logger.appendKeys({ userId: user.userId }); // for "one user's recent errors" (amplify/stacks/logs-insights-queries.ts)
  return user;
}

/** Parses a JSON request body or throws BAD_JSON. */
export function jsonBody(event: HttpEvent): unknown {
  const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  try {
    return JSON.parse(raw);
  } catch {
    throw new ChatError(ErrorCode.BadJson, 'Send a JSON body');
  }
}

/** Wraps a handler: typed errors become their status, anything else a logged 500 without details. */
export function httpHandler(fn: (event: HttpEvent) => Promise<HttpResult>): (event: HttpEvent) => Promise<HttpResult> {
  return async (event) => {
    logger.appendKeys({ requestId: event.requestContext?.requestId, route: event.routeKey });
    try {
      return await fn(event);
    } catch (error) {
      const ref = referenceError(error);
      const { status, body } = toHttpError(error);
      const reply = json(status, { error: { ...body.error, ref } });
      const retryAfterMs = body.error.retryAfterMs;
      if (retryAfterMs === undefined) return reply;
      // 429: the wait in the body (ms, for code) and in Retry-After (whole seconds, for HTTP tooling).
      return { ...reply, headers: { ...reply.headers, 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } };
    } finally {
      logger.resetKeys();
      flushMetrics();
    }
  };
}
