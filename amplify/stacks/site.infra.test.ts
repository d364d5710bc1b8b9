/**
 * The site stack of a sandbox deployment: CloudFront sends exactly the header set the local server
 * sends (security-headers.ts) with a hash-only CSP, both S3 and CloudFront log to the log bucket, and the
 * sandbox passes cdk-nag too. A bare Site in a plain CDK app shows the no-build fallback (fails closed).
 */
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { show } from './cfn-inspect';
import { directiveOf, hashSource } from './csp';
import { writeSiteHashes } from './csp-hashes';
import { nagFindings } from './nag';
import { cloudCsp, securityHeaders } from './security-headers';
import { Site, SITE_OUT_DIR_CONTEXT } from './site';
import { ACCESS_LOG_RETENTION_DAYS, LOG_PREFIXES } from './site-logs';

type Module = typeof import('../backend');
let mod: Module;
let site: Template;
let assemblyDir: string;
const outDir = mkdtempSync(join(tmpdir(), 'site-out-'));
const emptyDir = mkdtempSync(join(tmpdir(), 'site-empty-'));
const bareOutdir = mkdtempSync(join(tmpdir(), 'site-bare-cdk-'));
const fixture = { scripts: [hashSource('boot()')], styles: [hashSource('h1{x:1}')], styleAttributes: [hashSource('color:red')] };

beforeAll(async () => {
  writeFileSync(join(outDir, 'index.html'), '<style>h1{x:1}</style><p style="color:red"></p><script>boot()</script>');
  writeSiteHashes(outDir);
  process.env.CDK_CONTEXT_JSON = JSON.stringify({
    'amplify-backend-namespace': 'chatroom',
    'amplify-backend-name': 'alice',
    'amplify-backend-type': 'sandbox',
    'aws:cdk:bundling-stacks': [],
    [SITE_OUT_DIR_CONTEXT]: outDir,
  });
  delete process.env.CDK_OUTDIR;
  delete process.env.CHAT_EXTRA_ORIGINS;
  mod = await import('../backend');
  // Synthesis (here inside Template.fromStack) runs the AwsSolutions plugin and throws on any unacknowledged
  // finding; the output folder is known first, so afterAll removes it even then.
  assemblyDir = Stage.of(mod.backend.stack)!.outdir;
  site = Template.fromStack(Stack.of(mod.site));
});

afterAll(() => {
  if (assemblyDir) rmSync(assemblyDir, { recursive: true, force: true });
  for (const dir of [outDir, emptyDir, bareOutdir]) rmSync(dir, { recursive: true, force: true });
});

/** The header set a response headers policy makes CloudFront send (intrinsics rendered by `show`). */
function headersOf(template: Template): Record<string, string> {
  const [policy] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
  const config = policy!.Properties.ResponseHeadersPolicyConfig;
  const sec = config.SecurityHeadersConfig;
  const all = [sec.ContentSecurityPolicy, sec.StrictTransportSecurity, sec.ContentTypeOptions, sec.FrameOptions, sec.ReferrerPolicy];
  expect(all.every((h: { Override: boolean }) => h.Override === true)).toBe(true);
  const hsts = sec.StrictTransportSecurity;
  return {
    'content-security-policy': show(sec.ContentSecurityPolicy.ContentSecurityPolicy),
    'strict-transport-security': `max-age=${hsts.AccessControlMaxAgeSec}${hsts.IncludeSubdomains ? '; includeSubDomains' : ''}${hsts.Preload ? '; preload' : ''}`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': sec.FrameOptions.FrameOption,
    'referrer-policy': sec.ReferrerPolicy.ReferrerPolicy,
    ...Object.fromEntries(config.CustomHeadersConfig.Items.map((h: { Header: string; Value: string }) => [h.Header, h.Value])),
  };
}

describe('site security headers (CloudFront)', () => {
  it('are exactly the header set the local server sends, for this region and build', () => {
    expect(headersOf(site)).toEqual(securityHeaders(cloudCsp('<AWS::Region>', fixture)));
  });

  it('CSP: inline code only by this build hash, no framing; HSTS for two years with subdomains', () => {
    const csp = headersOf(site)['content-security-policy']!;
    expect(directiveOf(csp, 'script-src')).toEqual(["'self'", hashSource('boot()')]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(directiveOf(csp, 'frame-ancestors')).toEqual(["'none'"]);
    expect(directiveOf(csp, 'connect-src')).toContain('wss://*.execute-api.<AWS::Region>.amazonaws.com');
    site.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Preload: false, Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      }),
    });
  });

  it('are attached to the distribution', () => {
    const [policyId] = Object.keys(site.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    site.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ DefaultCacheBehavior: Match.objectLike({ ResponseHeadersPolicyId: { Ref: policyId } }) }),
    });
  });
});

describe('site access logs', () => {
  it('S3 and CloudFront log into a private, TLS-only, expiring log bucket (emptied with a sandbox)', () => {
    const [logBucketId] = Object.keys(site.findResources('AWS::S3::Bucket', { Properties: { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } } }));
    site.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: ACCESS_LOG_RETENTION_DAYS })] },
      }),
      DeletionPolicy: 'Delete',
    });
    site.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: LOG_PREFIXES.s3 } });
    site.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Logging: { Bucket: { 'Fn::GetAtt': [logBucketId, 'RegionalDomainName'] }, Prefix: LOG_PREFIXES.cloudFront } }),
    });
    site.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logBucketId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('still depends on no other stack', () => {
    expect(site.toJSON().Parameters ?? {}).toEqual({});
  });
});

describe('sandbox deployment', () => {
  it('passes cdk-nag AwsSolutions with zero unacknowledged findings', () => {
    expect(nagFindings(mod.backend.stack.node.root)).toEqual([]);
  });
});

describe('without a build (no out/csp-hashes.json)', () => {
  it('allows no inline code at all and warns at synth', () => {
    const stack = new Stack(new App({ outdir: bareOutdir }), 'Bare');
    // On the stack: this process's CDK_CONTEXT_JSON (the sandbox's) would override App-level context.
    stack.node.setContext(SITE_OUT_DIR_CONTEXT, emptyDir);
    const bare = new Site(stack, 'Site');
    expect(directiveOf(bare.csp, 'script-src')).toEqual(["'self'"]);
    expect(directiveOf(bare.csp, 'style-src')).toEqual(["'self'"]);
    Annotations.fromStack(stack).hasWarning('/Bare/Site', Match.stringLikeRegexp('csp-hashes\\.json'));
  });
});
