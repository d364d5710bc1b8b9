/**
 * The local stand-in for API Gateway's HTTP API JWT authorizer (Cognito issuer). Like the real one it
 * checks the RS256 signature against the issuer's JWKS, `iss`, `aud` (or `client_id`) against the app
 * client, and `exp`/`nbf`; it also requires `token_use: 'id'`, because the app sends the ID token (the
 * handlers read `preferred_username` and `email` from it). Works for real Cognito and cognito-local alike:
 * only the issuer differs.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';

/** A token the authorizer refuses (the gateway answers 401). The message names the reason, never the token. */
export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(`Unauthorized: ${reason}`);
    this.name = 'InvalidTokenError';
  }
}

/** Options: the pool's issuer, the app client id, and the JWKS URL (default `<issuer>/.well-known/jwks.json`). */
export interface JwtVerifierOptions {
  issuer: string;
  audience: string;
  jwksUrl?: string;
}

/**
 * Verifies a Cognito ID token the way API Gateway's HTTP JWT authorizer does and resolves to its claims;
 * rejects with {@link InvalidTokenError}. The JWKS is fetched once and cached (refetched for unknown keys).
 */
export function createJwtVerifier(opts: JwtVerifierOptions): (token: string) => Promise<Record<string, unknown>> {
  const jwks = createRemoteJWKSet(new URL(opts.jwksUrl ?? `${opts.issuer}/.well-known/jwks.json`));
  return async (token) => {
    let claims: Record<string, unknown>;
    try {
      // Cognito signs with RS256 only; pinning it rules out alg confusion.
      ({ payload: claims } = await jwtVerify(token, jwks, {
        issuer: opts.issuer,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw new InvalidTokenError((error as { code?: string }).code ?? 'invalid token');
    }
    // ID tokens carry `aud`; access tokens carry `client_id` instead. API Gateway accepts either.
    const audience = claims.aud ?? claims.client_id;
    const audiences = Array.isArray(audience) ? audience : [audience];
    if (!audiences.includes(opts.audience)) throw new InvalidTokenError('wrong audience');
    if (claims.token_use !== 'id') throw new InvalidTokenError('not an ID token');
    return claims;
  };
}
