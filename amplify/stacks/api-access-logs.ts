/**
 * Access logs for every API Gateway v2 stage under a construct: one JSON line per request or WebSocket
 * event into the stage's own log group. The formats name ids and outcomes only: the $connect query
 * string (which carries the one-time ticket) and request bodies are never logged.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import { HttpStage, WebSocketStage, type CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { dataRemovalPolicy } from './deployment';

/** Access logs are the audit trail of the APIs: kept longer than the functions' 30-day debug logs. */
export const API_ACCESS_LOG_RETENTION = RetentionDays.THREE_MONTHS;

// Only variables both API types document; each format adds its own below.
const COMMON = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  routeKey: '$context.routeKey',
  status: '$context.status',
  error: '$context.error.message',
  authorizerError: '$context.authorizer.error',
};

/** HTTP API: method, route (the path template, not the query) and the verified user's id. */
export const HTTP_ACCESS_LOG_FORMAT = JSON.stringify({
  ...COMMON,
  httpMethod: '$context.httpMethod',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationError: '$context.integrationErrorMessage',
  userSub: '$context.authorizer.claims.sub',
});

/** WebSocket API: event type and connection id; the principal the ticket authorizer returned. */
export const WEBSOCKET_ACCESS_LOG_FORMAT = JSON.stringify({
  ...COMMON,
  eventType: '$context.eventType',
  connectionId: '$context.connectionId',
  principalId: '$context.authorizer.principalId',
});

/**
 * REST and WebSocket APIs log through an account-wide role (HTTP APIs use a service-linked role): without
 * it, creating a logging WebSocket stage fails. `AWS::ApiGateway::Account` is one setting per account and
 * region, so only the deployment that opted in (CHAT_API_GATEWAY_ACCOUNT_ROLE) sets it; the role is
 * retained on stack deletion so the account setting never points at a deleted role.
 */
function accountLogRole(scope: Construct): CfnAccount {
  const role = new Role(scope, 'ApiGatewayCloudWatchRole', {
    assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
    managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
    description: 'Lets API Gateway write WebSocket access logs (account-wide setting)',
  });
  role.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const account = new CfnAccount(scope, 'ApiGatewayAccount', { cloudWatchRoleArn: role.roleArn });
  account.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return account;
}

/** Options of enableApiAccessLogs. */
export interface ApiAccessLogOptions {
  /**
   * Create the account-wide API Gateway CloudWatch role and log WebSocket stages too. Off: only HTTP
   * stages log (they need no account role); WebSocket logging is off, acknowledged as AwsSolutions-APIG1.
   */
  readonly accountRole: boolean;
}

/** Adds a log group and access log settings to each HTTP stage (and WebSocket stage, with the account role) under `scope`. */
export function enableApiAccessLogs(scope: Construct, { accountRole }: ApiAccessLogOptions): LogGroup[] {
  const stages = scope.node
    .findAll()
    .filter((c): c is WebSocketStage | HttpStage => c instanceof HttpStage || (accountRole && c instanceof WebSocketStage));
  let account: CfnAccount | undefined;
  return stages.map((stage) => {
    const logGroup = new LogGroup(stage, 'AccessLogs', { retention: API_ACCESS_LOG_RETENTION, removalPolicy: dataRemovalPolicy(stage) });
    const cfn = stage.node.defaultChild as CfnStage;
    const webSocket = stage instanceof WebSocketStage;
    cfn.accessLogSettings = { destinationArn: logGroup.logGroupArn, format: webSocket ? WEBSOCKET_ACCESS_LOG_FORMAT : HTTP_ACCESS_LOG_FORMAT };
    if (webSocket) {
      account ??= accountLogRole(stage.node.scope!);
      cfn.addResourceDependency(account, 'API Gateway refuses a logging WebSocket stage until the account log role is set');
    }
    return logGroup;
  });
}
