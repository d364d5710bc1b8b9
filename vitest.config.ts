import { defineConfig } from 'vitest/config';

/**
 * Six projects: `unit` (pure logic, the domain core, the client core and the local stack, against the real local
 * DynamoDB and gateway), `handlers` (the Lambda handlers end to end and the bench tests: the same kind of tests,
 * CPU-bound rather than socket-bound), `unit-isolated` (the few unit files that need a module graph of their own, see
 * ISOLATED; `npm run test:unit` runs these three, `npm test` on two workers), `fuzz` (the socket- and HTTP-level fuzz
 * runs through the real handlers and gateway: ~90 CPU-seconds, which `npm test` runs after e2e, beside the tail of
 * chaos), `infra` (offline CDK synthesis) and `chaos` (the client under load and failures on
 * the local stack). e2e lives in Playwright (e2e/). The parser-level fuzz (`lib/chat-error.fuzz.test.ts`, model and
 * parser agreeing on 13,000 bodies) stays in `unit`, so `npm run test:unit` alone still catches a parser that refuses
 * valid bodies.
 */
/** The `handlers` project's files (everything else of the kind is `unit`). */
const HANDLERS = ['amplify/functions/**/*.test.ts', 'amplify/security/**/*.test.ts', 'bench/**/*.test.ts'];

/**
 * Files that need a module graph of their own run isolated (project `unit-isolated`); the rest of the unit projects
 * share a worker's modules across files. Each of these, in a shared graph, would change what later files see or be
 * changed by what earlier ones did: it replaces a module (`vi.mock`), starts its own local stack or DynamoDB (the
 * handler modules' clients stay bound to the first endpoint they saw), or sets what a module reads when it loads
 * (zod's JIT flag, the log level).
 */
export const ISOLATED = [
  'lib/chat/outgoing.test.ts',
  'lib/zod-jitless.test.ts',
  'amplify/chat/http.test.ts',
  'amplify/local/dynamo.test.ts',
  'amplify/local/gateway.test.ts',
  'amplify/local/gateway-lifecycle.test.ts',
  'amplify/security/auth-matrix.test.ts',
  'amplify/security/no-secrets-in-logs.test.ts',
  'bench/bench.smoke.test.ts',
];

const FUZZ = [
  'amplify/functions/ws-message/handler.fuzz.test.ts',
  'amplify/functions/ws-message/message-actions.fuzz.test.ts',
  'amplify/local/gateway-http.fuzz.test.ts',
  'amplify/local/gateway-ws.fuzz.test.ts',
];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'amplify/**/*.test.ts', 'hooks/**/*.test.ts', 'components/**/*.test.ts', 'scripts/**/*.test.ts', 'e2e/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.infra.test.ts', 'node_modules/**', ...FUZZ, ...HANDLERS, ...ISOLATED],
          testTimeout: 20_000,
          hookTimeout: 30_000,
          // Files share a worker's modules (the SDK, dynalite, the handlers load once per worker, not per file: that
          // was half the stage's CPU); each still gets a fresh local stack (amplify/local/testing.ts).
          isolate: false,
          // One worker by default (Vitest's on 2 cores: cores - 1); npm test asks for two (test:unit:two-workers).
        },
      },
      {
        test: {
          name: 'handlers',
          include: HANDLERS,
          exclude: ['**/*.infra.test.ts', 'node_modules/**', ...FUZZ, ...ISOLATED],
          testTimeout: 20_000,
          hookTimeout: 30_000,
          isolate: false,
        },
      },
      {
        test: {
          name: 'unit-isolated',
          include: ISOLATED,
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'fuzz',
          include: FUZZ,
          testTimeout: 120_000,
          hookTimeout: 30_000,
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
