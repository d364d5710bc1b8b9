/**
 * Settings every chat Lambda shares, used by define-chat-function.ts (the bundling lives in chat-bundling.ts).
 */
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * All chat functions live in the `realtime` nested stack next to the APIs and tables they are wired to.
 * Leaving them in Amplify's default `function` stack makes function ⇄ API references cross nested
 * stacks in both directions: a dependency cycle CloudFormation rejects at deploy time.
 */
export const REALTIME_GROUP = 'realtime';

/** API Gateway gives up on any integration after 29 s; a Lambda behind it never needs longer. */
export const API_INTEGRATION_MAX_SECONDS = 29;

/** Shared by every chat function: architecture, /tmp size (Amplify's default), log retention. */
export const FUNCTION_DEFAULTS = {
  architecture: Architecture.ARM_64,
  ephemeralStorageMB: 512,
  // Retention only (no Lambda log level or format): the Powertools logger already writes structured JSON lines.
  logRetention: RetentionDays.ONE_MONTH,
} as const;
