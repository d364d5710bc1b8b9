import { LIMITS } from '../../lib/protocol';

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
  return { userId: sub, displayName: displayNameFrom(claims.preferred_username ?? claims.name) };
}

/** Control characters, and format characters that hide or reorder text (zero-width, bidi overrides). */
const UNSAFE_CHARS = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/gu;

/**
 * The name shown to the room. `preferred_username` is user-editable (up to 2,048 characters in Cognito) and
 * the sign-up form's limit is only a courtesy, so it is cleaned and capped here. Never the email: that
 * would show a user's address to everyone in the room.
 */
export function displayNameFrom(claim: unknown): string {
  if (typeof claim !== 'string' || !claim.isWellFormed()) return ANONYMOUS_NAME;
  const name = [...claim.replace(UNSAFE_CHARS, '').trim()].slice(0, LIMITS.displayNameMaxChars).join('').trim();
  return name || ANONYMOUS_NAME;
}
