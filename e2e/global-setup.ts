/**
 * Starts the local stack serving the static export for the e2e run, and stops it afterwards.
 * Tests find it through E2E_* env vars (Playwright passes globalSetup's env to workers).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startLocalStack } from '../amplify/local/stack';

// The SDK's Node 20 end-of-support notice says nothing about this app.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default async function globalSetup() {
  const outDir = resolve(import.meta.dirname, '../out');
  if (!existsSync(resolve(outDir, 'index.html'))) {
    throw new Error('e2e needs the static export: run `npm run build` first (npm test does)');
  }
  const stack = await startLocalStack({ staticDir: outDir });
  process.env.E2E_BASE_URL = stack.webUrl;
  process.env.E2E_COGNITO_URL = stack.cognito.endpoint;
  process.env.E2E_HTTP_API_URL = stack.outputs.custom.chat.httpApiUrl;
  // Test-only seeding writes straight to the local DynamoDB (e2e/seed-messages.ts).
  process.env.E2E_DYNAMO_ENDPOINT = stack.dynamoEndpoint;
  return async () => {
    await stack.stop();
  };
}
