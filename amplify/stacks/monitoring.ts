/**
 * Operability as code: a CloudWatch dashboard per deployment (golden signals for sockets, messages and fan-out)
 * and, for shared deployments only, alarms on every product function, both APIs, every table, the fan-out queue
 * and the product's own metrics, all notifying one SNS topic (email: CHAT_ALARM_EMAIL). Sandboxes get the metrics
 * and the dashboard but no alarms and no topic (alarms cost money every month). Built with cdk-monitoring-constructs;
 * the WebSocket API and the product metrics, which it has no monitor for, go through its `monitorCustom`.
 * Every alarm is explained in docs/operations.md.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import {
  DefaultDashboardFactory,
  MonitoringFacade,
  SnsAlarmActionStrategy,
  type CustomMetric,
  type CustomMetricGroup,
  type MetricWithAlarmSupport,
} from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { CHAT_METRICS, METRICS_DEPLOYMENT_ENV, METRICS_NAMESPACE, METRICS_SERVICE, type ChatMetric } from '../chat/metrics';
import type { ChatFunction } from './chat-function';
import { backendType } from './deployment';
import { readSettings } from '../settings';

/** Lambda's default timeout when a function sets none. */
const DEFAULT_TIMEOUT_SECONDS = 3;
/** "Duration close to its timeout": the max duration alarm fires at this share of the timeout. */
export const DURATION_ALARM_SHARE = 0.8;
/** HTTP API p99 latency that pages (the API's own time, integration included). */
export const HTTP_P99_LATENCY = Duration.seconds(2);
/** WebSocket integration latency (average) that pages. */
export const WS_INTEGRATION_LATENCY_MS = 1000;
/** Share of posts failing (not 410) over 5 minutes that pages. */
export const DELIVERY_FAILURE_RATIO = 0.05;
/** Refused tickets in 5 minutes that count as a spike (a broken client release or someone probing). */
export const REFUSED_TICKETS_SPIKE = 100;
/** Age of the oldest fan-out shard that pages: shards expire after their age bound, so a backlog means lost live delivery. */
export const QUEUE_MAX_AGE_SECONDS = 60;

