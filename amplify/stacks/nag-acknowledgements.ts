/**
 * Every cdk-nag AwsSolutions finding this backend accepts, with the reason. Each entry names one rule,
 * the resources it applies to (a pattern of construct paths below the root stack, so a new function or
 * WebSocket route of the same kind is covered, and nothing else is), and for per-finding rules (IAM4,
 * IAM5) the exact finding. The README's Security table is generated from this list.
 */

/** One accepted finding. */
export interface NagAcknowledgement {
  /** Rule id without the finding, e.g. `AwsSolutions-IAM5`. */
  readonly rule: string;
  /** For rules that report per finding: the text inside `Rule[…]` this covers (anchored). */
  readonly finding?: RegExp;
  /** Short form of the finding for the README. */
  readonly findingLabel?: string;
  /** Construct path below the root stack, e.g. `site/Site/Distribution/Resource` (anchored). */
  readonly path: RegExp;
  /** The resources, as the README names them. */
  readonly resource: string;
  readonly reason: string;
  /** Set when the finding exists only under one value of a setting (amplify/settings.ts). */
  readonly onlyWhen?: string;
}

/** `onlyWhen` of the findings that exist only while the account-wide API Gateway role is off. */
export const WITHOUT_ACCOUNT_ROLE = 'CHAT_API_GATEWAY_ACCOUNT_ROLE off';
/** `onlyWhen` of the findings that exist only when the account-wide API Gateway role is on. */
export const WITH_ACCOUNT_ROLE = 'CHAT_API_GATEWAY_ACCOUNT_ROLE=1';

const FUNCTION_ROLE = /^realtime\/[a-z0-9-]+-lambda\/ServiceRole\/Resource$/;
const FUNCTION_POLICY = /^realtime\/[a-z0-9-]+-lambda\/ServiceRole\/DefaultPolicy\/Resource$/;
const BRANCH_LINKER = /^AmplifyBranchLinker\//;
const USER_POOL = /^auth\/amplifyAuth\/UserPool\/Resource$/;
const DISTRIBUTION = /^site\/Site\/Distribution\/Resource$/;
const managedPolicy = (name: string) => new RegExp(`^Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${name}$`);

