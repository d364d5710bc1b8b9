// @ts-check
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

/** Never mutated: tests and test-only helpers. */
const NOT_MUTATED = ['**/*.test.ts', 'lib/chat/test-server.ts'];

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
  incrementalFile: 'reports/stryker-incremental.json',
  ignoreStatic: true,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 85, break: 85 },
  ignorePatterns: ['.next', 'out', 'cdk.out', '.amplify', '.local', 'test-results', 'playwright-report', 'reports', '.git'],
  cleanTempDir: 'always',
  // The first (coverage) run of the whole unit project: minutes on a busy 2-core machine.
  dryRunTimeoutMinutes: 20,
};
