/**
 * The site stack of a `staging` branch deployment (Cognito's default sender opted into): CloudFront sends
 * exactly the header set the local server sends (security-headers.ts) with a hash-only CSP that also
 * allows the live build's hashes for one more deploy, both S3 and CloudFront log to the log bucket, and
 * cdk-nag passes. A bare Site without a build fails synthesis.
 */
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { show } from './cfn-inspect';
import { directiveOf, hashSource, mergeHashes } from './csp';
import { writeSiteHashes } from './csp-hashes';
import { nagFindings } from './nag';
import { cloudCsp, securityHeaders } from './security-headers';
import { Site, SiteBuildError, SITE_OUT_DIR_CONTEXT } from './site';
import { ACCESS_LOG_RETENTION_DAYS, LOG_PREFIXES } from './site-logs';

type Module = typeof import('../backend');
let mod: Module;
let site: Template;
let assemblyDir: string;
const outDir = mkdtempSync(join(tmpdir(), 'site-out-'));
const emptyDir = mkdtempSync(join(tmpdir(), 'site-empty-'));
const bareOutdir = mkdtempSync(join(tmpdir(), 'site-bare-cdk-'));
const fixture = { scripts: [hashSource('boot()')], styles: [hashSource('h1{x:1}')], styleAttributes: [hashSource('color:red')] };
const previousDir = mkdtempSync(join(tmpdir(), 'site-previous-'));
const previous = { scripts: [hashSource('oldBoot()')], styles: [], styleAttributes: [] };

beforeAll(async () => {
  writeFileSync(join(outDir, 'index.html'), '<style>h1{x:1}</style><p style="color:red"></p><script>boot()</script>');
  writeSiteHashes(outDir);
  writeFileSync(join(previousDir, 'index.html'), '<script>oldBoot()</script>');
  writeSiteHashes(previousDir);
  process.env.CHAT_PREVIOUS_CSP_HASHES = join(previousDir, 'csp-hashes.json');
  process.env.CHAT_EMAIL_COGNITO_DEFAULT = '1';
  delete process.env.CHAT_EMAIL_FROM;
  delete process.env.CHAT_API_GATEWAY_ACCOUNT_ROLE;
  process.env.CDK_CONTEXT_JSON = JSON.stringify({
    'amplify-backend-namespace': 'chatroom',
    'amplify-backend-name': 'staging',
    'amplify-backend-type': 'branch',
    'aws:cdk:bundling-stacks': [],
    [SITE_OUT_DIR_CONTEXT]: outDir,
  });
  delete process.env.CDK_OUTDIR;
  delete process.env.CHAT_EXTRA_ORIGINS;
  mod = await import('../backend');
  // Synthesis (here inside Template.fromStack) runs the AwsSolutions plugin and throws on any unacknowledged
  // finding; the output folder is known first, so afterAll removes it even then.
  assemblyDir = Stage.of(mod.backend.stack)!.outdir;
  site = Template.fromStack(Stack.of(mod.site!));
});

afterAll(() => {
  if (assemblyDir) rmSync(assemblyDir, { recursive: true, force: true });
  for (const dir of [outDir, emptyDir, bareOutdir, previousDir]) rmSync(dir, { recursive: true, force: true });
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
    expect(headersOf(site)).toEqual(securityHeaders(cloudCsp('<AWS::Region>', mergeHashes([fixture, previous]))));
  });

  it('CSP: inline code only by hash (this build and the live one), no framing; HSTS for two years with subdomains', () => {
    const csp = headersOf(site)['content-security-policy']!;
    expect(directiveOf(csp, 'script-src')).toEqual(["'self'", ...[hashSource('boot()'), hashSource('oldBoot()')].sort()]);
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
  it('S3 and CloudFront log into a private, TLS-only, expiring log bucket (retained, never auto-emptied)', () => {
    const [logBucketId] = Object.keys(site.findResources('AWS::S3::Bucket', { Properties: { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } } }));
    site.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: ACCESS_LOG_RETENTION_DAYS })] },
      }),
      DeletionPolicy: 'Retain',
    });
    // autoDeleteObjects races late log delivery (BucketNotEmpty): no emptying custom resource at all.
    expect(Object.keys(site.findResources('Custom::S3AutoDeleteObjects'))).toEqual([]);
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

describe('staging deployment', () => {
  it('passes cdk-nag AwsSolutions with zero unacknowledged findings', () => {
    expect(nagFindings(mod.backend.stack.node.root)).toEqual([]);
  });
});

describe('without a build (no out/csp-hashes.json)', () => {
  it('fails synthesis with the fix instead of deploying a page that cannot start', () => {
    const stack = new Stack(new App({ outdir: bareOutdir }), 'Bare');
    // On the stack: this process's CDK_CONTEXT_JSON would override App-level context.
    stack.node.setContext(SITE_OUT_DIR_CONTEXT, emptyDir);
    expect(() => new Site(stack, 'Site')).toThrow(SiteBuildError);
    expect(() => new Site(stack, 'Site2')).toThrow(/csp-hashes\.json: run `npm run build` before deploying/);
  });

  it('fails when the live build\'s hashes were promised but are not there', () => {
    const stack = new Stack(new App({ outdir: bareOutdir }), 'Prev');
    stack.node.setContext(SITE_OUT_DIR_CONTEXT, outDir);
    expect(() => new Site(stack, 'Site', { previousHashesFile: join(emptyDir, 'csp-hashes.json') })).toThrow(/CHAT_PREVIOUS_CSP_HASHES=.*unset it on a first deploy/);
  });
});