/** Inputs of the monitoring construct. */
export interface ChatMonitoringProps {
  /** Every product function by name (Amplify's and CDK's helper functions are not passed). */
  readonly functions: Readonly<Record<string, ChatFunction>>;
  readonly httpApi: HttpApi;
  readonly webSocketApi: WebSocketApi;
  readonly webSocketStage: WebSocketStage;
  /** Every product table by name. */
  readonly tables: Readonly<Record<string, Table>>;
  readonly fanOut: { readonly queue: Queue; readonly deadLetterQueue: Queue; readonly deadLetterAlarm?: Alarm };
  /** Deployment settings, read through amplify/settings.ts (CHAT_ALARM_EMAIL); defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The deployment's name as metrics carry it: `<namespace>-<name>` from Amplify's context (low cardinality). */
export function deploymentName(scope: Construct): string {
  const ns = String(scope.node.tryGetContext('amplify-backend-namespace') ?? 'chat');
  const name = String(scope.node.tryGetContext('amplify-backend-name') ?? 'local');
  return `${ns}-${name}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 60);
}

/** A product metric (namespace Chat, dimensions service + deployment). */
export function chatMetric(deployment: string, name: ChatMetric, statistic: string, label?: string): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: METRICS_SERVICE, deployment },
    statistic,
    period: Duration.minutes(5),
    label: label ?? name,
  });
}

/** Dashboard + (shared deployments) alarms and their topic. */
export class ChatMonitoring extends Construct {
  readonly facade: MonitoringFacade;
  /** Alarms' topic; undefined in sandboxes. */
  readonly topic?: Topic;
  readonly deployment: string;

  constructor(scope: Construct, id: string, props: ChatMonitoringProps) {
    super(scope, id);
    const alarms = backendType(this) !== 'sandbox';
    this.deployment = deploymentName(this);
    const deployment = this.deployment;
    for (const fn of Object.values(props.functions)) fn.addEnvironment(METRICS_DEPLOYMENT_ENV, deployment);

    if (alarms) {
      // Alarm notifications are encrypted at rest; CloudWatch must be able to use the key to publish.
      const key = new Key(this, 'AlarmTopicKey', { enableKeyRotation: true, description: `Alarm notifications of ${deployment}` });
      key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
      this.topic = new Topic(this, 'AlarmTopic', { displayName: `Chat alarms (${deployment})`, masterKey: key, enforceSSL: true });
      // The one settings module validates the address (a malformed one fails synthesis naming the variable).
      const email = readSettings(props.env ?? process.env).alarmEmail;
      if (email) this.topic.addSubscription(new EmailSubscription(email));
      // The fan-out queue's own dead-letter alarm (amplify/stacks/fanout-queue.ts) notifies the same topic.
      props.fanOut.deadLetterAlarm?.addAlarmAction(new SnsAction(this.topic));
    } else if (props.fanOut.deadLetterAlarm) {
      // Sandboxes stay alarm-free: drop the queue construct's dead-letter alarm (its depth stays on the dashboard).
      props.fanOut.deadLetterAlarm.node.scope?.node.tryRemoveChild(props.fanOut.deadLetterAlarm.node.id);
    }

    this.facade = new MonitoringFacade(this, 'Facade', {
      alarmFactoryDefaults: {
        alarmNamePrefix: `chat-${deployment}`,
        actionsEnabled: alarms,
        ...(this.topic ? { action: new SnsAlarmActionStrategy({ onAlarmTopic: this.topic }) } : {}),
        datapointsToAlarm: 1,
        evaluationPeriods: 1,
      },
      metricFactoryDefaults: { period: Duration.minutes(5) },
      dashboardFactory: new DefaultDashboardFactory(this, 'Dashboards', {
        dashboardNamePrefix: `chat-${deployment}`,
        createDashboard: true,
        createSummaryDashboard: false,
        createAlarmDashboard: false,
      }),
    });
    const when = <T>(value: T): T | undefined => (alarms ? value : undefined);

    this.facade.addLargeHeader(`Chat — ${deployment}: traffic, errors, latency, saturation`);
    this.facade.monitorCustom({ alarmFriendlyName: 'Product', humanReadableName: 'Messages, sockets and fan-out', metricGroups: productGroups(deployment, alarms) });
    this.facade.monitorCustom({
      alarmFriendlyName: 'WebSocketApi',
      humanReadableName: 'WebSocket API',
      metricGroups: webSocketGroups(props.webSocketApi.apiId, props.webSocketStage.stageName, alarms),
    });
    this.facade.monitorApiGatewayV2HttpApi({
      api: props.httpApi,
      alarmFriendlyName: 'HttpApi',
      add5xxCountAlarm: when({ Critical: { maxErrorCount: 5 } }),
      addLatencyP99Alarm: when({ Critical: { maxLatency: HTTP_P99_LATENCY } }),
    });
    for (const [name, fn] of Object.entries(props.functions)) {
      const lambda = fn.resources.lambda;
      this.facade.monitorLambdaFunction({
        lambdaFunction: lambda,
        alarmFriendlyName: `fn-${name}`,
        humanReadableName: `Function ${name}`,
        addFaultCountAlarm: when({ Critical: { maxErrorCount: 0 } }),
        addThrottlesCountAlarm: when({ Critical: { maxErrorCount: 0 } }),
        addMaxLatencyAlarm: when({ Critical: { maxLatency: Duration.millis(timeoutSeconds(lambda) * 1000 * DURATION_ALARM_SHARE) } }),
      });
    }
    for (const [name, table] of Object.entries(props.tables)) {
      this.facade.monitorDynamoTable({
        table,
        alarmFriendlyName: `table-${name}`,
        humanReadableName: `Table ${name}`,
        addReadThrottledEventsCountAlarm: when({ Critical: { maxThrottledEventsThreshold: 0 } }),
        addWriteThrottledEventsCountAlarm: when({ Critical: { maxThrottledEventsThreshold: 0 } }),
        addSystemErrorCountAlarm: when({ Critical: { maxErrorCount: 0 } }),
      });
    }
    this.facade.monitorSqsQueueWithDlq({
      queue: props.fanOut.queue,
      deadLetterQueue: props.fanOut.deadLetterQueue,
      alarmFriendlyName: 'FanOutQueue',
      humanReadableName: 'Fan-out shards',
      addQueueMaxMessageAgeAlarm: when({ Critical: { maxAgeInSeconds: QUEUE_MAX_AGE_SECONDS } }),
      // Dead-letter depth > 0 already alarms through the queue construct's own alarm (wired to the topic above).
    });
  }
}

/** A function's timeout in seconds, from its CloudFormation. */
function timeoutSeconds(lambda: IFunction): number {
  const cfn = lambda.node.defaultChild;
  const value = cfn instanceof CfnFunction ? Stack.of(cfn).resolve(cfn.timeout) : undefined;
  return typeof value === 'number' ? value : DEFAULT_TIMEOUT_SECONDS;
}

/** A metric with a "greater than threshold" alarm in shared deployments; just the metric in sandboxes. */
function alarmed(alarms: boolean, metric: MetricWithAlarmSupport, alarmFriendlyName: string, threshold: number, description: string): CustomMetric {
  if (!alarms) return metric;
  return {
    metric,
    alarmFriendlyName,
    addAlarm: { Critical: { threshold, comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD, additionalDescription: description } },
  };
}

/** The product's golden signals, with its two alarms (delivery failure ratio, refused-ticket spike). */
function productGroups(deployment: string, alarms: boolean): CustomMetricGroup[] {
  const m = (name: ChatMetric, stat = 'Sum', label?: string) => chatMetric(deployment, name, stat, label);
  const failureRatio = new MathExpression({
    expression: 'IF((delivered + failed) > 0, failed / (delivered + failed), 0)',
    usingMetrics: { delivered: m('Deliveries'), failed: m('FailedPosts') },
    period: Duration.minutes(5),
    label: 'Delivery failure ratio',
  });
  return [
    { title: 'Traffic', metrics: [m('MessagesStored'), m('Deliveries'), m('ConnectionsOpened'), m('ConnectionsClosed'), m('QueueShards')] },
    {
      title: 'Errors',
      metrics: [
        m('FailedPosts'),
        m('GoneConnections'),
        m('RateLimitedSends'),
        m('ErrorsAnswered'),
        m('InternalErrors'),
        alarmed(alarms, m('RefusedTickets'), 'RefusedTicketsSpike', REFUSED_TICKETS_SPIKE, CHAT_METRICS.RefusedTickets.meaning),
        alarmed(alarms, failureRatio, 'DeliveryFailureRatio', DELIVERY_FAILURE_RATIO, 'Share of posts that failed (410 excluded): sockets miss messages live.'),
      ],
    },
    { title: 'Latency (ms)', metrics: [m('AckLatency', 'p99', 'Ack p99'), m('FanOutDuration', 'p99', 'Fan-out p99'), m('ShardDuration', 'p99', 'Shard p99')] },
    { title: 'Saturation', metrics: [m('ShardsExpired'), m('ShardsDelivered')] },
  ];
}

/** The WebSocket API's own metrics (AWS/ApiGateway, ApiId + Stage), with their alarms. */
function webSocketGroups(apiId: string, stage: string, alarms: boolean): CustomMetricGroup[] {
  const m = (metricName: string, statistic: string) =>
    new Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap: { ApiId: apiId, Stage: stage }, statistic, period: Duration.minutes(5) });
  const above = (metric: Metric, name: string, threshold: number, description: string) => alarmed(alarms, metric, name, threshold, description);
  return [
    {
      title: 'Sockets and frames',
      metrics: [
        above(m('ConnectCount', 'Sum'), 'WsConnectSpike', 50_000, 'Connect attempts far above normal (reconnect storm or abuse).'),
        m('MessageCount', 'Sum'),
        m('ClientError', 'Sum'),
      ],
    },
    {
      title: 'Errors',
      metrics: [
        above(m('IntegrationError', 'Sum'), 'WsIntegrationErrors', 5, 'Lambda integrations of the WebSocket API failed.'),
        above(m('ExecutionError', 'Sum'), 'WsExecutionErrors', 5, 'API Gateway could not run WebSocket routes.'),
      ],
    },
    {
      title: 'Latency (ms)',
      metrics: [
        above(m('IntegrationLatency', 'Average'), 'WsIntegrationLatency', WS_INTEGRATION_LATENCY_MS, 'WebSocket routes are slow.'),
      ],
    },
  ];
}
