/**
 * Fails fast, with the fix, before `ampx pipeline-deploy` (see preflight-checks.ts).
 *
 *   npx tsx scripts/deploy/preflight.ts --branch staging [--out out]
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { arg, fail } from './command';
import { checkAccount, checkLocal } from './preflight-checks';

const input = {
  env: process.env,
  branch: arg('branch'),
  outDir: resolve(arg('out', 'out')),
  aws: (args: readonly string[]) => spawnSync('aws', [...args, '--output', 'json'], { stdio: 'ignore' }).status === 0,
};
try {
  const { appId } = checkLocal(input);
  checkAccount(input, appId);
  console.log(`preflight: app ${appId}, branch ${input.branch}, build and settings OK, account bootstrapped`);
} catch (error) {
  fail((error as Error).message);
}
