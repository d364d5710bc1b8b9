import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure logic, plus handlers against the real local DynamoDB and gateway) and
 * `infra` (offline CDK synthesis). e2e lives in Playwright (e2e/).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'amplify/**/*.test.ts', 'hooks/**/*.test.ts', 'components/**/*.test.ts'],
          exclude: ['**/*.infra.test.ts', 'node_modules/**'],
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['amplify/**/*.infra.test.ts'],
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
