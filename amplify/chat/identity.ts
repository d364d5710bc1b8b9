/** Who is acting. Always built from a verified token or ticket, never from a request body. */
export interface ChatUser {
  readonly userId: string;
  readonly displayName: string;
}

/** Fallback for tokens without a display name claim. */
export const ANONYMOUS_NAME = 'Someone';

/**
 * Builds the user from verified Cognito ID-token claims (as API Gateway's JWT authorizer passes them).
 * Returns undefined when the token is not an ID token or the subject is missing.
 */
export function userFromClaims(claims: Record<string, unknown> | undefined): ChatUser | undefined {
  // API Gateway's JWT authorizer also lets Cognito ACCESS tokens through (it matches `client_id` as the
  // audience); only an ID token names the person, so anything else is refused here.
  if (claims?.token_use !== 'id') return undefined;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) return undefined;
  const name = claims?.preferred_username ?? claims?.name ?? claims?.email;
  const displayName = typeof name === 'string' && name.trim() ? name.trim() : ANONYMOUS_NAME;
  return { userId: sub, displayName };
}
