/**
 * `npm start`: the whole product on this machine, no AWS account. Starts the local stack, writes
 * public/amplify_outputs.json, runs the web app (next dev, or the static export with --static) and
 * prints one URL. Ctrl-C stops every process it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startMetricsSummary } from './metrics-summary';
import { startLocalStack } from './stack';

const ROOT = resolve(import.meta.dirname, '../..');
const DATA_DIR = join(ROOT, '.local');
const OUT_DIR = join(ROOT, 'out');
/** Friendly fixed ports when free; any free port otherwise. */
const PORTS = { web: 3000, gateway: 3001, cognito: 9229 };

// The SDK's Node 20 end-of-support notice says nothing about this app.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const staticMode = process.argv.includes('--static');
const log = (line: string) => console.log(`  ${line}`);

async function main() {
  if (staticMode && !existsSync(join(OUT_DIR, 'index.html'))) {
    throw new Error('No static export found in out/: run `npm run build` first (or start without --static)');
  }
  const started = Date.now();
  const stack = await startLocalStack({ dataDir: DATA_DIR, ports: PORTS, staticDir: staticMode ? OUT_DIR : undefined, log });
  // The browser loads its config from /amplify_outputs.json; next dev serves it from public/.
  await mkdir(join(ROOT, 'public'), { recursive: true });
  await writeFile(join(ROOT, 'public', 'amplify_outputs.json'), `${JSON.stringify(stack.outputs, null, 2)}\n`);

  let web: ChildProcess | undefined;
  if (!staticMode) {
    const port = new URL(stack.webUrl).port;
    web = spawn(process.execPath, [join(ROOT, 'node_modules/next/dist/bin/next'), 'dev', '-H', '127.0.0.1', '-p', port], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      detached: true, // own process group, so Ctrl-C can end next and its workers together
    });
  }

  // The handlers' metrics as one line every few seconds (what CloudWatch would show; docs/operations.md).
  const stopMetrics = startMetricsSummary(log);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the local stack…');
    if (web?.pid) {
      try {
        process.kill(-web.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    stopMetrics();
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  web?.on('exit', (code) => {
    if (!stopping) {
      console.error(`The web server exited (${code}); stopping.`);
      void shutdown();
    }
  });

  console.log(`\nChat is running at ${stack.webUrl}  (local stack ready in ${Date.now() - started} ms)\n`);
  log(`Sign-up confirmation codes appear here. Data persists in .local/ (delete it to start over).`);
  log(`HTTP API ${stack.outputs.custom.chat.httpApiUrl} · WebSocket ${stack.outputs.custom.chat.webSocketUrl} · Cognito ${stack.cognito.endpoint}`);
  log('Press Ctrl-C to stop.');
}

main().catch((error: Error) => {
  console.error(`npm start failed: ${error.message}`);
  process.exit(1);
});
