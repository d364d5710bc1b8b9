/**
 * The part of `amplify_outputs.json` this app adds (`custom.chat`), defined once: the backend publishes
 * it with `backend.addOutput`, the local stack writes it, the client reads it.
 */
/*
 * Checked by hand, not with zod: the sign-in page reads this before anything else loads, and under Turbopack even
 * zod/mini costs that page ~24 KB gzip (zod's core is not tree-shaken inside a module) for five fields.
 */

/** Key under `custom` in amplify_outputs.json. */
export const CHAT_OUTPUT_KEY = 'chat';

/** Where the browser finds the generated outputs (served beside the static site). */
export const OUTPUTS_PATH = '/amplify_outputs.json';

/** The sign-in flows the client may be told to use. */
export const AUTH_FLOW_TYPES = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] as const;

/** `custom.chat`: what the client needs to reach the backend. */
export interface ChatOutputs {
  /** wss://{api}.execute-api.{region}.amazonaws.com/{stage} (ws://127.0.0.1:P locally). */
  readonly webSocketUrl: string;
  /** HTTP API base URL, no trailing slash. */
  readonly httpApiUrl: string;
  /** The site's public URL (CloudFront, or the local web server). */
  readonly siteUrl?: string;
  /** Local stack only: the Cognito endpoint the browser must call instead of AWS. */
  readonly userPoolEndpoint?: string;
  /** Local stack only: cognito-local has no SRP, so the client signs in with USER_PASSWORD_AUTH. */
  readonly authFlowType?: (typeof AUTH_FLOW_TYPES)[number];
}

/** What a deploy reads from a branch deployment's outputs to upload the site (sandboxes have no site). */
export interface DeployOutputs {
  readonly siteUrl: string;
  readonly siteBucketName: string;
  readonly siteDistributionId: string;
}

/** A string the WHATWG URL parser accepts (what zod's `z.url()` checked before). */
export function isUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** A string of at least `min` characters. */
export function isText(value: unknown, min = 1): value is string {
  return typeof value === 'string' && value.length >= min;
}

function chatSection(outputs: unknown): Record<string, unknown> | undefined {
  const custom = (outputs as { custom?: Record<string, unknown> } | null)?.custom;
  const chat = custom?.[CHAT_OUTPUT_KEY];
  return typeof chat === 'object' && chat !== null && !Array.isArray(chat) ? (chat as Record<string, unknown>) : undefined;
}

const optional = (value: unknown, check: (v: unknown) => boolean) => value === undefined || check(value);

/** Extracts and validates `custom.chat` from a parsed amplify_outputs.json (unknown keys are dropped). */
export function chatOutputsFrom(outputs: unknown): ChatOutputs {
  const c = chatSection(outputs);
  if (
    !c ||
    !isUrl(c.webSocketUrl) ||
    !isUrl(c.httpApiUrl) ||
    !optional(c.siteUrl, isUrl) ||
    !optional(c.userPoolEndpoint, isUrl) ||
    !optional(c.authFlowType, (v) => (AUTH_FLOW_TYPES as readonly unknown[]).includes(v))
  ) {
    throw new Error(
      'amplify_outputs.json has no valid custom.chat section: run `npm start` (local) or `npm run sandbox` (your AWS sandbox) to generate it',
    );
  }
  const { webSocketUrl, httpApiUrl, siteUrl, userPoolEndpoint, authFlowType } = c as unknown as ChatOutputs;
  return {
    webSocketUrl,
    httpApiUrl,
    ...(siteUrl === undefined ? {} : { siteUrl }),
    ...(userPoolEndpoint === undefined ? {} : { userPoolEndpoint }),
    ...(authFlowType === undefined ? {} : { authFlowType }),
  };
}

/** `custom.chat`'s site fields from a parsed amplify_outputs.json, or an error saying what to deploy. */
export function deployOutputsFrom(outputs: unknown): DeployOutputs {
  const c = chatSection(outputs);
  if (!c || !isUrl(c.siteUrl) || !isText(c.siteBucketName, 3) || !isText(c.siteDistributionId)) {
    throw new Error('amplify_outputs.json has no site bucket/distribution: it must come from a branch deployment (`npx ampx pipeline-deploy`), not a sandbox');
  }
  return { siteUrl: c.siteUrl, siteBucketName: c.siteBucketName, siteDistributionId: c.siteDistributionId };
}
