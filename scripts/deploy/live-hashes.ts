/**
 * Fetches the csp-hashes.json of the build that is live on a branch, so the next synthesis keeps
 * allowing it (CHAT_PREVIOUS_CSP_HASHES): pages of that build keep starting while the new one uploads.
 * Prints `CHAT_PREVIOUS_CSP_HASHES=<path>`, or an empty value when nothing is live yet (first deploy).
 *
 *   npx tsx scripts/deploy/live-hashes.ts --branch staging --app-id d123 >> "$GITHUB_ENV"
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SETTINGS } from '../../amplify/settings';
import { CSP_HASHES_FILE, readHashesFile } from '../../amplify/stacks/csp-hashes';
import { deployOutputsFrom } from '../../lib/outputs';
import { arg, run } from './command';
import { readFileSync } from 'node:fs';

const branch = arg('branch');
const appId = arg('app-id');
const dir = resolve(arg('out', join('.deploy', 'live', branch)));
const name = SETTINGS.previousCspHashes.env;

/** Prints the env line (stdout) and a human note (stderr, shown in the log). */
function done(file: string, note: string): never {
  console.error(note);
  console.log(`${name}=${file}`);
  process.exit(0);
}

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
try {
  run('npx', ['ampx', 'generate', 'outputs', '--branch', branch, '--app-id', appId, '--out-dir', dir], { quiet: true });
} catch (error) {
  done('', `No live deployment of ${branch} found (first deploy?): no previous hashes. ${(error as Error).message.slice(0, 200)}`);
}
const site = deployOutputsFrom(JSON.parse(readFileSync(join(dir, 'amplify_outputs.json'), 'utf8')));
const file = join(dir, CSP_HASHES_FILE);
try {
  run('aws', ['s3', 'cp', `s3://${site.siteBucketName}/${CSP_HASHES_FILE}`, file, '--no-progress'], { quiet: true });
} catch {
  done('', `${branch} is deployed but its bucket has no ${CSP_HASHES_FILE} (site never uploaded): no previous hashes.`);
}
if (!readHashesFile(file)) done('', `The live ${CSP_HASHES_FILE} of ${branch} is not valid: ignored.`);
done(file, `Live build's hashes of ${branch} stay allowed for this deploy: ${file}`);
