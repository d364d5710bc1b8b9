/**
 * Security posture of a branch deployment, synthesized offline with cdk-nag's AwsSolutions checks as a
 * validation plugin: zero unacknowledged findings in every stack, narrow and explained acknowledgements
 * (the README lists them), bounded retention on every Lambda and API access log group.
 */
import { CfnResource, Stage, Validations } from 'aws-cdk-lib';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAssembly, type AssemblyTemplate } from './assembly-check';
import { show } from './cfn-inspect';
import { NAG_ACKNOWLEDGEMENTS, WITHOUT_ACCOUNT_ROLE } from './nag-acknowledgements';
import { nagFindings } from './nag';
import { acknowledgementTable } from './nag-report';
import { SITE_OUT_DIR_CONTEXT } from './site';

type Module = typeof import('../backend');
let mod: Module;
let assemblyDir: string;
let templates: readonly AssemblyTemplate[];
const outDir = mkdtempSync(join(tmpdir(), 'nag-out-'));

beforeAll(async () => {
  // A fixed export, so the result never depends on whether (or what) `npm run build` left in out/.
  writeFileSync(join(outDir, 'index.html'), '<script>boot()</script>');
  const { writeSiteHashes } = await import('./csp-hashes');
  writeSiteHashes(outDir);
  process.env.CDK_CONTEXT_JSON = JSON.stringify({
    'amplify-backend-namespace': 'chatroom',
    'amplify-backend-name': 'main',
    'amplify-backend-type': 'branch',
    'aws:cdk:bundling-stacks': [],
    [SITE_OUT_DIR_CONTEXT]: outDir,
  });
  delete process.env.CDK_OUTDIR;
  // The opted-in account: WebSocket access logs through the account-wide role (backend.infra.test.ts covers the default, off).
  process.env.CHAT_API_GATEWAY_ACCOUNT_ROLE = '1';
  process.env.CHAT_EMAIL_COGNITO_DEFAULT = '1';
  delete process.env.CHAT_EMAIL_FROM;
  mod = await import('../backend');
  // Synthesis runs the AwsSolutions plugin and throws on any unacknowledged finding; the output folder
  // is known first, so afterAll removes it even then.
  const stage = Stage.of(mod.backend.stack)!;
  assemblyDir = stage.outdir;
  stage.synth();
  templates = checkAssembly(assemblyDir).templates;
});

afterAll(() => {
  if (assemblyDir) rmSync(assemblyDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
});

/** Every resource of a type across all templates, with the template it is in. */
const resources = (type: string) =>
  templates.flatMap(({ file, template }) =>
    Object.entries(template.Resources ?? {})
      .filter(([, r]) => r.Type === type)
      .map(([id, r]) => ({ file, id, props: (r.Properties ?? {}) as Record<string, unknown>, template })),
  );

describe('cdk-nag AwsSolutions', () => {
  it('synthesis passes with zero unacknowledged findings in the root, auth, realtime and site stacks', () => {
    expect(templates.length).toBeGreaterThanOrEqual(4);
    expect(nagFindings(mod.backend.stack.node.root)).toEqual([]);
    const report = JSON.parse(readFileSync(join(assemblyDir, 'validation-report.json'), 'utf8')) as { pluginReports: Array<{ violations: unknown[] }> };
    expect(report.pluginReports.flatMap((r) => r.violations)).toEqual([]);
  });

  it('uses every listed acknowledgement (but those for the account role switched off), each with a specific reason', () => {
    const used = new Set(mod.nagAcknowledgements.map((a) => a.acknowledgement));
    for (const ack of NAG_ACKNOWLEDGEMENTS) {
      const expected = ack.onlyWhen !== WITHOUT_ACCOUNT_ROLE;
      expect({ rule: ack.rule, resource: ack.resource, used: used.has(ack) }).toEqual({ rule: ack.rule, resource: ack.resource, used: expected });
      expect(ack.reason.length, `${ack.rule}: reason too short`).toBeGreaterThanOrEqual(80);
      expect(ack.reason).not.toMatch(/^(n\/?a|none|not needed|ok|todo)\b/i);
    }
    const reasons = NAG_ACKNOWLEDGEMENTS.map((a) => `${a.rule} ${a.reason}`);
    expect(new Set(reasons).size).toBe(reasons.length);
  });

  it('acknowledges on individual resources only, never on a stack or the app', () => {
    const holders = mod.backend.stack.node.root.node
      .findAll()
      .filter((c) => c.node.metadata.some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY));
    const relative = (path: string) => path.split('/').slice(1).join('/');
    expect(new Set(holders.map((h) => relative(h.node.path)))).toEqual(new Set(mod.nagAcknowledgements.map((a) => a.path)));
    for (const holder of holders) expect(CfnResource.isCfnResource(holder), holder.node.path).toBe(true);
  });

  it('README.md lists every acknowledgement (rule, resource, reason)', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    expect(readme, 'run `npx tsx scripts/security-table.ts`').toContain(acknowledgementTable());
  });
});

describe('logs', () => {
  const retentionOf = (template: AssemblyTemplate['template'], ref: unknown) => {
    const id = show(ref).replace(/^<|(\.Arn)?>$/g, '');
    const group = template.Resources?.[id];
    expect(group?.Type, `${show(ref)} is a log group of the same template`).toBe('AWS::Logs::LogGroup');
    return (group!.Properties as { RetentionInDays?: number }).RetentionInDays;
  };

  it('every Lambda (Amplify and CDK custom-resource ones included) logs to a group with bounded retention', () => {
    const functions = resources('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(9); // 7 chat functions + the branch linker's two
    for (const fn of functions) {
      const logGroup = (fn.props.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup;
      expect(retentionOf(fn.template, logGroup), `${fn.file} ${fn.id}`).toBe(30);
    }
  });

  it('both API stages write access logs (ids and outcomes, never the query string) to a 90-day group', () => {
    const stages = resources('AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(2);
    for (const stage of stages) {
      const settings = stage.props.AccessLogSettings as { DestinationArn: unknown; Format: string };
      expect(retentionOf(stage.template, settings.DestinationArn)).toBe(90);
      expect(JSON.parse(settings.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
      expect(settings.Format).not.toMatch(/querystring|requestOverride|\$input|body/i);
    }
  });

  it('the WebSocket stage waits for the account-level API Gateway log role, which outlives the stack', () => {
    const [account] = resources('AWS::ApiGateway::Account');
    const ws = resources('AWS::ApiGatewayV2::Stage').find((s) => s.props.StageName === 'prod')!;
    expect(ws.template.Resources![ws.id]!.DependsOn).toContain(account!.id);
    const roleId = show(account!.props.CloudWatchRoleArn).replace(/^<|\.Arn>$/g, '');
    expect(ws.template.Resources![roleId]).toMatchObject({ Type: 'AWS::IAM::Role', DeletionPolicy: 'Retain' });
  });
});

describe('auth', () => {
  it('the identity pool gives no credentials to anonymous visitors', () => {
    const [pool] = resources('AWS::Cognito::IdentityPool');
    expect(pool!.props.AllowUnauthenticatedIdentities).toBe(false);
  });
});
