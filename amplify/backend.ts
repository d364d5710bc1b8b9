/**
 * The whole backend: Cognito, the eight chat functions, the realtime stack (tables + WebSocket + HTTP
 * APIs, in the functions' own nested stack) and the static site stack. Publishes `custom.chat` in
 * amplify_outputs.json (shape: lib/outputs.ts).
 */
import { defineBackend } from '@aws-amplify/backend';
import { Stack } from 'aws-cdk-lib';
import { CHAT_OUTPUT_KEY, type ChatOutputs, type DeployOutputs } from '../lib/outputs';
import { auth } from './auth/resource';
import { createTicket } from './functions/create-ticket/resource';
import { getMessages } from './functions/get-messages/resource';
import { storeMessage } from './functions/store-message/resource';
import { rooms } from './functions/rooms/resource';
import { wsAuthorizer } from './functions/ws-authorizer/resource';
import { wsConnect } from './functions/ws-connect/resource';
import { wsDisconnect } from './functions/ws-disconnect/resource';
import { wsMessage } from './functions/ws-message/resource';
import { readSettings } from './settings';
import { backendType, extraOrigins } from './stacks/deployment';
import { applyProductionDefaults } from './stacks/production';
import { Realtime } from './stacks/realtime';
import { applySecurityBaseline } from './stacks/security-baseline';
import { Site } from './stacks/site';

/** The Amplify backend; exported so infra tests can inspect its stacks in-process. */
export const backend = defineBackend({
  auth,
  createTicket,
  getMessages,
  storeMessage,
  rooms,
  wsAuthorizer,
  wsConnect,
  wsDisconnect,
  wsMessage,
});

const settings = readSettings();
// Branch deployments: SES sender (or the explicit opt-out) and a retained, deletion-protected user pool.
applyProductionDefaults(backend.auth, settings);

// The site stack comes first and references nothing: the realtime stack depends on it (CORS), never the reverse.
// Sandboxes have no site: their web app is `next dev` (npm run sandbox), which keeps a sandbox quick to
// create and delete and spends none of the account's CloudFront response-headers policies (20 by default).
/** The static site (bucket + CloudFront) of a branch deployment, exported for the infra tests. */
export const site =
  backendType(backend.stack) === 'sandbox'
    ? undefined
    : new Site(backend.createStack('site'), 'Site', { previousHashesFile: settings.previousCspHashesFile });

// The functions' resource group (`realtime`) is already a nested stack; `createStack('realtime')` would throw.
const realtimeStack = Stack.of(backend.wsMessage.resources.lambda);
/** Tables and APIs, exported for the infra tests. */
export const realtime = new Realtime(realtimeStack, 'Chat', {
  functions: backend,
  userPool: backend.auth.resources.userPool,
  userPoolClient: backend.auth.resources.userPoolClient,
  allowedOrigins: [...(site ? [site.url] : []), ...extraOrigins(backend.stack)],
});

/** `custom.chat` as the client reads it, plus what CI needs to upload the site (lib/outputs.ts: DeployOutputs). */
const chat: ChatOutputs & Partial<DeployOutputs> = {
  webSocketUrl: realtime.webSocketUrl,
  httpApiUrl: realtime.httpApiUrl,
  ...(site && {
    siteUrl: site.url,
    siteBucketName: site.bucket.bucketName,
    siteDistributionId: site.distribution.distributionId,
  }),
};
backend.addOutput({ custom: { [CHAT_OUTPUT_KEY]: chat } });

// Last, so cdk-nag sees every resource: guest identities off, API access logs, bounded log retention,
// then the AwsSolutions checks (synthesis fails on any finding not fixed or acknowledged).
/** The cdk-nag acknowledgements placed on this backend (see amplify/stacks/nag-acknowledgements.ts). */
export const nagAcknowledgements = applySecurityBaseline({
  app: backend.stack,
  auth: backend.auth,
  apis: realtime,
  apiGatewayAccountRole: settings.apiGatewayAccountRole,
});
