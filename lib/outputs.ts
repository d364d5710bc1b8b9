/**
 * The part of `amplify_outputs.json` this app adds (`custom.chat`), defined once: the backend publishes
 * it with `backend.addOutput`, the local stack writes it, the client reads it.
 */
// zod/mini: the sign-in page validates this before anything else loads, and the classic API costs ~25 KB gzip more.
import * as z from 'zod/mini';

/** Key under `custom` in amplify_outputs.json. */
export const CHAT_OUTPUT_KEY = 'chat';

/** Where the browser finds the generated outputs (served beside the static site). */
export const OUTPUTS_PATH = '/amplify_outputs.json';

export const chatOutputsSchema = z.object({
  /** wss://{api}.execute-api.{region}.amazonaws.com/{stage} (ws://127.0.0.1:P locally). */
  webSocketUrl: z.url(),
  /** HTTP API base URL, no trailing slash. */
  httpApiUrl: z.url(),
  /** The site's public URL (CloudFront, or the local web server). */
  siteUrl: z.optional(z.url()),
  /** Local stack only: the Cognito endpoint the browser must call instead of AWS. */
  userPoolEndpoint: z.optional(z.url()),
  /** Local stack only: cognito-local has no SRP, so the client signs in with USER_PASSWORD_AUTH. */
  authFlowType: z.optional(z.enum(['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'])),
});
export type ChatOutputs = z.infer<typeof chatOutputsSchema>;

/** Extracts and validates `custom.chat` from a parsed amplify_outputs.json. */
export function chatOutputsFrom(outputs: unknown): ChatOutputs {
  const custom = (outputs as { custom?: Record<string, unknown> } | null)?.custom;
  const result = chatOutputsSchema.safeParse(custom?.[CHAT_OUTPUT_KEY]);
  if (!result.success) {
    throw new Error(
      'amplify_outputs.json has no valid custom.chat section: run `npm start` (local) or `npm run sandbox` (your AWS sandbox) to generate it',
    );
  }
  return result.data;
}

/** What a deploy reads from a branch deployment's outputs to upload the site (sandboxes have no site). */
export const deployOutputsSchema = z.object({
  siteUrl: z.url(),
  siteBucketName: z.string().check(z.minLength(3)),
  siteDistributionId: z.string().check(z.minLength(1)),
});
export type DeployOutputs = z.infer<typeof deployOutputsSchema>;

/** `custom.chat`'s site fields from a parsed amplify_outputs.json, or an error saying what to deploy. */
export function deployOutputsFrom(outputs: unknown): DeployOutputs {
  const custom = (outputs as { custom?: Record<string, unknown> } | null)?.custom;
  const result = deployOutputsSchema.safeParse(custom?.[CHAT_OUTPUT_KEY]);
  if (!result.success) {
    throw new Error('amplify_outputs.json has no site bucket/distribution: it must come from a branch deployment (`npx ampx pipeline-deploy`), not a sandbox');
  }
  return result.data;
}
