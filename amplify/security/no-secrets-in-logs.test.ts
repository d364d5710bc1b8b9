/**
 * No token, ticket or password in any log line: a real end-to-end flow on the real local stack (cognito-local
 * sign-up, confirm, USER_PASSWORD_AUTH sign-in and refresh, POST /tickets, socket, send, history, refusals,
 * disconnect) with handler logging at DEBUG, and EVERYTHING printed captured: the stack's `log` callback,
 * process stdout/stderr (Powertools' JSON lines) and the console. Then every secret is searched for.
 */
// First: turns handler logging up to DEBUG and can capture the process output.
import { captureOutput } from './log-capture';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetTokensFromRefreshTokenCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { WebSocket } from 'ws';
import { expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../local/stack';
import { TestSocket, eventually } from '../local/testing';
import { cognitoClient, newAccount, signUpAndSignIn } from './cognito-session';

/** The secret itself, plus the signature of a JWT (enough to replay nothing, but still never to be logged). */
function secretForms(name: string, value: string): Array<[string, string]> {
  const parts = value.split('.');
  return parts.length === 3 && parts[2]!.length >= 16 ? [[name, value], [`${name} signature`, parts[2]!]] : [[name, value]];
}

const JWT_LIKE = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/;

it('never logs a password, a Cognito token or a ticket anywhere in a full session', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'chat-no-secrets-'));
  const stackLog: string[] = [];
  const secrets: Array<[string, string]> = [];
  const capture = captureOutput();
  let stack: LocalStack | undefined;
  try {
    stack = await startLocalStack({ dataDir, log: (line) => stackLog.push(line) });
    const { httpUrl } = stack.gateway;
    const account = newAccount('secretive', 'Secretive');
    secrets.push(['password', account.password]);
    const tokens = await signUpAndSignIn(stack.cognito, account);
    secrets.push(...secretForms('ID token', tokens.idToken), ...secretForms('access token', tokens.accessToken), ...secretForms('refresh token', tokens.refreshToken));

    // A failed sign-in and a refresh: the paths where auth servers like to log request bodies.
    const sdk = cognitoClient(stack.cognito);
    const wrongPassword = `${account.password}-nope`;
    secrets.push(['wrong password', wrongPassword]);
    const badSignIn = sdk.send(new InitiateAuthCommand({ ClientId: stack.cognito.userPoolClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: account.email, PASSWORD: wrongPassword } }));
    // Cognito says NotAuthorizedException; cognito-local says InvalidPasswordException.
    await expect(badSignIn).rejects.toMatchObject({ name: expect.stringMatching(/^(NotAuthorized|InvalidPassword)Exception$/) });
    const refreshed = await sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: stack.cognito.userPoolClientId, RefreshToken: tokens.refreshToken }));
    sdk.destroy();
    secrets.push(...secretForms('refreshed ID token', refreshed.AuthenticationResult!.IdToken!));
    const bearer = { authorization: `Bearer ${refreshed.AuthenticationResult!.IdToken!}`, 'content-type': 'application/json' };

    expect((await fetch(`${httpUrl}/me/rooms`, { headers: bearer })).status).toBe(200);
    const ticketReply = await fetch(`${httpUrl}/tickets`, { method: 'POST', headers: bearer });
    const { ticket } = (await ticketReply.json()) as { ticket: string };
    secrets.push(['ticket', ticket]);
    const socket = new TestSocket(new WebSocket(`${stack.gateway.webSocketUrl}/?${new URLSearchParams({ ticket })}`));
    await new Promise((resolve, reject) => socket.ws.once('open', resolve).once('error', reject));

    socket.send({ action: 'subscribe', roomIds: ['general'] });
    socket.send({ action: 'sendMessage', roomId: 'general', body: 'hello, logs', clientMessageId: 'log-test-0001' });
    await socket.next((f) => f.type === 'ack');
    socket.send('{"action":"sendMessage","body":');
    await socket.next((f) => f.type === 'error');
    expect((await fetch(`${httpUrl}/rooms/general/messages?limit=5`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${httpUrl}/rooms/general/messages`, { method: 'POST', headers: bearer, body: JSON.stringify({ body: 'via http' }) })).status).toBe(201);

    // Refusals: a tampered token on HTTP, the same ticket again on the socket.
    const [h, p, s] = tokens.idToken.split('.');
    const tampered = `${h}.${p!.slice(0, -2)}AA.${s}`;
    expect((await fetch(`${httpUrl}/tickets`, { method: 'POST', headers: { authorization: `Bearer ${tampered}` } })).status).toBe(401);
    const replay = new WebSocket(`${stack.gateway.webSocketUrl}/?ticket=${encodeURIComponent(ticket)}`);
    replay.on('error', () => {}); // terminate() after the refusal reports an error; the status is what counts
    expect(await new Promise((resolve) => replay.once('unexpected-response', (_req, res) => (res.resume(), replay.terminate(), resolve(res.statusCode))))).toBe(401);

    await socket.close();
    await eventually(() => stack!.gateway.openConnections().length === 0);
  } finally {
    await stack?.stop();
    capture.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  const lines = [...stackLog.map((line) => `[stack log] ${line}`), ...capture.lines()];
  const leaks = lines.flatMap((line) => secrets.filter(([, value]) => line.includes(value)).map(([name]) => `${name} in: ${line.slice(0, 200)}`));
  expect(leaks).toEqual([]);
  expect(lines.filter((line) => JWT_LIKE.test(line))).toEqual([]);
  // A WebSocket URL carries the ticket: no request logging may print one.
  expect(lines.filter((line) => /ticket=/i.test(line))).toEqual([]);

  // Powertools lines are JSON and carry a request id, so an operator can follow one request.
  const powertools = lines.flatMap((line) => {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      return entry && typeof entry === 'object' && 'level' in entry && 'service' in entry ? [entry] : [];
    } catch {
      return [];
    }
  });
  console.log(`[security] captured ${lines.length} lines (${powertools.length} Powertools JSON lines) and searched them for ${secrets.length} secrets`);
  expect(powertools.length).toBeGreaterThan(0);
  const withoutRequestId = powertools.filter((e) => !['requestId', 'function_request_id', 'xray_trace_id'].some((key) => typeof e[key] === 'string' && e[key]));
  expect(withoutRequestId).toEqual([]);
}, 90_000);
