/**
 * Settings every chat Lambda shares. Each resource.ts calls `defineFunction` itself (never through a
 * helper) because Amplify resolves `entry` relative to the file that calls it.
 */

/**
 * All chat functions live in the `realtime` nested stack next to the APIs and tables they are wired to.
 * Leaving them in Amplify's default `function` stack makes function ⇄ API references cross nested
 * stacks in both directions: a dependency cycle CloudFormation rejects at deploy time.
 */
export const REALTIME_GROUP = 'realtime';

/** API Gateway gives up on any integration after 29 s; a Lambda behind it never needs longer. */
export const API_INTEGRATION_MAX_SECONDS = 29;

/** Shared by every chat function: runtime (Lambda's newest Node.js, per cdk-nag L1), architecture, group, log retention. */
export const FUNCTION_DEFAULTS = {
  runtime: 24,
  architecture: 'arm64',
  resourceGroupName: REALTIME_GROUP,
  // Retention only; the Powertools logger already writes structured JSON lines.
  logging: { retention: '1 month' },
} as const;
