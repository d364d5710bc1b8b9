/**
 * Nobody gets in who shouldn't: the full matrix of bad credentials against every HTTP route and the
 * WebSocket handshake, on the real local stack (cognito-local user pools, the JWT verifier `npm start`
 * uses, the gateway, the handlers, dynalite). Each attempt must be refused with 401 and write nothing: no DynamoDB
 * write request leaves this process (the gateway runs the handlers here; counted at the wire, and a positive control
 * proves the count sees them), and every table is exactly as it was after each group (a full scan). Positive
 * controls prove the same requests succeed with a good credential.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, generateKeyPair, importJWK, type JWTPayload } from 'jose';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../local/stack';
import { TestSocket, eventually, withoutRef } from '../local/testing';
import { ErrorCode, HttpRoutes, PROTOCOL_QUERY, PROTOCOL_VERSION, Paths, dmRoomId } from '../../lib/protocol';
import type { HttpEvent } from '../chat/http';
import { hashTicket, issueTicket } from '../chat/tickets';
import { foreignPoolIdToken, newAccount, signUpAndSignIn, type CognitoTokens } from './cognito-session';
import { tableSnapshots, type TableSnapshot } from './table-snapshot';
import { RequestCounter, diff, type Counts } from '../../bench/counters';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let stack: LocalStack;
let tables: ReturnType<typeof tableSnapshots>;
let requests: RequestCounter;
let tokens: CognitoTokens;
let friendTokens: CognitoTokens;
let foreignToken: string;

/** A call with a good token (set-up and the room matrix). */
const bearerFetch = (token: string, path: string, init: RequestInit = {}) =>
  fetch(`${stack.gateway.httpUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
/** Signs claims with cognito-local's own key (shipped in its package): a token only the issuer could mint. */
let signAsIssuer: (claims: JWTPayload, expiresIn?: string | number) => Promise<string>;

beforeAll(async () => {
  stack = await startLocalStack();
  tables = tableSnapshots(stack.dynamoEndpoint);
  requests = new RequestCounter();
  tokens = await signUpAndSignIn(stack.cognito, newAccount('victim', 'Victim'));
  friendTokens = await signUpAndSignIn(stack.cognito, newAccount('friend', 'Friend'));
  // Both land in `general` (their first "my rooms"), so they share a room; `auth-leave` is for leave/remove controls.
  for (const t of [tokens, friendTokens]) expect((await bearerFetch(t.idToken, '/me/rooms')).status).toBe(200);
  expect((await bearerFetch(tokens.idToken, '/rooms', { method: 'POST', body: JSON.stringify({ name: 'auth-leave', visibility: 'public' }) })).status).toBe(201);
  foreignToken = await foreignPoolIdToken(stack.cognito);
  const keyFile = createRequire(import.meta.url).resolve('cognito-local/lib/keys/cognitoLocal.private.json');
  const { jwk } = JSON.parse(readFileSync(keyFile, 'utf8')) as { jwk: { kid: string } & Record<string, string> };
  const issuerKey = await importJWK(jwk, 'RS256');
  signAsIssuer = (claims, expiresIn = '1h') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).setIssuedAt().setExpirationTime(expiresIn).sign(issuerKey);
}, 60_000);
afterAll(async () => {
  requests?.stop();
  tables?.destroy();
  await stack?.stop();
});

/** DynamoDB operations that change a table. */
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
/**
 * The DynamoDB write requests (by operation) made since `before`. Cheaper than two full scans per attempt (the matrix
 * has ~300), and stricter: a write that leaves the same item behind is still a write.
 */
const writesSince = (before: Counts) => Object.fromEntries(Object.entries(diff(requests.snapshot(), before).dynamo).filter(([op]) => WRITES.has(op)));

/** Scans every table at the start of a group and, in the group's last test, proves nothing changed since. */
function tablesUnchangedByGroup(): () => Promise<void> {
  let start: TableSnapshot;
  beforeAll(async () => {
    start = await tables.take();
  });
  return async () => expect(await tables.take()).toEqual(start);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const idClaims = () => decodeJwt(tokens.idToken);

/** Every bad bearer credential, built from genuine material wherever possible. */
const badTokens: Array<[string, () => Promise<string | undefined> | string | undefined]> = [
  ['no Authorization header', () => undefined],
  ['an empty bearer', () => ''],
  ['random bytes shaped like a JWT', () => [b64({ alg: 'RS256', kid: 'CognitoLocal' }), b64(idClaims()), randomBytes(256).toString('base64url')].join('.')],
  ['garbage', () => 'not-a-jwt'],
  ['an ID token from another user pool', () => foreignToken],
  // One claim wrong at a time (the foreign-pool token above differs in issuer AND audience): each check must hold alone.
  ['a token from the right key and issuer with the wrong audience (audience only)', () => signAsIssuer({ ...idClaims(), aud: 'some-other-client' }, '1h')],
  ['a token from the right key and audience with another issuer (issuer only)', () => signAsIssuer({ ...idClaims(), iss: `${idClaims().iss}-other` }, '1h')],
  ['an access token of another app client (client_id only)', () => signAsIssuer({ ...decodeJwt(tokens.accessToken), client_id: 'some-other-client' }, '1h')],
  ['a token from the right key and issuer that has expired', () => signAsIssuer({ ...idClaims(), iat: undefined, exp: undefined }, '-5m')],
  ['an access token instead of an ID token', () => tokens.accessToken],
  ['the refresh token', () => tokens.refreshToken],
  ['alg:none with genuine claims', () => `${b64({ alg: 'none', typ: 'JWT' })}.${tokens.idToken.split('.')[1]}.`],
  ['a tampered payload (another sub) with the original signature', () => {
    const [header, , signature] = tokens.idToken.split('.');
    return `${header}.${b64({ ...idClaims(), sub: '00000000-0000-0000-0000-000000000000' })}.${signature}`;
  }],
  ['a tampered payload (later exp) with the original signature', () => {
    const [header, , signature] = tokens.idToken.split('.');
    return `${header}.${b64({ ...idClaims(), exp: (idClaims().exp ?? 0) + 86_400 })}.${signature}`;
  }],
  ['a token signed by a stranger key under the issuer key id', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    return new SignJWT(idClaims()).setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' }).sign(privateKey);
  }],
  ['HS256 keyed with the public JWKS (algorithm confusion)', async () => {
    const jwks = await (await fetch(stack.cognito.jwksUrl)).text();
    return new SignJWT(idClaims()).setProtectedHeader({ alg: 'HS256', kid: 'CognitoLocal' }).sign(new TextEncoder().encode(jwks));
  }],
];

const messagesHandler = () => import('../functions/get-messages/handler');
const roomsHandler = () => import('../functions/rooms/handler');
const sub = (t: () => CognitoTokens) => String(decodeJwt(t().idToken).sub);
/**
 * Every HTTP route (HttpRoutes), each with a request that succeeds for the right person: the positive control. Paths
 * and bodies are built lazily (they name users who only exist once beforeAll ran).
 */
const routes: Array<{
  name: string;
  method: string;
  path: () => string;
  params: () => Record<string, string> | undefined;
  body: () => string | undefined;
  ok: readonly number[];
  load: () => Promise<{ handler: (event: HttpEvent) => Promise<{ statusCode?: number; body?: string }> }>;
}> = [
  { name: 'POST /tickets', method: 'POST', path: () => `/tickets?${PROTOCOL_QUERY}=${PROTOCOL_VERSION}`, params: () => undefined, body: () => undefined, ok: [201], load: () => import('../functions/create-ticket/handler') },
  { name: 'GET /rooms/{roomId}/messages', method: 'GET', path: () => '/rooms/general/messages', params: () => ({ roomId: 'general' }), body: () => undefined, ok: [200], load: messagesHandler },
  { name: 'GET /rooms/{roomId}/changes', method: 'GET', path: () => '/rooms/general/changes', params: () => ({ roomId: 'general' }), body: () => undefined, ok: [200], load: messagesHandler },
  {
    name: 'POST /rooms/{roomId}/messages',
    method: 'POST',
    path: () => '/rooms/general/messages',
    params: () => ({ roomId: 'general' }),
    body: () => JSON.stringify({ body: 'let me in' }),
    ok: [201],
    load: () => import('../functions/store-message/handler'),
  },
  { name: 'GET /me/rooms', method: 'GET', path: () => '/me/rooms', params: () => undefined, body: () => undefined, ok: [200], load: roomsHandler },
  { name: 'GET /rooms', method: 'GET', path: () => '/rooms', params: () => undefined, body: () => undefined, ok: [200], load: roomsHandler },
  { name: 'POST /rooms', method: 'POST', path: () => '/rooms', params: () => undefined, body: () => JSON.stringify({ name: 'Matrix', visibility: 'private' }), ok: [201], load: roomsHandler },
  { name: 'GET /rooms/{roomId}', method: 'GET', path: () => '/rooms/general', params: () => ({ roomId: 'general' }), body: () => undefined, ok: [200], load: roomsHandler },
  { name: 'PUT /rooms/{roomId}/membership', method: 'PUT', path: () => '/rooms/general/membership', params: () => ({ roomId: 'general' }), body: () => undefined, ok: [200], load: roomsHandler },
  { name: 'GET /rooms/{roomId}/members', method: 'GET', path: () => '/rooms/general/members', params: () => ({ roomId: 'general' }), body: () => undefined, ok: [200], load: roomsHandler },
  {
    name: 'POST /rooms/{roomId}/members',
    method: 'POST',
    path: () => '/rooms/general/members',
    params: () => ({ roomId: 'general' }),
    body: () => JSON.stringify({ userId: sub(() => friendTokens) }),
    ok: [200],
    load: roomsHandler,
  },
  {
    name: 'PUT /rooms/{roomId}/read',
    method: 'PUT',
    path: () => '/rooms/general/read',
    params: () => ({ roomId: 'general' }),
    body: () => JSON.stringify({ messageId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }),
    ok: [200],
    load: roomsHandler,
  },
  { name: 'PUT /rooms/{roomId}/mute', method: 'PUT', path: () => '/rooms/general/mute', params: () => ({ roomId: 'general' }), body: () => JSON.stringify({ muted: false }), ok: [200], load: roomsHandler },
  { name: 'POST /dms', method: 'POST', path: () => '/dms', params: () => undefined, body: () => JSON.stringify({ userId: sub(() => friendTokens) }), ok: [200, 201], load: roomsHandler },
  { name: 'DELETE /rooms/{roomId}/membership', method: 'DELETE', path: () => '/rooms/auth-leave/membership', params: () => ({ roomId: 'auth-leave' }), body: () => undefined, ok: [204], load: roomsHandler },
  {
    name: 'DELETE /rooms/{roomId}/members/{userId}',
    method: 'DELETE',
    path: () => `/rooms/auth-leave/members/${sub(() => tokens)}`,
    params: () => ({ roomId: 'auth-leave', userId: sub(() => tokens) }),
    body: () => undefined,
    ok: [204],
    load: roomsHandler,
  },
];

it('covers every HTTP route of the protocol', () => {
  expect(routes.map((r) => r.name).sort()).toEqual(Object.values(HttpRoutes).map((r) => `${r.method} ${r.path}`).sort());
});

async function call(route: (typeof routes)[number], token: string | undefined, scheme = 'Bearer ') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `${scheme}${token}`;
  return fetch(`${stack.gateway.httpUrl}${route.path()}`, { method: route.method, headers, body: route.body() });
}

describe.each(routes)('$name refuses', (route) => {
  const unchanged = tablesUnchangedByGroup();
  it.each(badTokens)('%s: 401, and no table changes', async (name, make) => {
    const token = await make();
    const before = requests.snapshot();
    const reply = await call(route, token);
    expect(reply.status).toBe(401);
    // Like API Gateway's JWT authorizer, the gateway lets an access token of our client through and the
    // handler refuses it with a typed error; every other bad token stops at the authorizer.
    const refusedByHandler = name === 'an access token instead of an ID token';
    expect(await reply.json()).toEqual(
      refusedByHandler ? { error: { code: ErrorCode.Unauthorized, message: expect.any(String), ref: expect.any(String) } } : { message: 'Unauthorized' },
    );
    expect(writesSince(before)).toEqual({});
  });

  it('leaves every table exactly as it was after all of them', unchanged);

  it('but serves the genuine ID token (positive control), with or without the Bearer prefix', async () => {
    const before = requests.snapshot();
    expect(route.ok).toContain((await call(route, tokens.idToken)).status);
    // The write count above sees this route's handler: a served request reaches the database from this process.
    expect(diff(requests.snapshot(), before).dynamoTotal).toBeGreaterThan(0);
    expect(route.ok).toContain((await call(route, tokens.idToken, '')).status);
    // The forger above is faithful: with the right audience and a live expiry its token is accepted.
    expect(route.ok).toContain((await call(route, await signAsIssuer({ ...idClaims(), iat: undefined, exp: undefined }))).status);
  });
});

/** The event API Gateway's HTTP API would hand the route's Lambda once ITS authorizer accepted a token with `claims`. */
function eventBehindAwsAuthorizer(route: (typeof routes)[number], claims: JWTPayload): HttpEvent {
  // HTTP API passes every claim as a string.
  const passed = Object.fromEntries(Object.entries(claims).map(([key, value]) => [key, String(value)]));
  return {
    version: '2.0',
    routeKey: route.name,
    rawPath: route.path().split('?')[0],
    rawQueryString: route.path().split('?')[1] ?? '',
    ...(route.path().includes('?') ? { queryStringParameters: Object.fromEntries(new URLSearchParams(route.path().split('?')[1])) } : {}),
    headers: { 'content-type': 'application/json' },
    pathParameters: route.params(),
    body: route.body(),
    isBase64Encoded: false,
    requestContext: { requestId: randomUUID(), routeKey: route.name, authorizer: { jwt: { claims: passed, scopes: [] } } },
  } as unknown as HttpEvent;
}

describe.each(routes)('$name behind the AWS authorizer', (route) => {
  // HTTP API's JWT authorizer accepts an access token whose client_id is the audience; calling the handler
  // with exactly API Gateway's event proves the deployed path too.
  it('refuses an access token itself: 401 UNAUTHORIZED, and no table changes', async () => {
    const { handler } = await route.load();
    const before = requests.snapshot();
    const result = await handler(eventBehindAwsAuthorizer(route, decodeJwt(tokens.accessToken)));
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body ?? '{}')).toMatchObject({ error: { code: ErrorCode.Unauthorized } });
    expect(writesSince(before)).toEqual({});
  });

  it('but serves the ID token (positive control)', async () => {
    const { handler } = await route.load();
    expect(route.ok).toContain((await handler(eventBehindAwsAuthorizer(route, idClaims()))).statusCode);
  });
});

/** Opens a socket with `query`; resolves to 101 once open (and closes it), or to the refusal's status. */
function handshake(query: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${stack.gateway.webSocketUrl}/?${new URLSearchParams(query)}`);
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      resolve(res.statusCode ?? 0);
    });
    ws.on('error', reject);
  });
}

