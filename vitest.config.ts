import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (pure logic, plus handlers against the real local DynamoDB and gateway),
 * `infra` (offline CDK synthesis) and `chaos` (the client under load and failures on the local stack, its own
 * project: `npm test` runs it beside the others at a lower priority). e2e lives in Playwright (e2e/).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'amplify/**/*.test.ts', 'hooks/**/*.test.ts', 'components/**/*.test.ts', 'scripts/**/*.test.ts', 'e2e/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.infra.test.ts', 'node_modules/**'],
          testTimeout: 20_000,
          hookTimeout: 30_000,
          // One worker (Vitest's default on 2 cores: cores - 1): npm test runs the typecheck/infra/build lane on the
          // other core. Two workers (317 s for the unit tests alone) slowed that lane, and so the
          // whole graph, in the runs measured here.
        },
      },
      {
        test: {
          name: 'chaos',
          include: ['tests/**/*.chaos.test.ts'],
          // The run itself is bounded at 900 s (BUDGET_MS in the test); this only catches a hang beyond it.
          testTimeout: 950_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          // A bigger young generation: the run allocates millions of short-lived objects (SDK calls, frames).
          execArgv: ['--max-semi-space-size=64'],
        },
      },
      {
        test: {
          name: 'infra',
          include: ['amplify/**/*.infra.test.ts', 'deploy/**/*.infra.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Amplify backend per process: keep synthesis in a single fork.
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
