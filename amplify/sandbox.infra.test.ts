/**
 * A developer sandbox, synthesized offline with no settings at all: cheap and disposable. No site
 * stack (the web app is `next dev`, npm run sandbox), so no CloudFront response-headers policy and no
 * bucket that could fail `ampx sandbox delete` with BucketNotEmpty; nothing retained; user pool deletable.
 */
import { Stage } from 'aws-cdk-lib';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_OUTPUT_KEY } from '../lib/outputs';
import { checkAssembly, type AssemblyTemplate } from './stacks/assembly-check';
import { nagFindings } from './stacks/nag';

type Module = typeof import('./backend');
let mod: Module;
let assemblyDir: string;
let templates: readonly AssemblyTemplate[];

beforeAll(async () => {
  for (const name of Object.keys(process.env)) if (name.startsWith('CHAT_')) delete process.env[name];
  process.env.CDK_CONTEXT_JSON = JSON.stringify({
    'amplify-backend-namespace': 'chatroom',
    'amplify-backend-name': 'alice',
    'amplify-backend-type': 'sandbox',
    'aws:cdk:bundling-stacks': [],
  });
  delete process.env.CDK_OUTDIR;
  mod = await import('./backend');
  const stage = Stage.of(mod.backend.stack)!;
  assemblyDir = stage.outdir;
  stage.synth();
  templates = checkAssembly(assemblyDir).templates;
});

afterAll(() => assemblyDir && rmSync(assemblyDir, { recursive: true, force: true }));

const all = () => templates.flatMap(({ template }) => Object.entries(template.Resources ?? {}));
const ofType = (type: string) => all().filter(([, r]) => r.Type === type);

describe('sandbox deployment', () => {
  it('synthesizes without any setting and passes cdk-nag', () => {
    expect(nagFindings(mod.backend.stack.node.root)).toEqual([]);
    expect(checkAssembly(assemblyDir).cycles).toEqual([]);
  });

  it('has no site: no bucket, no distribution, no response headers policy, no auto-delete custom resource', () => {
    expect(mod.site).toBeUndefined();
    for (const type of ['AWS::S3::Bucket', 'AWS::CloudFront::Distribution', 'AWS::CloudFront::ResponseHeadersPolicy', 'Custom::S3AutoDeleteObjects']) {
      expect(ofType(type), type).toEqual([]);
    }
  });

  it('retains nothing and sets nothing account-wide: `ampx sandbox delete` removes it all', () => {
    const kept = all().filter(([, r]) => (r as { DeletionPolicy?: string }).DeletionPolicy === 'Retain').map(([id, r]) => `${r.Type} ${id}`);
    expect(kept).toEqual([]);
    expect(ofType('AWS::ApiGateway::Account')).toEqual([]);
    const pools = ofType('AWS::Cognito::UserPool');
    expect(pools).toHaveLength(1);
    expect((pools[0]![1].Properties as Record<string, unknown>).DeletionProtection).toBeUndefined();
  });

  it('publishes the APIs but no site fields in custom.chat', () => {
    const outputs = JSON.stringify(templates.map(({ template }) => (template as { Outputs?: unknown }).Outputs ?? {}));
    expect(outputs).toContain('customOutputs');
    expect(outputs).not.toMatch(/siteBucketName|siteDistributionId/);
    expect(CHAT_OUTPUT_KEY).toBe('chat');
  });
});
