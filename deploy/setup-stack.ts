/**
 * One-time setup of an AWS account for .github/workflows/deploy.yml, as one CloudFormation stack:
 * GitHub's OIDC provider (or an existing one's ARN: CloudFormation cannot look one up, and an account
 * holds only one per URL), a deploy role only this repository's deploy branch can assume, and the Amplify
 * app with its `main` (production) and `staging` branches, which must exist before `ampx pipeline-deploy`.
 * No assets: deploy the synthesized template with `aws cloudformation deploy` (docs/deploy.md).
 */
import { Aws, CfnCondition, CfnOutput, CfnParameter, DefaultStackSynthesizer, Fn, Stack, type App } from 'aws-cdk-lib';
import { CfnApp, CfnBranch } from 'aws-cdk-lib/aws-amplify';
import { CfnOIDCProvider, FederatedPrincipal, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';

/** GitHub Actions' OIDC issuer. */
export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
const ISSUER = 'token.actions.githubusercontent.com';
/** CDK's default bootstrap qualifier (what `cdk bootstrap` creates unless told otherwise). */
export const CDK_QUALIFIER = 'hnb659fds';
/** The Amplify branches the workflow deploys: production, and the one e2e runs against. */
export const BRANCHES = { production: 'main', test: 'staging' } as const;

/** The setup stack. */
export class DeploySetupStack extends Stack {
  constructor(scope: App, id: string) {
    // No bootstrap needed for this stack itself (nothing to upload), so no bootstrap-version rule.
    super(scope, id, { synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }), description: 'Chat: GitHub OIDC deploy role and Amplify app (one-time setup)' });

    const repository = new CfnParameter(this, 'GitHubRepository', {
      type: 'String',
      description: 'owner/name of the GitHub repository whose workflow may deploy',
      allowedPattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$',
      constraintDescription: 'must be owner/name, e.g. octo-org/chat',
    });
    const deployBranch = new CfnParameter(this, 'DeployBranch', {
      type: 'String',
      default: 'main',
      description: 'The git branch whose workflow runs may assume the deploy role',
    });
    const existingProvider = new CfnParameter(this, 'ExistingOidcProviderArn', {
      type: 'String',
      default: '',
      description: `ARN of this account's existing ${GITHUB_OIDC_URL} OIDC provider; empty creates one`,
      allowedPattern: '^(|arn:aws[a-z-]*:iam::\\d{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com)$',
    });
    const appName = new CfnParameter(this, 'AppName', { type: 'String', default: 'chatroom', description: 'Name of the Amplify app' });

    const createProvider = new CfnCondition(this, 'CreateOidcProvider', { expression: Fn.conditionEquals(existingProvider.valueAsString, '') });
    const provider = new CfnOIDCProvider(this, 'GitHubOidcProvider', { url: GITHUB_OIDC_URL, clientIdList: ['sts.amazonaws.com'] });
    provider.cfnOptions.condition = createProvider;
    const providerArn = Fn.conditionIf(createProvider.logicalId, provider.attrArn, existingProvider.valueAsString).toString();

    const app = new CfnApp(this, 'App', { name: appName.valueAsString, platform: 'WEB' });
    const branch = (id: string, name: string, stage: string) =>
      new CfnBranch(this, id, { appId: app.attrAppId, branchName: name, stage, enableAutoBuild: false });
    branch('ProductionBranch', BRANCHES.production, 'PRODUCTION');
    branch('StagingBranch', BRANCHES.test, 'BETA');

    const role = new Role(this, 'DeployRole', {
      description: 'Assumed by the deploy workflow of one GitHub repository branch (OIDC)',
      assumedBy: new FederatedPrincipal(
        providerArn,
        {
          StringEquals: {
            [`${ISSUER}:aud`]: 'sts.amazonaws.com',
            [`${ISSUER}:sub`]: Fn.join('', ['repo:', repository.valueAsString, ':ref:refs/heads/', deployBranch.valueAsString]),
          },
        },
        'sts:AssumeRoleWithWebIdentity',
      ),
      inlinePolicies: { deploy: this.deployPolicy(app.attrAppId) },
    });

    new CfnOutput(this, 'AmplifyAppId', { value: app.attrAppId, description: 'Repository variable AMPLIFY_APP_ID' });
    new CfnOutput(this, 'DeployRoleArn', { value: role.roleArn, description: 'Repository variable AWS_DEPLOY_ROLE_ARN' });
  }

  /** Exactly what the workflow does, and no more (why each statement: its Sid). */
  private deployPolicy(appId: string): PolicyDocument {
    const { ACCOUNT_ID: account, REGION: region, PARTITION: partition } = Aws;
    const arn = (service: string, resource: string, global = false) => `arn:${partition}:${service}:${global ? '' : region}:${account}:${resource}`;
    return new PolicyDocument({
      statements: [
        // ampx pipeline-deploy deploys through the CDK bootstrap roles (they hold the CloudFormation rights).
        new PolicyStatement({
          sid: 'UseCdkBootstrapRoles',
          actions: ['sts:AssumeRole', 'sts:TagSession'],
          resources: [`arn:${partition}:iam::${account}:role/cdk-${CDK_QUALIFIER}-*-${account}-${region}`],
        }),
        new PolicyStatement({ sid: 'CheckBootstrap', actions: ['ssm:GetParameter'], resources: [arn('ssm', `parameter/cdk-bootstrap/${CDK_QUALIFIER}/version`)] }),
        new PolicyStatement({
          sid: 'ReadAmplifyApp',
          actions: ['amplify:GetApp', 'amplify:GetBranch', 'amplify:ListBranches'],
          resources: [arn('amplify', `apps/${appId}`), arn('amplify', `apps/${appId}/branches/*`)],
        }),
        // ampx generate outputs / pipeline-deploy read the backend stacks' outputs.
        new PolicyStatement({
          sid: 'ReadBackendStacks',
          actions: ['cloudformation:DescribeStacks', 'cloudformation:DescribeStackResources', 'cloudformation:ListStackResources', 'cloudformation:GetTemplateSummary'],
          resources: [arn('cloudformation', `stack/amplify-${appId}-*/*`)],
        }),
        // The site buckets CloudFormation names after the app's stacks (amplify-<appId>-<branch>-…).
        new PolicyStatement({ sid: 'ListSiteBuckets', actions: ['s3:ListBucket'], resources: [`arn:${partition}:s3:::amplify-${appId}-*`] }),
        new PolicyStatement({
          sid: 'UploadSite',
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
          resources: [`arn:${partition}:s3:::amplify-${appId}-*/*`],
        }),
        // Distribution ids exist only after the first deploy; invalidation is the only CloudFront write allowed.
        new PolicyStatement({
          sid: 'InvalidateSite',
          actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
          resources: [arn('cloudfront', 'distribution/*', true)],
        }),
        // e2e on staging only: test users through the admin API (user pools carry Amplify's branch tags)…
        new PolicyStatement({
          sid: 'E2eUsersOnStaging',
          actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminSetUserPassword', 'cognito-idp:AdminDeleteUser', 'cognito-idp:ListUsers'],
          resources: [arn('cognito-idp', 'userpool/*')],
          conditions: { StringEquals: { 'aws:ResourceTag/amplify:app-id': appId, 'aws:ResourceTag/amplify:branch-name': BRANCHES.test } },
        }),
        // …and removing the messages those users wrote, in staging's tables only.
        new PolicyStatement({ sid: 'FindE2eTables', actions: ['dynamodb:ListTables'], resources: ['*'] }),
        new PolicyStatement({
          sid: 'E2eCleanupOnStaging',
          actions: ['dynamodb:Scan', 'dynamodb:BatchWriteItem'],
          resources: [arn('dynamodb', `table/amplify-${appId}-${BRANCHES.test}-branch-*`)],
        }),
      ],
    });
  }
}
