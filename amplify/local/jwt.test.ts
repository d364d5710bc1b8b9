import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listen } from './net';
import { createJwtVerifier, InvalidTokenError } from './jwt';

// A real JWKS endpoint on a free port, serving the public half of a key made for this test.
const CLIENT_ID = 'client-123';
let server: Server;
let issuer: string;
let sign: (claims: JWTPayload, opts?: { kid?: string; exp?: string; iss?: string }) => Promise<string>;
let signWithStrangerKey: (claims: JWTPayload) => Promise<string>;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const stranger = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
  );
  issuer = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}/local_pool`;
  sign = (claims, opts = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'k1' })
      .setIssuer(opts.iss ?? issuer)
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '1h')
      .sign(privateKey);
  signWithStrangerKey = (claims) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(stranger.privateKey);
});
afterAll(() => closeServer(server));

const idClaims = {
  sub: 'user-1',
  aud: CLIENT_ID,
  token_use: 'id',
  email: 'a@example.com',
  preferred_username: 'alice',
};

describe('createJwtVerifier', () => {
  it('accepts a valid ID token and resolves to its claims (JWKS at <issuer>/.well-known/jwks.json by default)', async () => {
    const verify = createJwtVerifier({ issuer, audience: CLIENT_ID });
    await expect(verify(await sign(idClaims))).resolves.toMatchObject({
      sub: 'user-1',
      preferred_username: 'alice',
      iss: issuer,
    });
  });

  it.each([
    ['wrong audience', () => sign({ ...idClaims, aud: 'other-client' })],
    ['other issuer', () => sign(idClaims, { iss: 'http://127.0.0.1:1/local_other' })],
    ['expired', () => sign(idClaims, { exp: '-1m' })],
    ['no subject', () => sign({ aud: CLIENT_ID, token_use: 'id' })],
    ['a key outside the JWKS', () => signWithStrangerKey(idClaims)],
  ])('rejects %s', async (_name, make) => {
    const verify = createJwtVerifier({ issuer, audience: CLIENT_ID });
    await expect(verify(await make())).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it("lets an access token of the app client through, as API Gateway's JWT authorizer does (handlers refuse it)", async () => {
    const verify = createJwtVerifier({ issuer, audience: CLIENT_ID });
    await expect(verify(await sign({ sub: 'user-1', client_id: CLIENT_ID, token_use: 'access' }))).resolves.toMatchObject({
      token_use: 'access',
    });
  });

  it('checks every audience of a multi-audience token, and refuses a token with neither aud nor client_id', async () => {
    const verify = createJwtVerifier({ issuer, audience: CLIENT_ID });
    await expect(verify(await sign({ ...idClaims, aud: ['other-client', CLIENT_ID] }))).resolves.toMatchObject({ sub: 'user-1' });
    await expect(verify(await sign({ ...idClaims, aud: ['other-client', 'third'] }))).rejects.toThrow('Unauthorized: wrong audience');
    await expect(verify(await sign({ sub: 'user-1', token_use: 'id' }))).rejects.toThrow('Unauthorized: wrong audience');
    // aud wins over client_id when both are present (API Gateway checks aud first).
    await expect(verify(await sign({ ...idClaims, aud: 'other-client', client_id: CLIENT_ID }))).rejects.toThrow('Unauthorized: wrong audience');
  });

  it('names the reason (the jose error code), never more', async () => {
    const verify = createJwtVerifier({ issuer, audience: CLIENT_ID });
    await expect(verify(await sign(idClaims, { exp: '-1m' }))).rejects.toThrow('Unauthorized: ERR_JWT_EXPIRED');
    await expect(verify(await sign(idClaims, { iss: 'http://127.0.0.1:1/other' }))).rejects.toThrow('Unauthorized: ERR_JWT_CLAIM_VALIDATION_FAILED');
    await expect(verify('not-a-jwt')).rejects.toThrow('Unauthorized: ERR_JWS_INVALID');
    const error = await verify('not-a-jwt').catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'InvalidTokenError' });
  });

  it('a failure without a jose code (the key set cannot be fetched) is refused in generic words', async () => {
    const unreachable = createJwtVerifier({ issuer, audience: CLIENT_ID, jwksUrl: 'http://127.0.0.1:1/jwks.json' });
    const error = await unreachable(await sign(idClaims)).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'InvalidTokenError', message: 'Unauthorized: invalid token' });
  });

  it('accepts only RS256 (an HS256 token is refused even with a matching key id)', async () => {
    const verify = createJwtVerifier({ issuer, audience: CLIENT_ID });
    const { SignJWT: Sign } = await import('jose');
    const hs = await new Sign(idClaims).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setIssuer(issuer).setExpirationTime('1h').sign(new TextEncoder().encode('x'.repeat(32)));
    await expect(verify(hs)).rejects.toThrow(/^Unauthorized: /);
  });

  it('rejects a tampered payload, an unsigned token and garbage', async () => {
    const verify = createJwtVerifier({ issuer, audience: CLIENT_ID });
    const [header, , signature] = (await sign(idClaims)).split('.');
    const forged = Buffer.from(JSON.stringify({ ...idClaims, sub: 'admin', iss: issuer, exp: 9e9 })).toString(
      'base64url',
    );
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${forged}.`;
    for (const token of [`${header}.${forged}.${signature}`, none, 'not-a-jwt']) {
      await expect(verify(token)).rejects.toThrow(/^Unauthorized: /);
    }
  });

  it('never puts the token in the error message', async () => {
    const token = await sign({ ...idClaims, aud: 'other-client' });
    const error = await createJwtVerifier({ issuer, audience: CLIENT_ID })(token).catch((e: Error) => e);
    expect(String((error as Error).message)).not.toContain(token.slice(0, 20));
  });
});
