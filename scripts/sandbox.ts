/**
 * `npm run sandbox`: your personal cloud backend (`ampx sandbox`, watching amplify/) and the web app
 * (`next dev` on http://localhost:3000) against it. The sandbox's outputs stay in .amplify/sandbox-outputs
 * and are copied to public/ whenever the sandbox rewrites them (scripts/sandbox-outputs.ts).
 * Ctrl-C stops both; ampx then asks whether to delete the sandbox (or run `npx ampx sandbox delete`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, unwatchFile, watchFile } from 'node:fs';
import { join, resolve } from 'node:path';
import { PUBLIC_OUTPUTS, SANDBOX_OUTPUTS_DIR, syncOutputs } from './sandbox-outputs';

const ROOT = resolve(import.meta.dirname, '..');
const source = join(SANDBOX_OUTPUTS_DIR, 'amplify_outputs.json');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

if (!existsSync(bin('ampx'))) {
  console.error('ampx not found: run `npm install` first');
  process.exit(1);
}

let web: ChildProcess | undefined;
/** next dev, once outputs exist (the app cannot start without them). */
function startWeb() {
  if (web) return;
  web = spawn(bin('next'), ['dev', '-p', '3000'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], detached: true, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  console.log('web app: http://localhost:3000 (against your sandbox)');
}
function refresh() {
  if (syncOutputs(source, PUBLIC_OUTPUTS)) console.log(`sandbox outputs → ${PUBLIC_OUTPUTS}`);
  if (existsSync(source)) startWeb();
}

refresh(); // an earlier sandbox's outputs: the app starts at once, and updates when the deploy finishes
watchFile(source, { interval: 1000 }, refresh);

// ampx keeps the terminal: its prompts (e.g. "delete the sandbox?" on Ctrl-C) need stdin.
const sandbox = spawn(bin('ampx'), ['sandbox', '--outputs-out-dir', SANDBOX_OUTPUTS_DIR], { cwd: ROOT, stdio: 'inherit' });
sandbox.on('exit', (code) => {
  unwatchFile(source);
  if (web?.pid) {
    try {
      process.kill(-web.pid, 'SIGTERM'); // next dev and its workers (own process group)
    } catch {
      /* already gone */
    }
  }
  process.exit(code ?? 0);
});
process.on('SIGINT', () => {
  /* ampx receives it too (same terminal) and decides; we exit when it does */
});
