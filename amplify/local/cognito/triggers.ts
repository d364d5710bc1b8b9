/**
 * The one "Lambda" cognito-local invokes: pre token generation. cognito-local's ID token carries only
 * sub, email, email_verified (mis-read: the string "false" becomes true) and custom:* attributes, while a
 * real Cognito ID token carries every readable standard attribute — the chat needs `preferred_username`
 * as the display name. This trigger adds them back, so tokens look like Cognito's.
 * cognito-local calls it with the AWS SDK v2 Lambda client: POST /2015-03-31/functions/<name>/invocations.
 */
import { PRE_TOKEN_TRIGGER } from './pool-settings';

/** Path of an SDK Lambda Invoke call; group 1 is the function name. */
export const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

// Claims cognito-local already sets (or that must not come from attributes).
const SKIPPED = new Set(['sub', 'email', 'email_verified', 'phone_number_verified']);

interface PreTokenEvent {
  triggerSource?: string;
  request?: { userAttributes?: Record<string, string> };
  response?: Record<string, unknown>;
}

/** Answers one Invoke: the event back with `response.claimsOverrideDetails` set, or undefined for unknown functions. */
export function invokeTrigger(functionName: string, event: PreTokenEvent): PreTokenEvent | undefined {
  if (decodeURIComponent(functionName) !== PRE_TOKEN_TRIGGER) return undefined;
  const attributes = event.request?.userAttributes ?? {};
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (!SKIPPED.has(name) && !name.startsWith('custom:') && !name.startsWith('cognito:')) claims[name] = value;
  }
  // Cognito's ID token has a real boolean here.
  if ('email' in attributes) claims.email_verified = attributes.email_verified === 'true';
  return { ...event, response: { claimsOverrideDetails: { claimsToAddOrOverride: claims } } };
}
