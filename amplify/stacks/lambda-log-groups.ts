/**
 * Bounded retention for the logs of every Lambda in the app, including the ones Amplify and CDK add for
 * their own custom resources (branch linker, provider framework, S3 auto-delete): without an explicit
 * log group, Lambda creates /aws/lambda/<name> on first run and keeps it forever.
 */
import { CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

/** The chat functions' own retention (amplify/functions/function-defaults.ts): one month. */
export const LAMBDA_LOG_RETENTION = RetentionDays.ONE_MONTH;

/** True when the function already names its log group (Amplify's defineFunction does, with retention). */
function hasLogGroup(resource: CfnResource): boolean {
  if (resource instanceof CfnFunction) {
    const config = Stack.of(resource).resolve(resource.loggingConfig) as { logGroup?: unknown } | undefined;
    return config?.logGroup !== undefined;
  }
  return false; // CDK's raw custom resource providers never set one
}

/**
 * Gives every Lambda under `scope` that writes to an implicit log group an explicit one with bounded
 * retention. Their roles already allow writing any log group (AWSLambdaBasicExecutionRole). Returns the
 * log groups it created.
 */
export function boundLambdaLogGroups(scope: IConstruct): LogGroup[] {
  const functions = scope.node
    .findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::Lambda::Function' && !hasLogGroup(c));
  return functions.map((fn) => {
    const logGroup = new LogGroup(fn.node.scope!, `${fn.node.id}LogGroup`, {
      retention: LAMBDA_LOG_RETENTION,
      // Like Amplify's own function log groups: debug output, deleted with the stack (after the function).
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An override merges with the LoggingConfig a function may already have (log level, JSON format).
    fn.addPropertyOverride('LoggingConfig.LogGroup', logGroup.logGroupName);
    return logGroup;
  });
}
