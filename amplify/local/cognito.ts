/**
 * Local Cognito for `npm start` and tests: cognito-local (a child process) behind a small proxy that
 * makes it behave like Cognito for aws-amplify and Amplify UI. Local-only: deployed code never imports it.
 *
 * Differences from real Cognito a reader should know:
 *   - the issuer is `<proxy origin>/<poolId>` (cognito-local's TokenConfig.IssuerDomain is set to the
 *     proxy), the JWKS is at `<issuer>/.well-known/jwks.json` — the same layout as Cognito's;
 *   - every cognito-local signs with the same RSA key shipped in its package (fine: local only);
 *   - no SRP (clients sign in with USER_PASSWORD_AUTH) and no e-mail: codes (sign-up and "Forgot your
 *     password?") are read from cognito-local's stdout and printed to `log`; "resending" a code prints the
 *     same code again;
 *   - cognito-local keeps passwords in plain text in `<dataDir>/.cognito/db/` — never commit that folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfirmationCodes } from './cognito/codes';
import { cognitoLocalConfig } from './cognito/pool-settings';
import { spawnCognitoLocal, type CognitoLocalProcess } from './cognito/process';
import { startProxy, type CognitoProxy } from './cognito/proxy';
import { ensureSeeded } from './cognito/seed';

export interface LocalCognito {
  /** URL the BROWSER uses as Amplify's `Auth.Cognito.userPoolEndpoint` (the proxy in front of cognito-local). */
  endpoint: string;
  userPoolId: string;
  userPoolClientId: string;
  region: string;
  /** JWT issuer as cognito-local signs it (`<endpoint>/<poolId>`), and its JWKS URL (served through the proxy). */
  issuer: string;
  jwksUrl: string;
  /** Latest code (sign-up confirmation or password reset) cognito-local produced for this email (or username), if any. */
  confirmationCode(usernameOrEmail: string): string | undefined;
  /** PID of the cognito-local child (tests check it is gone after stop). */
  pid: number;
  stop(): Promise<void>;
}

/** Options for {@link startCognito}. */
export interface StartCognitoOptions {
  /** cognito-local's working folder: `.cognito/` (config + db) and the seeded ids live here, across restarts. */
  dataDir: string;
  /** Proxy host (default 127.0.0.1) and port (0 = a free port). */
  host?: string;
  port?: number;
  /** Region reported for amplify_outputs.json (pool ids are `local_…` whatever it is). */
  region?: string;
  /** Friendly lines (confirmation codes, cognito-local errors); never passwords or tokens. */
  log?: (line: string) => void;
}

/**
 * Starts cognito-local with its data under `dataDir`, seeds one user pool and one app client (reused on
 * restart), and puts the proxy in front. Rejects (leaving nothing running) if any step fails.
 */
export async function startCognito(opts: StartCognitoOptions): Promise<LocalCognito> {
  const log = opts.log ?? (() => {});
  const dataDir = resolve(opts.dataDir);
  await mkdir(join(dataDir, '.cognito'), { recursive: true });
  const codes = new ConfirmationCodes(({ destination, username, code, purpose }) =>
    log(`${purpose === 'reset' ? 'Password reset code' : 'Confirmation code'} for ${destination ?? username}: ${code}`),
  );

  let proxy: CognitoProxy | undefined;
  let child: CognitoLocalProcess | undefined;
  const stop = async () => {
    await proxy?.close();
    await child?.stop();
  };
  try {
    proxy = await startProxy({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, codes, log });
    // Rewritten on every start: the proxy origin (issuer, trigger endpoint) may differ from last time.
    const config = cognitoLocalConfig(proxy.origin);
    await writeFile(join(dataDir, '.cognito', 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
    child = await spawnCognitoLocal({ cwd: dataDir, onLine: (line) => codes.push(line) || relay(line, log) });
    const ids = await ensureSeeded(child.url, dataDir);
    const poolFile = join(dataDir, '.cognito', 'db', `${ids.userPoolId}.json`);
    proxy.connect({ cognitoUrl: child.url, userPoolId: ids.userPoolId, poolFile });
    const issuer = `${proxy.origin}/${ids.userPoolId}`;
    return {
      endpoint: proxy.origin,
      ...ids,
      region: opts.region ?? 'us-east-1',
      issuer,
      jwksUrl: `${issuer}/.well-known/jwks.json`,
      confirmationCode: (usernameOrEmail) => codes.get(usernameOrEmail),
      pid: child.pid,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// cognito-local logs every refused request (with stack traces) as WARN; pass on only its ERROR lines
// (unsupported features, crashes), with anything JWT-like masked.
const ANSI = /\u001b\[[0-9;]*m/g;
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/g;
function relay(rawLine: string, log: (line: string) => void): void {
  const line = rawLine.replace(ANSI, '');
  if (/\] (ERROR|FATAL): /.test(line)) log(`cognito-local: ${line.replace(JWT, '<jwt>').trim()}`);
}