const ticketOf = async (token: string) => (await (await call(routes[0]!, token)).json()).ticket as string;

describe('the WebSocket handshake refuses', () => {
  const cases: Array<[string, () => Promise<Record<string, string>>]> = [
    ['no ticket', async () => ({})],
    ['an empty ticket', async () => ({ ticket: '' })],
    ['a forged random ticket', async () => ({ ticket: randomBytes(32).toString('base64url') })],
    ['the stored hash of a live ticket instead of the ticket', async () => ({ ticket: hashTicket(await ticketOf(tokens.idToken)) })],
    ['a Cognito ID token where the ticket belongs', async () => ({ ticket: tokens.idToken })],
    ['a replayed ticket (already used once)', async () => {
      const ticket = await ticketOf(tokens.idToken);
      expect(await handshake({ ticket })).toBe(101);
      // Let the first socket's $disconnect finish, so only the replay can change anything.
      await eventually(async () => stack.gateway.openConnections().length === 0 && (await tables.take()).Connections?.length === 0);
      return { ticket };
    }],
  ];

  it.each(cases)('%s: 401, no connection row, tickets untouched', async (_name, make) => {
    const query = await make();
    const before = await tables.take();
    expect(await handshake(query)).toBe(401);
    expect(await tables.take()).toEqual(before);
  });

  it('an expired ticket: 401 and no connection row (the refused ticket is deleted, never reusable)', async () => {
    const { sub } = idClaims();
    const { ticket } = await issueTicket({ userId: sub!, displayName: 'Victim' }, Date.now() - 5 * 60_000);
    const before = await tables.take();
    expect(await handshake({ ticket })).toBe(401);
    const after = await tables.take();
    expect(after.Connections).toEqual(before.Connections);
    expect(after.Tickets?.some((row) => row.includes(hashTicket(ticket)))).toBe(false);
  });
});

