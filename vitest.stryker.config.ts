import { defineConfig } from 'vitest/config';

/**
 * The vitest setup StrykerJS runs per mutant (`npm run test:mutation`): the `unit` project only. Chaos and infra
 * tests never decide a mutant's fate (chaos needs the cores to itself; infra synthesizes CDK, no mutated code).
 * Left to `npm test` (per mutant they would cost more than the rest of the suite, and what they judge is judged
 * here too): the two slow socket-level fuzz runs (8,000+ frames; lib/chat-error.fuzz.test.ts checks the same rules
 * against the same model at parser level) and the end-to-end security suites that start cognito-local
 * (amplify/local/jwt.test.ts checks every claim of the verifier on its own).
 */
const LEFT_TO_NPM_TEST = [
  'amplify/functions/ws-message/handler.fuzz.test.ts',
  'amplify/local/gateway-http.fuzz.test.ts',
  'amplify/local/gateway-ws.fuzz.test.ts',
  'amplify/security/auth-matrix.test.ts',
  'amplify/security/no-secrets-in-logs.test.ts',
  'amplify/local/cognito.test.ts',
  'amplify/local/gateway-lifecycle.test.ts',
];

export default defineConfig({
  test: {
    include: ['lib/**/*.test.ts', 'amplify/**/*.test.ts', 'hooks/**/*.test.ts', 'components/**/*.test.ts'],
    exclude: ['**/*.infra.test.ts', 'node_modules/**', '.stryker-tmp/**', ...LEFT_TO_NPM_TEST],
    // As in `npm test`: the slowest real-stack test (a gateway restart) needs ~15 s on a busy 2-core machine.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The coverage run must be all green or Stryker stops; a gateway restart under a load of 15 can fail once
    // ("fetch failed"). Conservative for the score: a mutant that fails a test only once counts as survived.
    retry: 1,
  },
});
