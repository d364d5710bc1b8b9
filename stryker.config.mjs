// @ts-check
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
/**
 * Mutation testing (`npm run test:mutation`): StrykerJS plants small bugs (mutants) in the core and auth code and
 * runs the unit tests that cover each one; a mutant nobody catches is a hole in the tests. Not part of `npm test`.
 * Incremental: results are kept in reports/stryker-incremental.json, so a re-run only tests changed code/tests.
 */

/** Code whose tests must catch planted bugs. Add new core or authorization files here (globs; tests excluded). */
const MUTATED_AREAS = [
  'amplify/chat/**/*.ts',
  'lib/chat/**/*.ts',
  'lib/protocol.ts',
  'lib/protocol/**/*.ts',
  'lib/chat-error.ts',
  'amplify/local/jwt.ts',
];

/**
 * A chunk (`STRYKER_CHUNK=<name> npx stryker run --mutate <files>`): a narrowed run reports its own files and
 * carries every other file over from the incremental file it started from, as it was then. Chunks run one after
 * another could share one file, but a chunk run at the same time (or re-run later) would write back stale copies
 * of the others. So each chunk keeps its own report (reports/mutation/chunks/<name>.json) and incremental file
 * (<name>.incremental.json), and `npx tsx scripts/mutation-merge.ts` takes from each the files it mutated.
 */
const CHUNK = process.env.STRYKER_CHUNK;
const chunkReport = CHUNK && `reports/mutation/chunks/${CHUNK}.json`;
// Not the JSON report's path: both are written at the end, at once, and one file would get both writes interleaved.
const chunkIncremental = CHUNK && `reports/mutation/chunks/${CHUNK}.incremental.json`;
const MERGED_INCREMENTAL = 'reports/stryker-incremental.json';
// A new chunk starts from the committed results, so unchanged mutants of its files are not run again.
if (chunkIncremental && !existsSync(chunkIncremental) && existsSync(MERGED_INCREMENTAL)) {
  mkdirSync(dirname(chunkIncremental), { recursive: true });
  copyFileSync(MERGED_INCREMENTAL, chunkIncremental);
}

/** Never mutated: tests and test-only helpers. */
const NOT_MUTATED = ['**/*.test.ts', 'lib/chat/test-server.ts', 'lib/chat/client-stack.ts'];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: true },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [...MUTATED_AREAS, ...NOT_MUTATED.map((glob) => `!${glob}`)],
  coverageAnalysis: 'perTest',
  // This machine has 2 cores; the handler tests start their own dynalite and gateway per worker.
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  incremental: true,
  incrementalFile: chunkIncremental || MERGED_INCREMENTAL,
  ignoreStatic: true,
  timeoutMS: 10_000,
  reporters: CHUNK ? ['clear-text', 'progress', 'json'] : ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: chunkReport || 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: 85 },
  ignorePatterns: ['.next', 'out', 'cdk.out', '.amplify', '.local', 'test-results', 'playwright-report', 'reports', '.git'],
  cleanTempDir: 'always',
  // The first (coverage) run of the whole unit project: minutes on a busy 2-core machine.
  dryRunTimeoutMinutes: 20,
};
