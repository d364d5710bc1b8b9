import { defineConfig } from 'vitest/config';

/**
 * The vitest setup StrykerJS runs per mutant (`npm run test:mutation`): the `unit` project only. Chaos and infra
 * tests never decide a mutant's fate (chaos needs the cores to itself; infra synthesizes CDK, no mutated code).
 * The two slow socket-level fuzz runs (30 s of 8,000+ frames each time) are left to `npm test`: per mutant they
 * would cost more than the whole rest of the suite, and the fast parser-level fuzz
 * (lib/chat-error.fuzz.test.ts) judges the same rules against the same model.
 */
const SLOW_FUZZ = ['amplify/functions/ws-message/handler.fuzz.test.ts', 'amplify/local/gateway-http.fuzz.test.ts'];

export default defineConfig({
  test: {
    include: ['lib/**/*.test.ts', 'amplify/**/*.test.ts', 'hooks/**/*.test.ts', 'components/**/*.test.ts'],
    exclude: ['**/*.infra.test.ts', 'node_modules/**', '.stryker-tmp/**', ...SLOW_FUZZ],
    // Short: a mutant that makes a test hang (e.g. a broken DynamoDB call) then fails fast as "killed" instead of
    // costing Stryker's own timeout plus a worker restart. Every unit test normally ends in well under a second.
    testTimeout: 5_000,
    hookTimeout: 10_000,
  },
});
