/**
 * Saved CloudWatch Logs Insights queries for the usual investigations (docs/operations.md), over every product
 * function's log group. Replace the placeholder in quotes before running (the console opens them pre-filled).
 */
import { type ILogGroup, QueryDefinition, QueryString } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Each saved query: its name suffix and its text. */
export const LOGS_QUERIES = {
  'connection-life': new QueryString({
    fields: ['@timestamp', 'message', 'route', 'errorCode', 'ref', 'requestId'],
    filterStatements: ['connectionId = "PUT-CONNECTION-ID-HERE"'],
    sort: '@timestamp asc',
    limit: 500,
  }),
  'user-recent-errors': new QueryString({
    fields: ['@timestamp', 'message', 'errorCode', 'ref', 'route', 'connectionId'],
    filterStatements: ['userId = "PUT-USER-ID-HERE"', 'level in ["WARN", "ERROR"] or ispresent(errorCode)'],
    sort: '@timestamp desc',
    limit: 100,
  }),
  'error-by-ref': new QueryString({
    fields: ['@timestamp', '@log', 'message', 'errorCode', 'userId', 'connectionId', 'route', 'requestId', 'error.name', 'error.message'],
    filterStatements: ['ref = "PUT-REF-HERE"'],
  }),
  'errors-by-code': new QueryString({
    filterStatements: ['ispresent(errorCode)'],
    statsStatements: ['count(*) as errors by errorCode, bin(1h)'],
    sort: 'errors desc',
  }),
  'slow-fan-outs': new QueryString({
    fields: ['@timestamp', '@log', 'FanOutDuration', 'ShardDuration', 'Deliveries', 'QueueShards'],
    filterStatements: ['FanOutDuration > 1000 or ShardDuration > 1000'],
    sort: '@timestamp desc',
    limit: 100,
  }),
} as const;

/** The saved queries of one deployment, named `chat-<deployment>/<query>`. */
export class LogsInsightsQueries extends Construct {
  readonly queries: QueryDefinition[];

  constructor(scope: Construct, id: string, props: { deployment: string; logGroups: ILogGroup[] }) {
    super(scope, id);
    this.queries = Object.entries(LOGS_QUERIES).map(
      ([name, queryString]) =>
        new QueryDefinition(this, name, { queryDefinitionName: `chat-${props.deployment}/${name}`, queryString, logGroups: props.logGroups }),
    );
  }
}
