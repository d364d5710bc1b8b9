/**
 * Cognito user pool: users sign in with their email and choose a display name at sign-up, which the
 * ID token carries as `preferred_username` (the HTTP handlers read it from the verified claims).
 * Emails go through SES when CHAT_EMAIL_FROM is set (amplify/settings.ts); amplify/stacks/production.ts
 * requires that (or an explicit opt-out) for branch deployments.
 */
import { defineAuth } from '@aws-amplify/backend';
import { readSettings } from '../settings';

const { email } = readSettings();

/** Email sign-in plus a required, changeable display name. */
export const auth = defineAuth({
  loginWith: { email: true },
  userAttributes: {
    preferredUsername: { required: true, mutable: true },
  },
  ...(email ? { senders: { email: { fromEmail: email.fromEmail } } } : {}),
});