describe('a private room or DM, to a signed-in person who is not a member', () => {
  let intruder: CognitoTokens;
  let privateId: string;
  let dmId: string;
  const missingPrivate = 'p_01hzzzzzzzzzzzzzzzzzzzzzzz';
  const missingDm = dmRoomId(randomUUID(), randomUUID());

  beforeAll(async () => {
    intruder = await signUpAndSignIn(stack.cognito, newAccount('intruder', 'Intruder'));
    // The intruder shares `general` with the victim: they could DM or add each other, but not see each other's rooms.
    expect((await bearerFetch(intruder.idToken, '/me/rooms')).status).toBe(200);
    privateId = (await (await bearerFetch(tokens.idToken, '/rooms', { method: 'POST', body: JSON.stringify({ name: 'Secret', visibility: 'private' }) })).json()).room.roomId;
    dmId = (await (await bearerFetch(tokens.idToken, '/dms', { method: 'POST', body: JSON.stringify({ userId: sub(() => friendTokens) }) })).json()).room.roomId;
    for (const roomId of [privateId, dmId]) {
      expect((await bearerFetch(tokens.idToken, Paths.roomMessages(roomId), { method: 'POST', body: JSON.stringify({ body: 'members only' }) })).status).toBe(201);
    }
  }, 60_000);

  /** Every room path over HTTP, as the intruder. */
  const probes = (roomId: string): Array<[string, string, string, unknown]> => [
    ['history', 'GET', Paths.roomMessages(roomId), undefined],
    ['send', 'POST', Paths.roomMessages(roomId), { body: 'hi' }],
    ['room info', 'GET', Paths.room(roomId), undefined],
    ['members', 'GET', Paths.members(roomId), undefined],
    ['adding themselves', 'POST', Paths.members(roomId), { userId: sub(() => intruder) }],
    ['joining', 'PUT', Paths.membership(roomId), undefined],
    ['read position', 'PUT', Paths.read(roomId), { messageId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }],
    ['mute', 'PUT', Paths.mute(roomId), { muted: true }],
    ['removing a member', 'DELETE', Paths.member(roomId, sub(() => tokens)), undefined],
  ];

  it.each([
    ['a private room', () => privateId, missingPrivate],
    ['a DM', () => dmId, missingDm],
  ])('%s: every HTTP path answers exactly like a missing room, and no table changes', async (_kind, room, missing) => {
    const before = await tables.take();
    const real = probes(room());
    const absent = probes(missing);
    for (let i = 0; i < real.length; i++) {
      const [what, method, path, body] = real[i]!;
      const init = { method, body: body === undefined ? undefined : JSON.stringify(body) };
      const [got, wanted] = [await bearerFetch(intruder.idToken, path, init), await bearerFetch(intruder.idToken, absent[i]![2], init)];
      const [gotBody, wantedBody] = [withoutRef(await got.json()), withoutRef(await wanted.json())];
      expect({ what, status: got.status, body: gotBody }).toEqual({ what, status: 404, body: wantedBody });
      expect(gotBody.error.code).toBe(ErrorCode.NotFound);
    }
    expect(await tables.take()).toEqual(before);
    // And it is not among their rooms, with no unread count.
    const mine = (await (await bearerFetch(intruder.idToken, '/me/rooms')).json()).rooms as Array<{ room: { roomId: string } }>;
    expect(mine.map((r) => r.room.roomId)).not.toContain(room());
  });

  it.each([
    ['a private room', () => privateId, missingPrivate],
    ['a DM', () => dmId, missingDm],
  ])('%s: every socket frame answers exactly like a missing room; nothing stored, nothing received', async (_kind, room, missing) => {
    const ticket = await ticketOf(intruder.idToken);
    const socket = new TestSocket(new WebSocket(`${stack.gateway.webSocketUrl}/?${new URLSearchParams({ ticket })}`));
    await new Promise((resolve, reject) => socket.ws.once('open', resolve).once('error', reject));
    await socket.settle();
    const frames = (roomId: string) => [
      { action: 'subscribe', roomIds: [roomId] },
      { action: 'sendMessage', roomId, body: 'hi', clientMessageId: 'intruder-0001' },
      { action: 'presence', roomId },
      { action: 'typing', roomId },
      { action: 'markRead', roomId, messageId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
    ];
    /** The answer to one frame, with the room id (which differs by construction) taken out. */
    const answer = async (frame: Record<string, unknown>) => {
      socket.send(frame);
      const reply = await socket.next((f) => f.type === 'error' || f.type === 'subscribed');
      return withoutRef(JSON.parse(JSON.stringify(reply).replaceAll(String(frame.roomId ?? (frame.roomIds as string[])[0]), '<room>')));
    };
    const before = await tables.take();
    for (const [real, absent] of frames(room()).map((f, i) => [f, frames(missing)[i]!] as const)) {
      const got = await answer(real);
      expect(got).toEqual(await answer(absent));
      expect(JSON.stringify(got)).toContain(ErrorCode.NotFound);
    }
    expect(await tables.take()).toEqual(before);
    // A message in the room now reaches its members only.
    expect((await bearerFetch(tokens.idToken, Paths.roomMessages(room()), { method: 'POST', body: JSON.stringify({ body: 'still private' }) })).status).toBe(201);
    await socket.settle();
    expect(socket.pending()).toEqual([]);
    await socket.close();
  });
});
