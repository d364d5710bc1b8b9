/**
 * aws-amplify 6.22 refreshes tokens with `GetTokensFromRefreshToken`, which cognito-local does not
 * implement (it answers 500 "unsupported"). The proxy turns that call into the older equivalent,
 * InitiateAuth REFRESH_TOKEN_AUTH, and maps the answer back to GetTokensFromRefreshToken's shape:
 *   request  { ClientId, RefreshToken, ClientSecret?, DeviceKey?, ClientMetadata? }  (the local client has no secret)
 *   response { AuthenticationResult: { AccessToken, IdToken, ExpiresIn, TokenType, RefreshToken? } }
 * (no NewDeviceMetadata; RefreshToken only with rotation, which cognito-local has not).
 */
import { jsonAnswer, parseJson, rawCognitoRpc, type RpcResponse } from './rpc';

/** Answers a GetTokensFromRefreshToken request body through cognito-local's InitiateAuth. */
export async function getTokensFromRefreshToken(
  cognitoUrl: string,
  body: Record<string, unknown>,
): Promise<RpcResponse> {
  if (typeof body.RefreshToken !== 'string' || typeof body.ClientId !== 'string') {
    return jsonAnswer(400, { __type: 'InvalidParameterException', message: 'ClientId and RefreshToken are required' });
  }
  const initiateAuth = {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: body.ClientId,
    AuthParameters: {
      REFRESH_TOKEN: body.RefreshToken,
      ...(typeof body.DeviceKey === 'string' ? { DEVICE_KEY: body.DeviceKey } : {}),
    },
    ...(body.ClientMetadata ? { ClientMetadata: body.ClientMetadata } : {}),
  };
  const answer = await rawCognitoRpc(cognitoUrl, 'InitiateAuth', JSON.stringify(initiateAuth));
  if (answer.status >= 400) return answer; // NotAuthorizedException & co. mean the same thing for both calls
  const result = (parseJson(answer.text).AuthenticationResult ?? {}) as Record<string, unknown>;
  if (typeof result.AccessToken !== 'string') {
    return jsonAnswer(500, { __type: 'InternalErrorException', message: 'cognito-local returned no tokens' });
  }
  return jsonAnswer(200, {
    AuthenticationResult: {
      AccessToken: result.AccessToken,
      IdToken: result.IdToken,
      ExpiresIn: result.ExpiresIn ?? lifetimeSeconds(result.AccessToken),
      TokenType: result.TokenType ?? 'Bearer',
      ...(typeof result.RefreshToken === 'string' ? { RefreshToken: result.RefreshToken } : {}),
    },
  });
}

/** exp - iat of a JWT, read without verifying (it came straight from cognito-local). */
function lifetimeSeconds(jwt: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as {
      exp?: number;
      iat?: number;
    };
    return payload.exp && payload.iat ? payload.exp - payload.iat : undefined;
  } catch {
    return undefined;
  }
}
