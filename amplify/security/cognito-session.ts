/**
 * Test helper: real accounts in the local Cognito (cognito-local behind its proxy), created and signed in
 * through the AWS SDK exactly as a client would (SignUp, ConfirmSignUp with the printed code, then
 * USER_PASSWORD_AUTH). Also builds a SECOND user pool, to obtain a genuine token from a foreign pool.
 */
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { LocalCognito } from '../local/cognito';

/** The three tokens Cognito returns on sign-in. */
export interface CognitoTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** A person signing up: e-mail, password and display name. */
export interface Account {
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
}

/** An SDK client for the local Cognito; no retries, so a refusal is never retried into a pass. */
export function cognitoClient(cognito: Pick<LocalCognito, 'endpoint' | 'region'>): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region: cognito.region, maxAttempts: 1, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
}

/** A fresh account with a password the pool policy accepts. */
export function newAccount(tag: string, displayName = tag): Account {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return { email: `${tag}-${id}@example.test`, password: `Sec-${id}-Pw1!`, displayName };
}

async function passwordSignIn(sdk: CognitoIdentityProviderClient, clientId: string, account: Account): Promise<CognitoTokens> {
  const { AuthenticationResult: r } = await sdk.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: account.email, PASSWORD: account.password } }),
  );
  if (!r?.IdToken || !r.AccessToken || !r.RefreshToken) throw new Error('sign-in returned no tokens');
  return { idToken: r.IdToken, accessToken: r.AccessToken, refreshToken: r.RefreshToken };
}

const signUpInput = (clientId: string, account: Account) =>
  new SignUpCommand({
    ClientId: clientId,
    Username: account.email,
    Password: account.password,
    UserAttributes: [{ Name: 'email', Value: account.email }, { Name: 'preferred_username', Value: account.displayName }],
  });

/** Signs `account` up in the stack's pool, confirms it with the code cognito-local printed, and signs in. */
export async function signUpAndSignIn(cognito: LocalCognito, account: Account): Promise<CognitoTokens> {
  const sdk = cognitoClient(cognito);
  try {
    await sdk.send(signUpInput(cognito.userPoolClientId, account));
    const code = cognito.confirmationCode(account.email);
    if (!code) throw new Error('no confirmation code was printed');
    await sdk.send(new ConfirmSignUpCommand({ ClientId: cognito.userPoolClientId, Username: account.email, ConfirmationCode: code }));
    return await passwordSignIn(sdk, cognito.userPoolClientId, account);
  } finally {
    sdk.destroy();
  }
}

/** A genuine ID token from ANOTHER user pool (same cognito-local, so even the same signing key). */
export async function foreignPoolIdToken(cognito: LocalCognito): Promise<string> {
  const sdk = cognitoClient(cognito);
  try {
    const { UserPool } = await sdk.send(new CreateUserPoolCommand({ PoolName: 'foreign', UsernameAttributes: ['email'] }));
    const { UserPoolClient } = await sdk.send(
      new CreateUserPoolClientCommand({ UserPoolId: UserPool!.Id!, ClientName: 'foreign-web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    const account = newAccount('foreigner');
    await sdk.send(signUpInput(UserPoolClient!.ClientId!, account));
    await sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: UserPool!.Id!, Username: account.email }));
    return (await passwordSignIn(sdk, UserPoolClient!.ClientId!, account)).idToken;
  } finally {
    sdk.destroy();
  }
}
