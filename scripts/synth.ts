/**
 * Synthesizes the whole Amplify backend offline (no AWS credentials) into cdk.out/, then checks the
 * templates for dependency cycles, which `synth` itself never reports but CloudFormation rejects.
 *
 *   npm run synth                                   # branch "main", functions bundled (deployable assets)
 *   npm run synth -- --type sandbox --name alice    # what `ampx sandbox` would deploy for alice
 *   npm run synth -- --no-bundle                    # skip esbuild: templates only, ~2x faster
 *
 * The backend runs in a child process because Amplify builds exactly one backend per process and the
 * CDK app only writes its output on exit (when CDK_OUTDIR is set).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkAssembly, formatReport } from '../amplify/stacks/assembly-check';

const { values } = parseArgs({
  options: {
    type: { type: 'string', default: 'branch' },
    name: { type: 'string', default: 'main' },
    namespace: { type: 'string', default: 'chatroom' },
    out: { type: 'string', default: 'cdk.out' },
    'no-bundle': { type: 'boolean', default: false },
  },
});
if (!['branch', 'sandbox', 'standalone'].includes(values.type)) {
  console.error(`--type must be branch, sandbox or standalone (got "${values.type}")`);
  process.exit(2);
}

const outdir = resolve(values.out);
// Stale templates from an earlier run would be read by the cycle check, so start clean.
rmSync(outdir, { recursive: true, force: true });

const context: Record<string, unknown> = {
  'amplify-backend-namespace': values.namespace,
  'amplify-backend-name': values.name,
  'amplify-backend-type': values.type,
  ...(values['no-bundle'] ? { 'aws:cdk:bundling-stacks': [] } : {}),
};
const started = Date.now();
const child = spawnSync(process.execPath, ['--import', 'tsx', 'amplify/backend.ts'], {
  stdio: ['inherit', 'inherit', 'pipe'],
  encoding: 'utf8',
  env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
});
if (child.status !== 0) {
  // A missing setting or build is bad input, not a crash: its one line names the fix (no stack trace).
  const known = /^(?:SettingsError|SiteBuildError): .*$/m.exec(child.stderr ?? '');
  console.error(known ? known[0] : child.stderr);
  console.error(`synth failed (exit ${child.status ?? child.signal})`);
  process.exit(1);
}
process.stderr.write(child.stderr ?? '');
const seconds = ((Date.now() - started) / 1000).toFixed(1);

const report = checkAssembly(outdir);
console.log(`synthesized ${report.templates.length} templates into ${outdir} in ${seconds} s`);
console.log(formatReport(report));

// cdk-nag (amplify/stacks/nag.ts) and CDK's own validation plugins report here; a finding already failed the
// synthesis above, so anything left is a warning: surface it. The cycle check decides the exit code.
const validation = join(outdir, 'validation-report.json');
if (existsSync(validation)) {
  const { pluginReports = [] } = JSON.parse(readFileSync(validation, 'utf8')) as { pluginReports?: Array<{ violations?: unknown[] }> };
  const findings = pluginReports.reduce((n, r) => n + (r.violations?.length ?? 0), 0);
  if (findings) console.log(`${findings} validation finding(s): see ${validation}`);
}
process.exit(report.cycles.length ? 1 : 0);
