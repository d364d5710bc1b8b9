/**
 * The HTTP proxy the browser uses as Amplify's `userPoolEndpoint`. It forwards every Cognito call to
 * cognito-local and fills the gaps that would otherwise break the real client:
 *   - CORS for local origins (cors.ts);
 *   - GetTokensFromRefreshToken → InitiateAuth REFRESH_TOKEN_AUTH (refresh-bridge.ts);
 *   - SignUp checks (sign-up.ts), capturing the new code from the pool file (pool-file.ts), email_verified on
 *     ConfirmSignUp (sign-up.ts), and ResendConfirmationCode (resend-code.ts);
 *   - ForgotPassword's reset code announced like a sign-up code, and the password policy on
 *     ConfirmForgotPassword (forgot-password.ts);
 *   - the pre-token-generation "Lambda" cognito-local invokes (triggers.ts);
 *   - GET /_local/confirmation-code?username=<email> → {"code"} | 404, for the e2e in another process.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listen } from '../net';
import type { ConfirmationCodes } from './codes';
import { applyCors } from './cors';
import { confirmForgotPassword, forgotPassword } from './forgot-password';
import { BodyTooLarge, forward, readBody, send } from './forward';
import { getTokensFromRefreshToken } from './refresh-bridge';
import { jsonAnswer as json, parseJson, rawCognitoRpc, type RpcResponse } from './rpc';
import { attributeOf, readNewUser, readStoredUser } from './pool-file';
import { resendConfirmationCode } from './resend-code';
import { checkSignUp, markEmailVerified } from './sign-up';
import { INVOKE_PATH, invokeTrigger } from './triggers';

/** Where cognito-local runs, its seeded pool, and that pool's db file (read for confirmation codes). */
export interface ProxyTarget {
  readonly cognitoUrl: string;
  readonly userPoolId: string;
  readonly poolFile: string;
}

/** The running proxy. */
export interface CognitoProxy {
  /** http://HOST:PORT, no trailing slash. */
  readonly origin: string;
  /** Points the proxy at cognito-local once it runs and the pool is seeded; until then Cognito calls get 503. */
  connect(target: ProxyTarget): void;
  close(): Promise<void>;
}

const CODE_PATH = '/_local/confirmation-code';

/** Starts the proxy on host:port (0 = a free port). */
export async function startProxy(opts: {
  host: string;
  port: number;
  codes: ConfirmationCodes;
  log: (line: string) => void;
}): Promise<CognitoProxy> {
  let target: ProxyTarget | undefined;

  /** Calls that need more than forwarding; keyed by the X-Amz-Target operation. */
  const intercepted: Record<
    string,
    (t: ProxyTarget, body: Record<string, unknown>, raw: string) => Promise<RpcResponse>
  > = {
    GetTokensFromRefreshToken: (t, body) => getTokensFromRefreshToken(t.cognitoUrl, body),
    SignUp: async (t, body, raw) => {
      const rejection = checkSignUp(body);
      if (rejection) return json(400, rejection);
      const answer = await rawCognitoRpc(t.cognitoUrl, 'SignUp', raw);
      // cognito-local saved the user (and its code) before answering; its stdout may lag, the file does not.
      const sub = parseJson(answer.text).UserSub;
      if (answer.status === 200 && typeof sub === 'string') {
        const user = await readNewUser(t.poolFile, sub).catch(() => undefined); // stdout still has it
        if (user?.ConfirmationCode) {
          opts.codes.record({
            username: user.Username,
            destination: attributeOf(user, 'email'),
            code: user.ConfirmationCode,
          });
        }
      }
      return answer;
    },
    ConfirmSignUp: async (t, body, raw) => {
      const answer = await rawCognitoRpc(t.cognitoUrl, 'ConfirmSignUp', raw);
      if (answer.status === 200 && typeof body.Username === 'string') {
        await markEmailVerified(t.cognitoUrl, t.userPoolId, body.Username).catch((error: unknown) =>
          opts.log(`cognito: could not mark ${body.Username} verified: ${(error as Error).message}`),
        );
      }
      return answer;
    },
    ResendConfirmationCode: (t, body) => resendConfirmationCode(t.poolFile, body, (d) => opts.codes.record(d)),
    ForgotPassword: (t, body, raw) => forgotPassword(t, body, raw, (d) => opts.codes.record(d)),
    ConfirmForgotPassword: (t, body, raw) => confirmForgotPassword(t.cognitoUrl, body, raw),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (applyCors(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (req.method === 'GET' && url.pathname === CODE_PATH) {
      // For the terminal and the e2e harness only: a web page (any request with an Origin) may not read codes.
      if (req.headers.origin) return send(res, json(403, { message: 'confirmation codes are not served to browsers' }));
      const username = url.searchParams.get('username') ?? '';
      // Not heard yet (a busy machine: the file write and the stdout box can both lag a sign-up): an unconfirmed
      // user's code is in the pool file.
      const stored = opts.codes.get(username) ? undefined : target && (await readStoredUser(target.poolFile, username).catch(() => undefined));
      const code = opts.codes.get(username) ?? (stored?.UserStatus === 'UNCONFIRMED' ? stored.ConfirmationCode : undefined);
      return send(res, code ? json(200, { code }) : json(404, { message: 'no confirmation code for that user' }));
    }
    const invoke = req.method === 'POST' ? INVOKE_PATH.exec(url.pathname) : null;
    if (invoke) {
      const answer = invokeTrigger(invoke[1], parseJson(await readBody(req)));
      return send(
        res,
        answer ? json(200, answer) : json(404, { Type: 'User', message: `Function not found: ${invoke[1]}` }),
      );
    }
    if (!target) return send(res, json(503, { __type: 'ServiceUnavailable', message: 'cognito-local is starting' }));
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const intercept = req.method === 'POST' && url.pathname === '/' ? intercepted[operation] : undefined;
    if (!intercept) return forward(req, res, target.cognitoUrl);
    const raw = await readBody(req);
    return send(res, await intercept(target, parseJson(raw), raw));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof BodyTooLarge ? 413 : 502;
      if (status === 502) opts.log(`cognito proxy: ${(error as Error).message}`);
      if (!res.headersSent)
        send(res, json(status, { __type: 'InternalErrorException', message: 'local Cognito proxy error' }));
      else res.destroy();
    });
  });
  const port = await listen(server, opts.port, opts.host);
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    origin: `http://${host}:${port}`,
    connect: (next) => {
      target = next;
    },
    close: () => closeServer(server),
  };
}
