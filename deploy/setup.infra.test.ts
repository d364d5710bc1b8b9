/**
 * The one-time setup stack, synthesized offline: OIDC provider created or taken by ARN, a deploy role
 * only this repository's deploy branch can assume with exactly the workflow's permissions, the Amplify
 * app with its main and staging branches; the committed template is current; cdk-nag findings are only
 * the expected, explained wildcards.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BRANCHES, DeploySetupStack, GITHUB_OIDC_URL } from './setup-stack';
import { SETUP_TEMPLATE, synthesizeSetup } from './setup';

let app: App;
let template: Template;
type Statement = { Sid: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
let statements: Statement[];

beforeAll(() => {
  app = new App();
  template = Template.fromStack(new DeploySetupStack(app, 'ChatDeploySetup'));
  const [role] = Object.values(template.findResources('AWS::IAM::Role'));
  statements = role!.Properties.Policies[0].PolicyDocument.Statement;
});

const flat = (value: unknown) => JSON.stringify(value);

describe('deploy setup stack', () => {
  it('creates the GitHub OIDC provider only when no existing ARN is given', () => {
    template.hasResource('AWS::IAM::OIDCProvider', {
      Condition: 'CreateOidcProvider',
      Properties: { Url: GITHUB_OIDC_URL, ClientIdList: ['sts.amazonaws.com'] },
    });
    template.hasCondition('CreateOidcProvider', { 'Fn::Equals': [{ Ref: 'ExistingOidcProviderArn' }, ''] });
    template.hasParameter('ExistingOidcProviderArn', { Default: '' });
  });

  it('the role trusts only this repository\'s deploy branch, through OIDC', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Effect: 'Allow',
            Principal: { Federated: { 'Fn::If': ['CreateOidcProvider', { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, { Ref: 'ExistingOidcProviderArn' }] } },
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub': { 'Fn::Join': ['', ['repo:', { Ref: 'GitHubRepository' }, ':ref:refs/heads/', { Ref: 'DeployBranch' }]] },
              },
            },
          },
        ],
      },
    });
    template.hasParameter('GitHubRepository', { AllowedPattern: Match.stringLikeRegexp('/') });
    expect(flat(template.toJSON())).not.toMatch(/StringLike|refs\/heads\/\*|"repo:\*/);
  });

  it('grants the workflow\'s actions only, never IAM or a service-wide wildcard', () => {
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.filter((a) => a.endsWith(':*') || a === '*' || a.startsWith('iam:'))).toEqual([]);
    expect(statements.map((s) => s.Sid)).toEqual([
      'UseCdkBootstrapRoles',
      'CheckBootstrap',
      'ReadAmplifyApp',
      'ReadBackendStacks',
      'ListSiteBuckets',
      'UploadSite',
      'InvalidateSite',
      'E2eUsersOnStaging',
      'FindE2eTables',
      'E2eCleanupOnStaging',
    ]);
    // Resource "*" only for ListTables (it has no resource-level permission).
    expect(statements.filter((s) => flat(s.Resource) === '"*"').map((s) => s.Action)).toEqual(['dynamodb:ListTables']);
  });

  it('e2e rights reach the staging branch only', () => {
    const users = statements.find((s) => s.Sid === 'E2eUsersOnStaging')!;
    expect(flat(users.Condition)).toContain(`"aws:ResourceTag/amplify:branch-name":"${BRANCHES.test}"`);
    expect(flat(statements.find((s) => s.Sid === 'E2eCleanupOnStaging')!.Resource)).toContain(`-${BRANCHES.test}-branch-*`);
    expect(flat(statements)).not.toContain(`-${BRANCHES.production}-branch-`);
  });

  it('creates the Amplify app and both branches the workflow deploys, and outputs what the repository needs', () => {
    template.resourceCountIs('AWS::Amplify::App', 1);
    template.hasResourceProperties('AWS::Amplify::Branch', { BranchName: 'main', Stage: 'PRODUCTION' });
    template.hasResourceProperties('AWS::Amplify::Branch', { BranchName: 'staging', Stage: 'BETA' });
    template.hasOutput('AmplifyAppId', { Value: { 'Fn::GetAtt': [Match.anyValue(), 'AppId'] } });
    template.hasOutput('DeployRoleArn', Match.objectLike({}));
    expect(template.toJSON().Parameters?.BootstrapVersion).toBeUndefined(); // deployable without cdk bootstrap
  });

  it('cdk-nag: only the expected resource wildcards (IAM5), nothing else', () => {
    const findings = new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName);
    expect(findings.filter((f) => !f.startsWith('AwsSolutions-IAM5['))).toEqual([]);
    // Each wildcard is scoped to this account/region and to this app's names, or has no narrower form.
    expect(findings.map((f) => f.replace(/^AwsSolutions-IAM5\[Resource::|\]$/g, '')).sort()).toEqual(
      [
        '*',
        'arn:<AWS::Partition>:amplify:<AWS::Region>:<AWS::AccountId>:apps/<App.AppId>/branches/*',
        'arn:<AWS::Partition>:cloudformation:<AWS::Region>:<AWS::AccountId>:stack/amplify-<App.AppId>-*/*',
        'arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/*',
        'arn:<AWS::Partition>:cognito-idp:<AWS::Region>:<AWS::AccountId>:userpool/*',
        'arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/amplify-<App.AppId>-staging-branch-*',
        'arn:<AWS::Partition>:iam::<AWS::AccountId>:role/cdk-hnb659fds-*-<AWS::AccountId>-<AWS::Region>',
        'arn:<AWS::Partition>:s3:::amplify-<App.AppId>-*',
        'arn:<AWS::Partition>:s3:::amplify-<App.AppId>-*/*',
      ].sort(),
    );
  });

  it('deploy/setup.template.json is the current synthesis (run `npm run setup:synth` after changing the stack)', () => {
    expect(readFileSync(SETUP_TEMPLATE, 'utf8')).toBe(synthesizeSetup());
  });
});
