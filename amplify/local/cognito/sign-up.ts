/**
 * Sign-up rules cognito-local skips but Cognito enforces, so the local app fails the same way:
 * the password policy and required attributes are checked before SignUp is forwarded, and
 * ConfirmSignUp marks the e-mail verified (Cognito does; without it Amplify UI asks the user to
 * verify their e-mail again after every sign-in).
 */
import { LOCAL_PASSWORD_POLICY } from '../outputs';
import { REQUIRED_ATTRIBUTES } from './pool-settings';
import { cognitoRpc } from './rpc';

/** A Cognito-shaped rejection (`__type` + message, HTTP 400). */
export interface Rejection {
  readonly __type: string;
  readonly message: string;
}

/** Checks a SignUp request body; returns the error Cognito would answer, or undefined when it may go on. */
export function checkSignUp(body: Record<string, unknown>): Rejection | undefined {
  const attributes = Array.isArray(body.UserAttributes)
    ? (body.UserAttributes as Array<{ Name?: unknown; Value?: unknown }>)
    : [];
  const present = new Set(attributes.filter((a) => typeof a.Value === 'string' && a.Value.trim()).map((a) => a.Name));
  // Email is the username attribute: a username that is an e-mail stands in for the attribute.
  if (typeof body.Username === 'string' && body.Username.includes('@')) present.add('email');
  const missing = REQUIRED_ATTRIBUTES.filter((name) => !present.has(name));
  if (missing.length > 0) {
    const detail = missing.map((name) => `${name}: The attribute ${name} is required`).join(', ');
    return { __type: 'InvalidParameterException', message: `Attributes did not conform to the schema: ${detail}` };
  }
  return checkPassword(body.Password);
}

/** The password policy alone (ConfirmForgotPassword sets a new password too); undefined when it passes. */
export function checkPassword(password: unknown): Rejection | undefined {
  const problem = passwordProblem(typeof password === 'string' ? password : '');
  return problem
    ? { __type: 'InvalidPasswordException', message: `Password did not conform with policy: ${problem}` }
    : undefined;
}

/** Cognito's wording for the first rule a password breaks. */
function passwordProblem(password: string): string | undefined {
  const policy = LOCAL_PASSWORD_POLICY;
  if (password.length < policy.min_length) return 'Password not long enough';
  if (policy.require_lowercase && !/[a-z]/.test(password)) return 'Password must have lowercase characters';
  if (policy.require_uppercase && !/[A-Z]/.test(password)) return 'Password must have uppercase characters';
  if (policy.require_numbers && !/[0-9]/.test(password)) return 'Password must have numeric characters';
  // Cognito's symbol set: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and space.
  if (policy.require_symbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(password)) {
    return 'Password must have symbol characters';
  }
  return undefined;
}

/** After a successful ConfirmSignUp: sets email_verified=true on that user, as Cognito does. */
export async function markEmailVerified(cognitoUrl: string, userPoolId: string, username: string): Promise<void> {
  const user = await cognitoRpc<{ UserAttributes?: Array<{ Name: string; Value?: string }> }>(
    cognitoUrl,
    'AdminGetUser',
    {
      UserPoolId: userPoolId,
      Username: username,
    },
  );
  const email = user.UserAttributes?.find((a) => a.Name === 'email')?.Value;
  if (!email) return;
  // cognito-local only accepts email_verified together with email.
  await cognitoRpc(cognitoUrl, 'AdminUpdateUserAttributes', {
    UserPoolId: userPoolId,
    Username: username,
    UserAttributes: [
      { Name: 'email', Value: email },
      { Name: 'email_verified', Value: 'true' },
    ],
  });
}
