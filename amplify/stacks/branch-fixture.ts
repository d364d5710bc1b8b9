/**
 * The infra tests' production branch: the real backend synthesized offline (templates only, no bundling) with the
 * settings a production branch has — an SES sender on a verified domain and an alarm email — and a fixture export
 * standing in for out/ (infra tests run before `npm run build`; the real CSP-hash check stays on).
 * One synthesis per test process: the backend module is evaluated once per import graph.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSiteHashes } from './csp-hashes';
import { SITE_OUT_DIR_CONTEXT } from './site';

/** The alarm subscription address of the fixture branch. */
export const BRANCH_ALARM_EMAIL = 'ops@example.com';

/** Imports `amplify/backend.ts` as branch `main` of app `chatroom`; `cleanUp` removes the fixture export. */
export async function synthBranchBackend(): Promise<{ mod: typeof import('../backend'); cleanUp: () => void }> {
  const outDir = mkdtempSync(join(tmpdir(), 'branch-out-'));
  writeFileSync(join(outDir, 'index.html'), '<script>boot()</script>');
  writeSiteHashes(outDir);
  process.env.CDK_CONTEXT_JSON = JSON.stringify({
    'amplify-backend-namespace': 'chatroom',
    'amplify-backend-name': 'main',
    'amplify-backend-type': 'branch',
    'aws:cdk:bundling-stacks': [], // skip esbuild: templates only
    [SITE_OUT_DIR_CONTEXT]: outDir,
  });
  delete process.env.CDK_OUTDIR; // write to a temp dir, never over a developer's cdk.out
  delete process.env.CHAT_EXTRA_ORIGINS;
  delete process.env.CHAT_API_GATEWAY_ACCOUNT_ROLE;
  delete process.env.CHAT_PREVIOUS_CSP_HASHES;
  process.env.CHAT_EMAIL_FROM = 'chat@example.com';
  process.env.CHAT_EMAIL_SES_IDENTITY = 'example.com';
  process.env.CHAT_ALARM_EMAIL = BRANCH_ALARM_EMAIL;
  const mod = await import('../backend');
  return { mod, cleanUp: () => rmSync(outDir, { recursive: true, force: true }) };
}
