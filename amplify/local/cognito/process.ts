/**
 * The cognito-local child process. Started with `node <its bin>` (not `npx`, which leaves a grandchild
 * running when killed), in `cwd` (it keeps `.cognito/config.json` and `.cognito/db/` there), on a free
 * port it picks itself; the port is read back from its "running on" line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

/** A running cognito-local. */
export interface CognitoLocalProcess {
  /** http://127.0.0.1:PORT — where cognito-local itself listens (only the proxy should call it). */
  readonly url: string;
  readonly pid: number;
  /** Ends the child (SIGTERM, then SIGKILL) and resolves once it has exited. */
  stop(): Promise<void>;
}

const READY = /Cognito Local running on (https?:\/\/\S+)/;
const ANSI = /\u001b\[[0-9;]*m/g;
const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 2_000;

/** cognito-local's bin file, resolved from this project's node_modules. */
function binPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('cognito-local/package.json')), 'lib/bin/start.js');
}

/** Spawns cognito-local in `cwd`; every stdout/stderr line goes to `onLine` (colours left in). */
export async function spawnCognitoLocal(opts: {
  cwd: string;
  onLine: (line: string) => void;
}): Promise<CognitoLocalProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    // Wide "terminal": boxen would otherwise wrap long e-mail addresses inside the code box.
    COLUMNS: '400',
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
  };
  // Dev mode would log request bodies (passwords) for unsupported targets; DEBUG logs them too.
  delete env.COGNITO_LOCAL_DEVMODE;
  delete env.DEBUG;
  const child = spawn(process.execPath, [binPath()], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  // The last lines seen before ready, to explain a failed start.
  const startLines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      reject(new Error(`${reason}${startLines.length ? `:\n${startLines.join('\n')}` : ''}`));
    };
    const timer = setTimeout(() => fail('cognito-local did not start within 15 s'), START_TIMEOUT_MS);
    child.once('error', (error) => fail(`cognito-local could not be spawned (${error.message})`));
    child.once('exit', (code) => fail(`cognito-local exited during start (code ${code})`));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => {
        const plain = line.replace(ANSI, '');
        const ready = READY.exec(plain);
        if (ready) {
          clearTimeout(timer);
          resolve(ready[1]);
        } else if (startLines.push(plain) > 10) startLines.shift();
        opts.onLine(line);
      });
    }
  }).catch(async (error: unknown) => {
    await kill(child, exited);
    throw error;
  });

  return { url, pid: child.pid!, stop: () => kill(child, exited) };
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
