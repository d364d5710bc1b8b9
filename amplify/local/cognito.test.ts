import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, fetchUserAttributes, signIn, signUp } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCognito, type LocalCognito } from './cognito';
import { createJwtVerifier } from './jwt';

// A real cognito-local child behind the real proxy; the SDK and aws-amplify are the clients.
const PASSWORD = 'Correct-Horse-1';
let dataDir: string;
let cognito: LocalCognito;
let sdk: CognitoIdentityProviderClient;
const logs: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cognito-test-'));
  cognito = await startCognito({ dataDir, log: (line) => logs.push(line) });
  sdk = client(cognito);
});
afterAll(async () => {
  await cognito?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function client(c: LocalCognito) {
  // No retries: a 500 must fail the test, not be retried into a pass.
  return new CognitoIdentityProviderClient({
    endpoint: c.endpoint,
    region: c.region,
    maxAttempts: 1,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
}
const newEmail = (tag: string) => `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;

async function signUpAndConfirm(email: string, name: string) {
  await sdk.send(
    new SignUpCommand({
      ClientId: cognito.userPoolClientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'preferred_username', Value: name }],
    }),
  );
  // Available as soon as SignUp answers: the proxy waits for cognito-local's stdout.
  const code = cognito.confirmationCode(email);
  expect(code).toMatch(/^\d{6}$/);
  await sdk.send(
    new ConfirmSignUpCommand({ ClientId: cognito.userPoolClientId, Username: email, ConfirmationCode: code }),
  );
}
const passwordAuth = (c: LocalCognito, email: string) =>
  client(c).send(
    new InitiateAuthCommand({
      ClientId: c.userPoolClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD },
    }),
  );

describe('startCognito', () => {
  it('signs up, confirms with the captured code, signs in, and issues ID tokens the verifier accepts', async () => {
    const email = newEmail('alice');
    await signUpAndConfirm(email, 'Alice');
    expect(logs).toContainEqual(expect.stringMatching(new RegExp(`^Confirmation code for ${email}: \\d{6}$`)));
    const codeAnswer = await fetch(
      `${cognito.endpoint}/_local/confirmation-code?username=${encodeURIComponent(email)}`,
    );
    expect(await codeAnswer.json()).toEqual({ code: cognito.confirmationCode(email) });
    expect((await fetch(`${cognito.endpoint}/_local/confirmation-code?username=nobody%40example.com`)).status).toBe(
      404,
    );

    const { AuthenticationResult: tokens } = await passwordAuth(cognito, email);
    const verify = createJwtVerifier({
      issuer: cognito.issuer,
      audience: cognito.userPoolClientId,
      jwksUrl: cognito.jwksUrl,
    });
    const claims = await verify(tokens!.IdToken!);
    expect(claims).toMatchObject({
      email,
      preferred_username: 'Alice',
      email_verified: true,
      token_use: 'id',
      aud: cognito.userPoolClientId,
      iss: cognito.issuer,
    });
    expect(claims.sub).toMatch(/^[0-9a-f-]{36}$/);

    // Wrong audience, a tampered signature and another issuer are all refused.
    await expect(
      createJwtVerifier({ issuer: cognito.issuer, audience: 'other', jwksUrl: cognito.jwksUrl })(tokens!.IdToken!),
    ).rejects.toThrow();
    await expect(
      createJwtVerifier({ issuer: `${cognito.issuer}x`, audience: cognito.userPoolClientId, jwksUrl: cognito.jwksUrl })(
        tokens!.IdToken!,
      ),
    ).rejects.toThrow();
    const [h, p, s] = tokens!.IdToken!.split('.');
    await expect(verify(`${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`)).rejects.toThrow();

    // Amplify 6.22's refresh call, bridged to InitiateAuth REFRESH_TOKEN_AUTH.
    const refreshed = await sdk.send(
      new GetTokensFromRefreshTokenCommand({ ClientId: cognito.userPoolClientId, RefreshToken: tokens!.RefreshToken! }),
    );
    expect(refreshed.AuthenticationResult).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    const fresh = await verify(refreshed.AuthenticationResult!.IdToken!);
    expect(fresh).toMatchObject({ sub: claims.sub, preferred_username: 'Alice' });
    expect(fresh.jti).not.toBe(claims.jti);
    await expect(
      sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: cognito.userPoolClientId, RefreshToken: 'bogus' })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    expect(logs.join('\n')).not.toMatch(/eyJ|Correct-Horse/);
  });

  it('enforces what Cognito enforces on sign-up: the password policy and preferred_username', async () => {
    const send = (Password: string, UserAttributes: Array<{ Name: string; Value: string }>) =>
      sdk.send(
        new SignUpCommand({ ClientId: cognito.userPoolClientId, Username: newEmail('weak'), Password, UserAttributes }),
      );
    await expect(send('short', [{ Name: 'preferred_username', Value: 'x' }])).rejects.toMatchObject({
      name: 'InvalidPasswordException',
    });
    await expect(send('alllowercase1', [{ Name: 'preferred_username', Value: 'x' }])).rejects.toMatchObject({
      name: 'InvalidPasswordException',
    });
    await expect(send(PASSWORD, [])).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('re-sends (prints again) the pending code, which cognito-local does not implement', async () => {
    const email = newEmail('resend');
    await sdk.send(
      new SignUpCommand({
        ClientId: cognito.userPoolClientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'preferred_username', Value: 'R' }],
      }),
    );
    const code = cognito.confirmationCode(email);
    logs.length = 0;
    const resent = await sdk.send(
      new ResendConfirmationCodeCommand({ ClientId: cognito.userPoolClientId, Username: email }),
    );
    expect(resent.CodeDeliveryDetails).toMatchObject({ Destination: email, DeliveryMedium: 'EMAIL' });
    expect(logs).toEqual([`Confirmation code for ${email}: ${code}`]);
    await sdk.send(
      new ConfirmSignUpCommand({ ClientId: cognito.userPoolClientId, Username: email, ConfirmationCode: code }),
    );
    const again = sdk.send(new ResendConfirmationCodeCommand({ ClientId: cognito.userPoolClientId, Username: email }));
    await expect(again).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('resets a forgotten password: the code is printed like a sign-up code, the policy holds, the new password signs in', async () => {
    const email = newEmail('forgot');
    await signUpAndConfirm(email, 'Forgetful');
    const signUpCode = cognito.confirmationCode(email);
    logs.length = 0;
    const asked = await sdk.send(new ForgotPasswordCommand({ ClientId: cognito.userPoolClientId, Username: email }));
    expect(asked.CodeDeliveryDetails).toMatchObject({ Destination: email, DeliveryMedium: 'EMAIL' });
    const code = cognito.confirmationCode(email)!;
    expect(code).toMatch(/^\d{6}$/);
    expect(code).not.toBe(signUpCode);
    await new Promise((r) => setTimeout(r, 300)); // let the stdout box arrive too: still one line
    expect(logs).toEqual([`Password reset code for ${email}: ${code}`]);

    const confirm = (ConfirmationCode: string, Password: string) =>
      sdk.send(new ConfirmForgotPasswordCommand({ ClientId: cognito.userPoolClientId, Username: email, ConfirmationCode, Password }));
    // A weak new password and a wrong code are refused, and the old password still works after both.
    await expect(confirm(code, 'weak')).rejects.toMatchObject({ name: 'InvalidPasswordException' });
    await expect(confirm(code === '000000' ? '111111' : '000000', 'New-Horse-2')).rejects.toMatchObject({ name: 'CodeMismatchException' });
    await expect(passwordAuth(cognito, email)).resolves.toMatchObject({ AuthenticationResult: expect.anything() });

    await confirm(code, 'New-Horse-2');
    // cognito-local answers a wrong password with InvalidPasswordException (Cognito: NotAuthorizedException).
    await expect(passwordAuth(cognito, email)).rejects.toMatchObject({ name: expect.stringMatching(/^(NotAuthorized|InvalidPassword)Exception$/) });
    const fresh = await client(cognito).send(
      new InitiateAuthCommand({ ClientId: cognito.userPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: 'New-Horse-2' } }),
    );
    expect(fresh.AuthenticationResult?.IdToken).toBeTruthy();
    // The code is single-use.
    await expect(confirm(code, 'Other-Horse-3')).rejects.toMatchObject({ name: 'CodeMismatchException' });
    expect(logs.join('\n')).not.toMatch(/Horse/);
  });

  it('answers CORS preflights for local origins only', async () => {
    const preflight = (origin: string) =>
      fetch(cognito.endpoint, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent,cache-control',
        },
      });
    const ok = await preflight('http://localhost:3000');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(ok.headers.get('access-control-allow-headers')).toContain('x-amz-target');
    const denied = await preflight('https://evil.example');
    expect(denied.status).toBe(403);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('works with the real aws-amplify client, including a forced token refresh', async () => {
    Amplify.configure({
      Auth: {
        Cognito: {
          userPoolId: cognito.userPoolId,
          userPoolClientId: cognito.userPoolClientId,
          userPoolEndpoint: cognito.endpoint,
          loginWith: { email: true },
        },
      },
    });
    const email = newEmail('amp');
    const { nextStep } = await signUp({
      username: email,
      password: PASSWORD,
      options: { userAttributes: { email, preferred_username: 'Amp' } },
    });
    expect(nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    await confirmSignUp({ username: email, confirmationCode: cognito.confirmationCode(email)! });
    expect(
      (await signIn({ username: email, password: PASSWORD, options: { authFlowType: 'USER_PASSWORD_AUTH' } }))
        .isSignedIn,
    ).toBe(true);
    // Amplify UI would ask to verify the e-mail again if this were not 'true'.
    expect(await fetchUserAttributes()).toMatchObject({ email_verified: 'true', preferred_username: 'Amp' });
    const before = (await fetchAuthSession()).tokens!.idToken!;
    const after = (await fetchAuthSession({ forceRefresh: true })).tokens!.idToken!;
    expect(after.payload.jti).not.toBe(before.payload.jti);
    expect(after.payload.preferred_username).toBe('Amp');
  });

  it('keeps the pool, the client and the accounts across a restart, and stop() ends the child', async () => {
    const email = newEmail('restart');
    await signUpAndConfirm(email, 'Re');
    const { userPoolId, userPoolClientId, pid } = cognito;
    await cognito.stop();
    expect(isRunning(pid)).toBe(false);

    cognito = await startCognito({ dataDir });
    expect(cognito).toMatchObject({ userPoolId, userPoolClientId });
    const { AuthenticationResult } = await passwordAuth(cognito, email);
    const claims = await createJwtVerifier({
      issuer: cognito.issuer,
      audience: userPoolClientId,
      jwksUrl: cognito.jwksUrl,
    })(AuthenticationResult!.IdToken!);
    expect(claims).toMatchObject({ email, preferred_username: 'Re' });
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
