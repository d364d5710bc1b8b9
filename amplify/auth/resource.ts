/**
 * Cognito user pool: users sign in with their email and choose a display name at sign-up, which the
 * ID token carries as `preferred_username` (the HTTP handlers read it from the verified claims).
 */
import { defineAuth } from '@aws-amplify/backend';

/** Email sign-in plus a required, changeable display name. */
export const auth = defineAuth({
  loginWith: { email: true },
  userAttributes: {
    preferredUsername: { required: true, mutable: true },
  },
});
