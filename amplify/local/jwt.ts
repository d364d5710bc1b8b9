/**
 * The local stand-in for API Gateway's HTTP API JWT authorizer (Cognito issuer). Like the real one it
 * checks the RS256 signature against the issuer's JWKS, `iss`, `aud` (or `client_id`) against the app
 * client, and `exp`/`nbf`. Like the real one it lets a Cognito ACCESS token of the app client through; the
 * handlers refuse anything but an ID token with a typed 401 (amplify/chat/identity.ts), so local and AWS
 * answer alike. Works for real Cognito and cognito-local alike: only the issuer differs.
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
    return claims;
  };
}
