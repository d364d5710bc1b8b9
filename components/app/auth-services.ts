/**
 * Overrides for the Authenticator's calls into Amplify Auth. cognito-local (the local stack) has no SRP,
 * so there sign-in, and the automatic sign-in after confirming a sign-up, use USER_PASSWORD_AUTH.
 */
import { signIn, signUp, type SignInInput, type SignUpInput } from 'aws-amplify/auth';
import { usesPasswordAuth, type AppConfig } from '../../lib/config';

const PASSWORD_FLOW = 'USER_PASSWORD_AUTH' as const;

// Amplify's own signatures also accept a leading context argument; the Authenticator never passes one.
const passwordSignIn = ((input: SignInInput) =>
  // Keep flows the Authenticator chose itself (passwordless USER_AUTH); only the default SRP is replaced.
  signIn({ ...input, options: { ...input.options, authFlowType: input.options?.authFlowType ?? PASSWORD_FLOW } })) as typeof signIn;

const passwordSignUp = ((input: SignUpInput) => {
  const auto = input.options?.autoSignIn;
  if (!input.options || auto !== true) return signUp(input);
  return signUp({ ...input, options: { ...input.options, userAttributes: input.options.userAttributes ?? {}, autoSignIn: { authFlowType: PASSWORD_FLOW } } });
}) as typeof signUp;

/** Display names are shown to everyone: refuse blank ones before Cognito sees them. */
async function validateCustomSignUp(formData: Record<string, string>): Promise<Record<string, string> | undefined> {
  const name = formData.preferred_username;
  return name !== undefined && !name.trim() ? { preferred_username: 'Enter a display name' } : undefined;
}

/** The `services` prop for `<Authenticator>` in this environment. */
export function authServices(config: AppConfig) {
  return {
    validateCustomSignUp,
    ...(usesPasswordAuth(config) ? { handleSignIn: passwordSignIn, handleSignUp: passwordSignUp } : {}),
  };
}
