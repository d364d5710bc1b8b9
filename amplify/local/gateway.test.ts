/**
 * The local gateway's own API Gateway behaviours: `@connections` as the real SDK sees it, HTTP API CORS,
 * 404/413 and route selection. Real servers, real clients, real handlers. (Lifecycle: gateway-lifecycle.test.ts.)
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from './testing';
import {
  ApiGatewayManagementApiClient,
  GetConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LIMITS } from '../../lib/protocol';
import { startGateway } from './gateway';
import { policyAllows } from './gateway/handshake';
import { selectRoute } from './gateway/websocket';

let stack: TestStack;
let management: ApiGatewayManagementApiClient;
beforeAll(async () => {
  stack = await startTestStack();
  management = new ApiGatewayManagementApiClient({ endpoint: stack.gateway.httpUrl, maxAttempts: 1 });
  // `general` exists once someone has asked for their rooms (the app's first call).
  expect((await stack.as(testUser(), '/me/rooms')).status).toBe(200);
});
afterAll(async () => {
  management?.destroy();
  await stack?.stop();
});

const ALLOWED = 'http://127.0.0.1:3000';

describe('@connections', () => {
  it('answers an unknown id with a GoneException the SDK recognises (ids may hold / and +)', async () => {
    for (const id of ['NoSuchConn0=', 'a/b+c=']) {
      const error = await management.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'x' })).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'GoneException', $metadata: { httpStatusCode: 410 } });
    }
    await expect(management.send(new GetConnectionCommand({ ConnectionId: 'NoSuchConn0=' }))).rejects.toMatchObject({ name: 'GoneException' });
  });

  it('posts a text frame to a live socket and describes it', async () => {
    const user = testUser();
    const socket = await stack.connect(user);
    const id = await stack.connectionIdOf(user);
    await management.send(new PostToConnectionCommand({ ConnectionId: id, Data: JSON.stringify({ type: 'pong' }) }));
    expect(await socket.next()).toEqual({ type: 'pong' });

    const info = await management.send(new GetConnectionCommand({ ConnectionId: id }));
    expect(info.ConnectedAt).toBeInstanceOf(Date);
    expect(info.LastActiveAt!.getTime()).toBeGreaterThanOrEqual(info.ConnectedAt!.getTime());
    expect(info.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: expect.any(String) });
    await socket.close();
  });

  it('refuses data over the message limit with PayloadTooLargeException', async () => {
    const user = testUser();
    const socket = await stack.connect(user);
    const data = 'z'.repeat(LIMITS.frameMaxBytes + 1);
    const id = await stack.connectionIdOf(user);
    await expect(management.send(new PostToConnectionCommand({ ConnectionId: id, Data: data }))).rejects.toMatchObject({ name: 'PayloadTooLargeException' });
    await socket.close();
  });

  it('is closed to browsers (requests carrying an Origin)', async () => {
    const response = await fetch(`${stack.gateway.httpUrl}/@connections/anything`, { method: 'POST', body: 'x', headers: { origin: ALLOWED } });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
  });
});

describe('HTTP API emulation', () => {
  it('answers CORS preflight for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.gateway.httpUrl}/tickets`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight(ALLOWED);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(Number(allowed.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    const denied = await preflight('http://evil.test');
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('echoes an allowed Origin on every response, the 401 included, and never a foreign one', async () => {
    const token = await stack.tokenFor(testUser());
    const ok = await stack.api('/rooms/general/messages', { token, headers: { origin: ALLOWED } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const unauthorized = await stack.api('/tickets', { method: 'POST', headers: { origin: ALLOWED } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const foreign = await stack.api('/rooms/general/messages', { token, headers: { origin: 'http://evil.test' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a second gateway in the same process (the handlers hold one set of clients)', async () => {
    await expect(startGateway({ verifyJwt: async () => ({}), allowedOrigins: [], handlerEnv: stack.dynamo.handlerEnv })).rejects.toThrow(/already runs/);
  });

  it('accepts the token with or without the Bearer prefix, as HTTP API does', async () => {
    const token = await stack.tokenFor(testUser());
    const raw = await stack.api('/rooms/general/messages', { headers: { authorization: token } });
    expect(raw.status).toBe(200);
    const empty = await stack.api('/rooms/general/messages', { headers: { authorization: 'Bearer ' } });
    expect(empty.status).toBe(401);
  });

  it('answers unknown routes and methods with 404 Not Found before checking auth', async () => {
    for (const [method, path] of [['GET', '/nope'], ['DELETE', '/tickets'], ['GET', '/tickets'], ['GET', '/rooms//messages']] as const) {
      const reply = await stack.api(path, { method });
      expect(reply).toMatchObject({ status: 404, json: { message: 'Not Found' } });
    }
  });

  it('refuses bodies over 10 MB with 413', async () => {
    const reply = await stack.api('/rooms/general/messages', { method: 'POST', token: await stack.tokenFor(testUser()), body: 'a'.repeat(10 * 1024 * 1024 + 1) });
    expect(reply.status).toBe(413);
  });
});

describe('WebSocket API emulation', () => {
  it('selects routes on $request.body.action', () => {
    expect(selectRoute('{"action":"sendMessage","body":"x"}')).toBe('sendMessage');
    expect(selectRoute('{"action":"ping"}')).toBe('ping');
    for (const body of ['{"action":"other"}', '{}', 'null', 'not json', '{"action":7}']) expect(selectRoute(body)).toBe('$default');
  });

  it('refuses handshakes on other paths with 404', async () => {
    const ticket = await stack.ticketFor(testUser());
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${stack.gateway.webSocketUrl}/elsewhere?ticket=${ticket}`);
      ws.on('unexpected-response', (_req, res) => (res.resume(), ws.terminate(), resolve(res.statusCode ?? 0)));
      ws.on('error', () => resolve(-1));
    });
    expect(status).toBe(404);
  });

  it('refuses a malformed upgrade with 400 before the authorizer runs, so the ticket survives', async () => {
    const user = testUser();
    const ticket = await stack.ticketFor(user);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${stack.gateway.httpUrl}/?ticket=${ticket}`, { headers: { connection: 'Upgrade', upgrade: 'websocket' } });
      req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0)));
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
    const socket = await stack.openSocket({ ticket });
    await socket.close();
  });

  it('evaluates the authorizer policy like IAM: explicit Deny wins, an Allow is required', () => {
    const arn = 'arn:aws:execute-api:us-east-1:000000000000:local/local/$connect';
    const policy = (...statements: Array<['Allow' | 'Deny', string]>) => ({
      principalId: 'p',
      policyDocument: { Version: '2012-10-17', Statement: statements.map(([Effect, Resource]) => ({ Effect, Action: 'execute-api:Invoke', Resource })) },
    });
    expect(policyAllows(policy(['Allow', arn]), arn)).toBe(true);
    expect(policyAllows(policy(['Allow', 'arn:aws:execute-api:us-east-1:000000000000:local/*']), arn)).toBe(true);
    expect(policyAllows(policy(['Allow', arn], ['Deny', '*']), arn)).toBe(false);
    expect(policyAllows(policy(['Allow', 'arn:aws:execute-api:us-east-1:000000000000:other/*']), arn)).toBe(false);
    expect(policyAllows(policy(), arn)).toBe(false);
  });
});
