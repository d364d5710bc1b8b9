/**
 * Reads the site's bucket, distribution and URL from a branch deployment's amplify_outputs.json and
 * prints them as NAME=value lines (append to $GITHUB_ENV in the workflow).
 *
 *   npx tsx scripts/deploy/site-env.ts out/amplify_outputs.json >> "$GITHUB_ENV"
 */
import { readFileSync } from 'node:fs';
import { deployOutputsFrom } from '../../lib/outputs';
import { fail } from './command';

const file = process.argv[2] ?? 'out/amplify_outputs.json';
let outputs: unknown;
try {
  outputs = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  fail(`cannot read ${file}: write the outputs first (npx ampx pipeline-deploy … --outputs-out-dir out)`);
}
try {
  const site = deployOutputsFrom(outputs);
  console.log(`SITE_BUCKET=${site.siteBucketName}\nSITE_DISTRIBUTION_ID=${site.siteDistributionId}\nSITE_URL=${site.siteUrl}`);
} catch (error) {
  fail((error as Error).message);
}
