/**
 * Synthesizes the one-time setup stack (deploy/setup-stack.ts) to deploy/setup.template.json, offline.
 * The committed template is what docs/deploy.md deploys; deploy/setup.infra.test.ts checks it is current.
 *
 *   npm run setup:synth
 */
import { App } from 'aws-cdk-lib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DeploySetupStack } from './setup-stack';

/** Where the synthesized template is committed. */
export const SETUP_TEMPLATE = resolve(import.meta.dirname, 'setup.template.json');

/** The setup stack's CloudFormation template, as committed (stable key order, trailing newline). */
export function synthesizeSetup(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'setup-cdk-'));
  try {
    const app = new App({ outdir, analyticsReporting: false });
    const stack = new DeploySetupStack(app, 'ChatDeploySetup');
    const template = app.synth().getStackByName(stack.stackName).template as unknown;
    return `${JSON.stringify(template, null, 2)}\n`;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  writeFileSync(SETUP_TEMPLATE, synthesizeSetup());
  console.log(`wrote ${SETUP_TEMPLATE}`);
}
