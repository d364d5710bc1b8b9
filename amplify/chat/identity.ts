/** Who is acting. Always built from a verified token or ticket, never from a request body. */
export interface ChatUser {
  readonly userId: string;
  readonly displayName: string;
}

/** Fallback for tokens without a display name claim. */
const ANONYMOUS_NAME = 'Someone';

/**
 * Builds the user from verified Cognito ID-token claims (as API Gateway's JWT authorizer passes them).
 * Returns undefined when the subject is missing.
 */
export function userFromClaims(claims: Record<string, unknown> | undefined): ChatUser | undefined {
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) return undefined;
  const name = claims?.preferred_username ?? claims?.name ?? claims?.email;
  const displayName = typeof name === 'string' && name.trim() ? name.trim() : ANONYMOUS_NAME;
  return { userId: sub, displayName };
}
