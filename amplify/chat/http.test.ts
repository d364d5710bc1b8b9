/**
 * The HTTP handler frame on its own (no table needed): the JSON reply shape, the user from verified claims, body
 * parsing, and what an error turns into (status, typed body, ref, Retry-After, the error metrics and log line).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatError } from '../../lib/chat-error';
import { ErrorCode } from '../../lib/protocol';
import { ERROR_REF_LENGTH, newErrorRef } from './error-ref';
import { httpHandler, json, jsonBody, requireUser, type HttpEvent } from './http';
import { tapMetrics, type EmfDocument } from './metrics';

const event = (over: Partial<HttpEvent> & { claims?: Record<string, unknown> } = {}) =>
  ({ routeKey: 'GET /x', requestContext: { requestId: 'req-1', authorizer: { jwt: { claims: over.claims } } }, ...over }) as unknown as HttpEvent;

let flushed: EmfDocument[] = [];
let logs: Record<string, unknown>[] = [];
beforeEach(() => {
  flushed = [];
  logs = [];
  tapMetrics((emf) => flushed.push(emf));
  // Powertools writes INFO to stdout and ERROR to stderr, one JSON line each.
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = String(chunk);
      if (!text.includes('"error answered"')) return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      for (const line of text.split('\n')) if (line.includes('"error answered"')) logs.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    });
  }
});
afterEach(() => {
  tapMetrics(() => {}); // the fixture's no-op tap: later files of this worker share the module
  vi.restoreAllMocks();
});

describe('http', () => {
  it('json: the status, a JSON body and never-cache headers', () => {
    expect(json(201, { a: 1 })).toStrictEqual({ statusCode: 201, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: '{"a":1}' });
  });

  it('requireUser: the user from an ID token, else UNAUTHORIZED in words that say what to do', () => {
    expect(requireUser(event({ claims: { sub: 'u1', token_use: 'id', preferred_username: 'Ada' } }))).toEqual({ userId: 'u1', displayName: 'Ada' });
    for (const claims of [undefined, { sub: 'u1', token_use: 'access' }]) {
      const error = (() => { try { requireUser(event({ claims })); } catch (e) { return e; } })();
      expect(error).toBeInstanceOf(ChatError);
      expect(error).toMatchObject({ code: ErrorCode.Unauthorized, message: 'Sign in again: your session is missing or expired' });
    }
  });

  it('jsonBody: plain and base64 bodies parse; a missing or broken body is BAD_JSON', () => {
    expect(jsonBody(event({ body: '{"a":1}' }))).toEqual({ a: 1 });
    expect(jsonBody(event({ body: Buffer.from('{"b":2}').toString('base64'), isBase64Encoded: true }))).toEqual({ b: 2 });
    for (const body of [undefined, '', '{"a":', 'Stryker was here!']) {
      expect(() => jsonBody(event({ body }))).toThrow(expect.objectContaining({ code: ErrorCode.BadJson, message: 'Send a JSON body' }));
    }
  });

  it('a handler result passes through; its metrics are flushed', async () => {
    const ok = json(200, { ok: true });
    expect(await httpHandler(async () => ok)(event())).toBe(ok);
    expect(flushed).toEqual([]); // nothing recorded, nothing flushed
  });

  it('a typed error becomes its status and body with a ref; INTERNAL is counted and logged as an error', async () => {
    const refused = await httpHandler(async () => { throw new ChatError(ErrorCode.NotFound, 'No such room'); })(event());
    expect(refused.statusCode).toBe(404);
    const body = JSON.parse(refused.body!) as { error: { code: string; message: string; ref: string } };
    expect(body.error).toMatchObject({ code: ErrorCode.NotFound, message: 'No such room' });
    expect(body.error.ref).toMatch(new RegExp(`^[0-9A-HJKMNP-TV-Z]{${ERROR_REF_LENGTH}}$`));
    expect(refused.headers).not.toHaveProperty('retry-after');
    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toMatchObject({ ErrorsAnswered: 1 });
    expect(flushed[0]).not.toHaveProperty('InternalErrors');

    const crashed = await httpHandler(async () => { throw new Error('db down: secret'); })(event());
    expect(crashed.statusCode).toBe(500);
    expect(JSON.parse(crashed.body!).error).toMatchObject({ code: ErrorCode.Internal, message: 'Something went wrong on our side; try again' });
    expect(flushed[1]).toMatchObject({ ErrorsAnswered: 1, InternalErrors: 1 });
    // One log line each, with the request's keys and the ref the caller saw: INFO for a refusal, ERROR (with the
    // error) for INTERNAL.
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatchObject({ level: 'INFO', message: 'error answered', errorCode: ErrorCode.NotFound, ref: body.error.ref, requestId: 'req-1', route: 'GET /x' });
    expect(logs[0]).not.toHaveProperty('error');
    expect(logs[1]).toMatchObject({ level: 'ERROR', errorCode: ErrorCode.Internal, ref: JSON.parse(crashed.body!).error.ref, error: { message: 'db down: secret' } });
  });

  it('the signed-in user id is on the error log of that request only', async () => {
    const claims = { sub: 'u1', token_use: 'id' };
    await httpHandler(async (e) => { requireUser(e); throw new ChatError(ErrorCode.NotFound, 'x'); })(event({ claims }));
    await httpHandler(async () => { throw new ChatError(ErrorCode.NotFound, 'x'); })(event({ requestContext: undefined } as Partial<HttpEvent>));
    expect(logs[0]).toMatchObject({ userId: 'u1', requestId: 'req-1' });
    expect(logs[1]).not.toHaveProperty('userId');
    expect(logs[1]).not.toHaveProperty('requestId');
  });

  it('RATE_LIMITED: retryAfterMs in the body and Retry-After in whole seconds, at least 1', async () => {
    for (const [ms, seconds] of [[1500, '2'], [200, '1'], [3000, '3']] as const) {
      const reply = await httpHandler(async () => { throw new ChatError(ErrorCode.RateLimited, 'Slow down', ms); })(event());
      expect(reply.statusCode).toBe(429);
      expect(reply.headers).toMatchObject({ 'retry-after': seconds, 'content-type': 'application/json' });
      expect(JSON.parse(reply.body!).error).toMatchObject({ code: ErrorCode.RateLimited, retryAfterMs: ms });
    }
  });

  it('error refs: 8 characters of the Crockford alphabet, different each time', () => {
    const refs = Array.from({ length: 50 }, newErrorRef);
    for (const ref of refs) expect(ref).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(new Set(refs).size).toBe(50);
  });
});
