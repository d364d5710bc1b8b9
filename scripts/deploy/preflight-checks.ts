/**
 * Checks run before `ampx pipeline-deploy`, so a deploy that cannot succeed stops with one message naming
 * the fix instead of a half-deployed or rolled-back stack: the app id, this build, the settings, the CDK
 * bootstrap of the account/region and the Amplify app and branch.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readSettings, requireProductionEmail } from '../../amplify/settings';
import { CSP_HASHES_FILE, readSiteHashes } from '../../amplify/stacks/csp-hashes';

/** A failed check: what is wrong and how to fix it. */
export class PreflightError extends Error {
  override name = 'PreflightError';
}

/** What the checks read (injected so tests run them offline). */
export interface PreflightInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly branch: string;
  readonly outDir: string;
  /** Runs one AWS CLI call; resolves false when it failed (missing resource, no access). */
  readonly aws: (args: readonly string[]) => boolean;
}

/** Amplify app ids look like `d1a2b3c4d5e6f7`. */
const APP_ID = /^d[a-z0-9]{6,}$/;
/** The SSM parameter `cdk bootstrap` writes (default qualifier). */
export const BOOTSTRAP_PARAMETER = '/cdk-bootstrap/hnb659fds/version';

/** The checks that need no AWS: app id, build, settings. Throws PreflightError. */
export function checkLocal({ env, outDir }: Pick<PreflightInput, 'env' | 'outDir'>): { appId: string } {
  const appId = env.AMPLIFY_APP_ID?.trim();
  if (!appId || !APP_ID.test(appId)) {
    throw new PreflightError(
      `AMPLIFY_APP_ID is ${appId ? `"${appId}", not an Amplify app id` : 'not set'}: set the repository variable AMPLIFY_APP_ID to the AmplifyAppId output of the setup stack (docs/deploy.md, "First deploy").`,
    );
  }
  if (!existsSync(join(outDir, 'index.html')) || !readSiteHashes(outDir)) {
    throw new PreflightError(`No build in ${outDir} (index.html and ${CSP_HASHES_FILE}): run \`npm run build\` before deploying.`);
  }
  try {
    requireProductionEmail(readSettings(env));
  } catch (error) {
    throw new PreflightError((error as Error).message);
  }
  return { appId };
}

/** The checks against the account: CDK bootstrap, then the Amplify app and branch. Throws PreflightError. */
export function checkAccount({ aws, branch }: PreflightInput, appId: string): void {
  if (!aws(['ssm', 'get-parameter', '--name', BOOTSTRAP_PARAMETER])) {
    throw new PreflightError(
      `This account/region is not CDK-bootstrapped (no SSM parameter ${BOOTSTRAP_PARAMETER}): run \`npx cdk bootstrap aws://ACCOUNT_ID/REGION\` once with admin credentials (docs/deploy.md).`,
    );
  }
  if (!aws(['amplify', 'get-app', '--app-id', appId])) {
    throw new PreflightError(`Amplify app ${appId} not found in this account/region: deploy the setup stack (deploy/) and copy its AmplifyAppId output into AMPLIFY_APP_ID.`);
  }
  if (!aws(['amplify', 'get-branch', '--app-id', appId, '--branch-name', branch])) {
    throw new PreflightError(
      `Amplify app ${appId} has no branch "${branch}" (pipeline-deploy would roll back): the setup stack creates main and staging; for another, run \`aws amplify create-branch --app-id ${appId} --branch-name ${branch}\` (docs/deploy.md).`,
    );
  }
}
