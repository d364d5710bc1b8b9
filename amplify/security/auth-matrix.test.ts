/**
 * Nobody gets in who shouldn't: the full matrix of bad credentials against every HTTP route and the
 * WebSocket handshake, on the real local stack (cognito-local user pools, the JWT verifier `npm start`
 * uses, the gateway, the handlers, dynalite). Each attempt must be refused with 401 and leave every
 * table exactly as it was. Positive controls prove the same requests succeed with a good credential.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, generateKeyPair, importJWK, type JWTPayload } from 'jose';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../local/stack';
import { eventually } from '../local/testing';
import { ErrorCode } from '../../lib/protocol';
import type { HttpEvent } from '../chat/http';
import { hashTicket, issueTicket } from '../chat/tickets';
import { foreignPoolIdToken, newAccount, signUpAndSignIn, type CognitoTokens } from './cognito-session';
import { tableSnapshots } from './table-snapshot';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let stack: LocalStack;
let tables: ReturnType<typeof tableSnapshots>;
let tokens: CognitoTokens;
let foreignToken: string;
/** Signs claims with cognito-local's own key (shipped in its package): a token only the issuer could mint. */
let signAsIssuer: (claims: JWTPayload, expiresIn?: string | number) => Promise<string>;

beforeAll(async () => {
  stack = await startLocalStack();
  tables = tableSnapshots(stack.dynamoEndpoint);
  tokens = await signUpAndSignIn(stack.cognito, newAccount('victim', 'Victim'));
  foreignToken = await foreignPoolIdToken(stack.cognito);
  const keyFile = createRequire(import.meta.url).resolve('cognito-local/lib/keys/cognitoLocal.private.json');
  const { jwk } = JSON.parse(readFileSync(keyFile, 'utf8')) as { jwk: { kid: string } & Record<string, string> };
  const issuerKey = await importJWK(jwk, 'RS256');
  signAsIssuer = (claims, expiresIn = '1h') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).setIssuedAt().setExpirationTime(expiresIn).sign(issuerKey);
}, 60_000);
afterAll(async () => {
  tables?.destroy();
  await stack?.stop();
});

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

const routes = [
  { name: 'POST /tickets', path: '/tickets', method: 'POST', body: undefined, ok: 201, load: () => import('../functions/create-ticket/handler') },
  { name: 'GET /rooms/{roomId}/messages', path: '/rooms/general/messages', method: 'GET', body: undefined, ok: 200, load: () => import('../functions/get-messages/handler') },
  {
    name: 'POST /rooms/{roomId}/messages',
    path: '/rooms/general/messages',
    method: 'POST',
    body: JSON.stringify({ body: 'let me in' }),
    ok: 201,
    load: () => import('../functions/store-message/handler'),
  },
] as const;

async function call(route: (typeof routes)[number], token: string | undefined, scheme = 'Bearer ') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `${scheme}${token}`;
  return fetch(`${stack.gateway.httpUrl}${route.path}`, { method: route.method, headers, body: route.body });
}

describe.each(routes)('$name refuses', (route) => {
  it.each(badTokens)('%s: 401, and no table changes', async (name, make) => {
    const token = await make();
    const before = await tables.take();
    const reply = await call(route, token);
    expect(reply.status).toBe(401);
    // Like API Gateway's JWT authorizer, the gateway lets an access token of our client through and the
    // handler refuses it with a typed error; every other bad token stops at the authorizer.
    const refusedByHandler = name === 'an access token instead of an ID token';
    expect(await reply.json()).toEqual(
      refusedByHandler ? { error: { code: ErrorCode.Unauthorized, message: expect.any(String) } } : { message: 'Unauthorized' },
    );
    expect(await tables.take()).toEqual(before);
  });

  it('but serves the genuine ID token (positive control), with or without the Bearer prefix', async () => {
    expect((await call(route, tokens.idToken)).status).toBe(route.ok);
    expect((await call(route, tokens.idToken, '')).status).toBe(route.ok);
    // The forger above is faithful: with the right audience and a live expiry its token is accepted.
    expect((await call(route, await signAsIssuer({ ...idClaims(), iat: undefined, exp: undefined }))).status).toBe(route.ok);
  });
});

/** The event API Gateway's HTTP API would hand the route's Lambda once ITS authorizer accepted a token with `claims`. */
function eventBehindAwsAuthorizer(route: (typeof routes)[number], claims: JWTPayload): HttpEvent {
  // HTTP API passes every claim as a string.
  const passed = Object.fromEntries(Object.entries(claims).map(([key, value]) => [key, String(value)]));
  return {
    version: '2.0',
    routeKey: route.name,
    rawPath: route.path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    pathParameters: route.path === '/tickets' ? undefined : { roomId: 'general' },
    body: route.body,
    isBase64Encoded: false,
    requestContext: { requestId: randomUUID(), routeKey: route.name, authorizer: { jwt: { claims: passed, scopes: [] } } },
  } as unknown as HttpEvent;
}

describe.each(routes)('$name behind the AWS authorizer', (route) => {
  // HTTP API's JWT authorizer accepts an access token whose client_id is the audience; calling the handler
  // with exactly API Gateway's event proves the deployed path too.
  it('refuses an access token itself: 401 UNAUTHORIZED, and no table changes', async () => {
    const { handler } = await route.load();
    const before = await tables.take();
    const result = await handler(eventBehindAwsAuthorizer(route, decodeJwt(tokens.accessToken)));
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body ?? '{}')).toMatchObject({ error: { code: ErrorCode.Unauthorized } });
    expect(await tables.take()).toEqual(before);
  });

  it('but serves the ID token (positive control)', async () => {
    const { handler } = await route.load();
    expect((await handler(eventBehindAwsAuthorizer(route, idClaims()))).statusCode).toBe(route.ok);
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

const ticketOf = async (token: string) => (await (await call(routes[0], token)).json()).ticket as string;

describe('the WebSocket handshake refuses', () => {
  const cases: Array<[string, () => Promise<Record<string, string>>]> = [
    ['no ticket', async () => ({ room: 'general' })],
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
