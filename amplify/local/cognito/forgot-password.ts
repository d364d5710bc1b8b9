/**
 * "Forgot your password?" on the local stack. cognito-local implements ForgotPassword and
 * ConfirmForgotPassword but mails nothing and skips the password policy, so the proxy:
 *   - reads the reset code from the pool file as soon as ForgotPassword answers (stdout may lag) and
 *     announces it like a sign-up code ("Password reset code for <email>: 123456");
 *   - refuses a new password that breaks the policy before cognito-local stores it, as Cognito does.
 */
import type { CodeDelivery } from './codes';
import { attributeOf, readStoredUser } from './pool-file';
import { jsonAnswer, rawCognitoRpc, type RpcResponse } from './rpc';
import { checkPassword } from './sign-up';

/** Forwards ForgotPassword; on success `deliver` hears the new reset code. */
export async function forgotPassword(
  target: { cognitoUrl: string; poolFile: string },
  body: Record<string, unknown>,
  raw: string,
  deliver: (delivery: CodeDelivery) => void,
): Promise<RpcResponse> {
  const answer = await rawCognitoRpc(target.cognitoUrl, 'ForgotPassword', raw);
  if (answer.status !== 200 || typeof body.Username !== 'string') return answer;
  const user = await readStoredUser(target.poolFile, body.Username).catch(() => undefined); // stdout still has it
  if (user?.ConfirmationCode) {
    deliver({ username: user.Username, destination: attributeOf(user, 'email'), code: user.ConfirmationCode, purpose: 'reset' });
  }
  return answer;
}

/** Checks the new password against the policy, then forwards ConfirmForgotPassword. */
export async function confirmForgotPassword(cognitoUrl: string, body: Record<string, unknown>, raw: string): Promise<RpcResponse> {
  const rejection = checkPassword(body.Password);
  if (rejection) return jsonAnswer(400, rejection);
  return rawCognitoRpc(cognitoUrl, 'ConfirmForgotPassword', raw);
}
