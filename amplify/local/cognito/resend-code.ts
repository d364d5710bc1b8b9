/**
 * ResendConfirmationCode, which cognito-local does not implement (Amplify UI's "Resend Code" button
 * would get a 500). Locally nothing is mailed, so "resending" means announcing the code again: the one
 * cognito-local stored on the unconfirmed user (read from its pool file, so it also works after a restart).
 */
import type { CodeDelivery } from './codes';
import { attributeOf, readStoredUser } from './pool-file';
import { jsonAnswer, type RpcResponse } from './rpc';

/** Answers ResendConfirmationCode from cognito-local's pool file; `deliver` re-announces the code. */
export async function resendConfirmationCode(
  poolFile: string,
  body: Record<string, unknown>,
  deliver: (delivery: CodeDelivery) => void,
): Promise<RpcResponse> {
  const user = await readStoredUser(poolFile, String(body.Username ?? ''));
  if (!user)
    return jsonAnswer(400, { __type: 'UserNotFoundException', message: 'Username/client id combination not found.' });
  if (user.UserStatus !== 'UNCONFIRMED' || !user.ConfirmationCode) {
    return jsonAnswer(400, { __type: 'InvalidParameterException', message: 'User is already confirmed.' });
  }
  const email = attributeOf(user, 'email');
  deliver({ username: user.Username, destination: email, code: user.ConfirmationCode, again: true });
  return jsonAnswer(200, {
    CodeDeliveryDetails: { Destination: email, DeliveryMedium: 'EMAIL', AttributeName: 'email' },
  });
}