/** The accepted findings. */
export const NAG_ACKNOWLEDGEMENTS: readonly NagAcknowledgement[] = [
  {
    rule: 'AwsSolutions-IAM4',
    finding: managedPolicy('AWSLambdaBasicExecutionRole'),
    findingLabel: 'AWSLambdaBasicExecutionRole',
    path: FUNCTION_ROLE,
    resource: 'Role of each chat function (Amplify `defineFunction`)',
    reason:
      'Amplify attaches this AWS managed policy to every function role; it only allows creating and writing CloudWatch log streams. Every data-plane permission is an inline, per-table grant asserted in backend.infra.test.ts.',
  },
  {
    rule: 'AwsSolutions-IAM5',
    finding: /^Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<\w+>\/prod\/\*\/@connections\/\*$/,
    findingLabel: '`…/prod/*/@connections/*`',
    path: FUNCTION_POLICY,
    resource: 'Policy of the functions that post to sockets (ws-message, store-message, and ws-connect and ws-disconnect for presence)',
    reason:
      'Connection ids exist only at run time, so execute-api:ManageConnections is granted on this API\'s prod stage with a wildcard for the connection id; no other API or stage is reachable.',
  },
  {
    rule: 'AwsSolutions-APIG4',
    path: /^realtime\/.+\/WebSocket\/Api\/(?!\$connect-Route\/)[^/]+-Route\/Resource$/,
    resource: 'WebSocket routes other than `$connect`',
    reason:
      'API Gateway authorizes a WebSocket once, at $connect (here: the one-time-ticket Lambda authorizer); later frames arrive on that authorized connection and API Gateway accepts no authorizer on other routes.',
  },
  {
    rule: 'AwsSolutions-IAM4',
    finding: managedPolicy('AmazonAPIGatewayPushToCloudWatchLogs'),
    findingLabel: 'AmazonAPIGatewayPushToCloudWatchLogs',
    path: /^realtime\/.+\/ApiGatewayCloudWatchRole\/Resource$/,
    resource: 'API Gateway account logging role (only with `CHAT_API_GATEWAY_ACCOUNT_ROLE=1`)',
    onlyWhen: WITH_ACCOUNT_ROLE,
    reason:
      'The policy AWS documents for the account-wide role API Gateway uses to write WebSocket access logs; only apigateway.amazonaws.com can assume the role.',
  },
  {
    rule: 'AwsSolutions-APIG1',
    path: /^realtime\/.+\/WebSocket\/Stage\/Resource$/,
    resource: 'WebSocket API stage (while `CHAT_API_GATEWAY_ACCOUNT_ROLE` is off, the default)',
    onlyWhen: WITHOUT_ACCOUNT_ROLE,
    reason:
      'WebSocket access logs need the account-wide API Gateway CloudWatch role (one per account and region), which a backend must not overwrite unasked; set CHAT_API_GATEWAY_ACCOUNT_ROLE=1 in one deployment per account and region to turn them on. The HTTP API (tickets, history) always logs, and every handler logs to its own log group.',
  },
  {
    rule: 'AwsSolutions-COG2',
    path: USER_POOL,
    resource: 'Cognito user pool',
    reason:
      'MFA is not required: a public chat where anyone may sign up, with no payment or personal data beyond a display name. Set `multifactor: { mode: \'REQUIRED\', totp: true }` in amplify/auth/resource.ts where accounts need more assurance.',
  },
  {
    rule: 'AwsSolutions-COG8',
    path: USER_POOL,
    resource: 'Cognito user pool',
    reason:
      'The Plus feature plan (threat protection: compromised-credential and adaptive checks) is billed per monthly active user; it is a per-deployment cost decision (cfnUserPool.userPoolTier = \'PLUS\').',
  },
  {
    rule: 'AwsSolutions-CFR1',
    path: DISTRIBUTION,
    resource: 'Site CloudFront distribution',
    reason: 'The chat is meant to be reachable from every country; there is no licensing or legal reason to block any.',
  },
  {
    rule: 'AwsSolutions-CFR2',
    path: DISTRIBUTION,
    resource: 'Site CloudFront distribution',
    reason:
      'The distribution serves only static files from S3 (no origin compute to protect); a web ACL costs a monthly fee per ACL. The APIs, which do run code, are throttled per route at API Gateway.',
  },
  {
    rule: 'AwsSolutions-CFR4',
    path: DISTRIBUTION,
    resource: 'Site CloudFront distribution',
    reason:
      'With the default *.cloudfront.net certificate CloudFront fixes the viewer security policy (TLSv1); choosing TLSv1.2_2021 needs a custom domain with an ACM certificate, which this template does not assume.',
  },
  {
    rule: 'AwsSolutions-IAM4',
    finding: managedPolicy('AWSLambdaBasicExecutionRole'),
    findingLabel: 'AWSLambdaBasicExecutionRole',
    path: BRANCH_LINKER,
    resource: 'Amplify branch linker custom resource (branch deployments only)',
    reason: 'Created and owned by Amplify (`ampx pipeline-deploy`) to link the branch; its roles are not configurable and only write their own logs.',
  },
  {
    rule: 'AwsSolutions-IAM5',
    finding: /^Resource::(arn:aws:amplify:\*:\*:apps\/[^/]+\/branches\/[^/]+|<AmplifyBranchLinker\w+\.Arn>:\*)$/,
    findingLabel: 'this app\'s branch ARN / its own handler versions',
    path: BRANCH_LINKER,
    resource: 'Amplify branch linker custom resource (branch deployments only)',
    reason: 'Amplify-owned: it may update only this app\'s branch (any region/account wildcard is Amplify\'s), and the provider framework may invoke any version of its own handler.',
  },
  {
    rule: 'AwsSolutions-L1',
    path: /^AmplifyBranchLinker\/CustomResourceLambda\/Resource$/,
    resource: 'Amplify branch linker custom resource (branch deployments only)',
    reason: 'Amplify pins the runtime of its own custom-resource handler; it runs once per deployment and is updated with @aws-amplify/backend.',
  },
];
