/**
 * Starts what the e2e run needs and returns its teardown. Default: the local stack serving the static
 * export, stopped afterwards. With BASE_URL (and E2E_BRANCH, never production): the deployed site; test
 * users are created through the Cognito admin API and, with their messages, deleted afterwards.
 * Tests find the target through E2E_* env vars (Playwright passes globalSetup's env to workers).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { tapMetrics } from '../amplify/chat/metrics';
import { startLocalStack } from '../amplify/local/stack';
import { checkBranch, cleanUp, findMessagesTable } from './deployed';
import { deployedTarget } from './fixtures';

// The SDK's Node 20 end-of-support notice says nothing about this app.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default async function globalSetup() {
  process.env.E2E_RUN_ID ??= Date.now().toString(36);
  const deployedUrl = process.env.BASE_URL;
  if (deployedUrl) return setUpDeployed(deployedUrl.replace(/\/$/, ''));
  const outDir = resolve(import.meta.dirname, '../out');
  if (!existsSync(resolve(outDir, 'index.html'))) {
    throw new Error('e2e needs the static export: run `npm run build` first (npm test does)');
  }
  // The handlers' EMF lines are CloudWatch's input, not the test report's: keep them out of the e2e output.
  tapMetrics(() => {});
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

async function setUpDeployed(url: string) {
  const branch = checkBranch(process.env.E2E_BRANCH);
  const response = await fetch(`${url}/amplify_outputs.json`);
  if (!response.ok) throw new Error(`${url}/amplify_outputs.json answered ${response.status}: is the site uploaded?`);
  const { auth } = (await response.json()) as { auth?: { aws_region?: string; user_pool_id?: string } };
  if (!auth?.aws_region || !auth.user_pool_id) throw new Error(`${url}/amplify_outputs.json has no auth section`);
  process.env.E2E_BASE_URL = url;
  process.env.E2E_REGION = auth.aws_region;
  process.env.E2E_USER_POOL_ID = auth.user_pool_id;
  const target = deployedTarget()!;
  return async () => {
    const table = await findMessagesTable(target.region, process.env.AMPLIFY_APP_ID, branch);
    const removed = await cleanUp(target, table);
    console.log(`e2e cleanup on ${branch}: ${removed.users} user(s), ${removed.messages} message(s) removed${table ? '' : ' (messages table not found: set AMPLIFY_APP_ID)'}`);
  };
}
