/**
 * .github/workflows/deploy.yml, checked offline: valid against the GitHub workflow schema
 * (@action-validator/core), every npm script and file it runs exists, AWS only through OIDC (no static
 * keys anywhere), Node pinned to an exact 22/24 release, and the deploy steps in the safe order.
 */
import { validateWorkflow } from '@action-validator/core';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '../..');
const source = readFileSync(resolve(root, '.github/workflows/deploy.yml'), 'utf8');
const workflow = parse(source) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Array<{ name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }> }>;
};
const jobs = Object.values(workflow.jobs);
const steps = jobs.flatMap((j) => j.steps);
const runs = steps.flatMap((s) => (s.run ? [s.run] : []));
const scripts = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const indexOf = (pattern: RegExp, from = 0) => steps.findIndex((s, i) => i >= from && pattern.test(s.run ?? ''));

describe('deploy workflow', () => {
  it('is valid against the GitHub workflow schema', () => {
    const { errors } = validateWorkflow(source);
    expect(errors).toEqual([]);
    // The validator can fail: a misspelt key is reported.
    expect(validateWorkflow(source.replace('runs-on:', 'runs_on:')).errors.length).toBeGreaterThan(0);
  });

  it('runs on push to main and on manual dispatch, in one job', () => {
    expect(workflow.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
    expect(jobs).toHaveLength(1);
  });

  it('every npm script and file it runs exists', () => {
    const npmScripts = runs.flatMap((r) => [...r.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!));
    expect(npmScripts.length).toBeGreaterThan(0);
    for (const name of npmScripts) expect(scripts[name], `npm run ${name}`).toBeDefined();
    const files = runs.flatMap((r) => [...r.matchAll(/\b((?:scripts|e2e|deploy)\/[\w./-]+\.(?:ts|sh|mjs))/g)].map((m) => m[1]!));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) expect(existsSync(resolve(root, file)), file).toBe(true);
  });

  it('gets AWS access through OIDC only: id-token permission, a role to assume, no static keys', () => {
    expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const credentials = steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.with).toHaveProperty('role-to-assume');
    expect(source).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AKIA[0-9A-Z]{16}|secrets\./);
  });

  it('pins Node to an exact 22.x or 24.x release', () => {
    const setup = steps.filter((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setup).toHaveLength(1);
    expect(String(setup[0]!.with?.['node-version'])).toMatch(/^(22|24)\.\d+\.\d+$/);
  });

  it('builds once before any deploy; per branch: preflight → pipeline-deploy → outputs → upload → invalidation', () => {
    const build = indexOf(/^npm run build$/);
    expect(build).toBeGreaterThan(indexOf(/^npm ci$/));
    for (const branch of ['staging', 'main']) {
      const order = [
        indexOf(new RegExp(`preflight\\.ts --branch ${branch}\\b`)),
        indexOf(new RegExp(`live-hashes\\.ts --branch ${branch}\\b`)),
        indexOf(new RegExp(`ampx pipeline-deploy --branch ${branch} .*--outputs-out-dir out`)),
        indexOf(/site-env\.ts out\/amplify_outputs\.json >> "\$GITHUB_ENV"/, indexOf(new RegExp(`pipeline-deploy --branch ${branch}\\b`))),
        indexOf(/upload-site\.ts --bucket "\$SITE_BUCKET"/, indexOf(new RegExp(`pipeline-deploy --branch ${branch}\\b`))),
        indexOf(/create-invalidation/, indexOf(new RegExp(`pipeline-deploy --branch ${branch}\\b`))),
      ];
      expect(order.every((i) => i > build), branch).toBe(true);
      expect([...order].sort((a, b) => a - b), branch).toEqual(order);
    }
    expect(source).not.toMatch(/s3 sync[^\n]*--delete/);
  });

  it('runs e2e against the deployed staging URL, before production and never against it', () => {
    const e2e = steps.filter((s) => /test:e2e|playwright/.test(s.run ?? ''));
    expect(e2e).toHaveLength(1);
    expect(e2e[0]!.env).toEqual({ BASE_URL: '${{ env.SITE_URL }}', E2E_BRANCH: 'staging' });
    const at = steps.indexOf(e2e[0]!);
    expect(at).toBeGreaterThan(indexOf(/upload-site/));
    expect(at).toBeLessThan(indexOf(/pipeline-deploy --branch main\b/));
  });
});
