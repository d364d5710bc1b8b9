/**
 * A branch deployment's monitoring, asserted on the synthesized realtime stack: every product function, both APIs,
 * every table and the fan-out queue have their alarms, all notify the one encrypted SNS topic (email subscription
 * from CHAT_ALARM_EMAIL), the dashboard and the saved Logs Insights queries exist, and every function knows its
 * deployment's metrics dimension. Registered by amplify/backend.infra.test.ts on its branch synthesis (one synthesis
 * of the backend per process is the slow part of the infra tests; this suite shares it).
 */
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRICS_DEPLOYMENT_ENV } from '../chat/metrics';
import { BRANCH_ALARM_EMAIL } from './branch-fixture';
import { LOGS_QUERIES } from './logs-insights-queries';

type Module = typeof import('../backend');

/** Registers the monitoring assertions on a backend synthesized by `synthBranchBackend()`. */
export function describeBranchMonitoring(backend: () => Module): void {
  let mod: Module;
  let template: Template;
  let alarms: Record<string, { Properties: Record<string, unknown> }>;
  beforeAll(() => {
    mod = backend();
    template = Template.fromStack(Stack.of(mod.backend.wsMessage.resources.lambda));
    alarms = template.findResources('AWS::CloudWatch::Alarm') as typeof alarms;
  });

  const json = (v: unknown) => JSON.stringify(v);
  /** Alarms whose metric (or math expression) mentions `needle` (a logical id or a literal). */
  const alarmsOn = (needle: string) => Object.values(alarms).filter((a) => json(a.Properties).includes(needle));
  const metricNames = (list: { Properties: Record<string, unknown> }[]) =>
    list.flatMap((a) => [a.Properties.MetricName, ...((a.Properties.Metrics as { MetricStat?: { Metric: { MetricName: string } } }[] | undefined) ?? []).map((m) => m.MetricStat?.Metric.MetricName)]);
  const idOf = (c: { node: { defaultChild?: unknown } }) => Stack.of(c as never).getLogicalId(c.node.defaultChild as never);

  describe('monitoring of a branch deployment', () => {
    it('alarms on errors, throttles and duration near the timeout of every product function', () => {
      const fns = mod.monitoring.functions;
      expect(Object.keys(fns).sort()).toEqual(expect.arrayContaining(['createTicket', 'fanoutWorker', 'getMessages', 'storeMessage', 'wsAuthorizer', 'wsConnect', 'wsDisconnect', 'wsMessage']));
      for (const [name, fn] of Object.entries(fns)) {
        const names = metricNames(alarmsOn(idOf(fn.resources.lambda)));
        expect(names, name).toEqual(expect.arrayContaining(['Errors', 'Throttles', 'Duration']));
      }
    });

    it('alarms on both APIs', () => {
      expect(metricNames(alarmsOn(idOf(mod.realtime.http.api)))).toEqual(expect.arrayContaining(['5xx', 'Latency']));
      expect(metricNames(alarmsOn(idOf(mod.realtime.webSocket.api)))).toEqual(
        expect.arrayContaining(['IntegrationError', 'ExecutionError', 'IntegrationLatency', 'ConnectCount']),
      );
    });

    it('alarms on throttles and system errors of every table', () => {
      const tables = Object.entries(mod.monitoring.tables);
      expect(tables.length).toBeGreaterThanOrEqual(5);
      for (const [name, table] of tables) {
        expect(metricNames(alarmsOn(idOf(table))), name).toEqual(
          expect.arrayContaining(['ReadThrottleEvents', 'WriteThrottleEvents', 'SystemErrors']),
        );
      }
    });

    it('alarms on the fan-out queue: dead letters > 0 and the age of the oldest shard', () => {
      expect(metricNames(alarmsOn(idOf(mod.fanOut.deadLetterQueue)))).toContain('ApproximateNumberOfMessagesVisible');
      expect(metricNames(alarmsOn(idOf(mod.fanOut.queue)))).toContain('ApproximateAgeOfOldestMessage');
    });

    it('alarms on the product signals: delivery failure ratio and refused-ticket spikes', () => {
      expect(metricNames(Object.values(alarms))).toEqual(expect.arrayContaining(['RefusedTickets', 'Deliveries', 'FailedPosts']));
    });

    it('sends every alarm to one encrypted topic with the email subscription from CHAT_ALARM_EMAIL', () => {
      const topics = template.findResources('AWS::SNS::Topic');
      expect(Object.keys(topics)).toHaveLength(1);
      const topicId = Object.keys(topics)[0]!;
      expect(json(topics[topicId])).toContain('KmsMasterKeyId');
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: BRANCH_ALARM_EMAIL, TopicArn: { Ref: topicId } });
      for (const [id, alarm] of Object.entries(alarms)) expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: topicId }]);
    });

    it('has a dashboard and the saved Logs Insights queries', () => {
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: Match.stringLikeRegexp('chat-chatroom-main') });
      for (const name of Object.keys(LOGS_QUERIES)) {
        template.hasResourceProperties('AWS::Logs::QueryDefinition', { Name: `chat-chatroom-main/${name}` });
      }
    });

    it('gives every product function its deployment as the metrics dimension', () => {
      const fns = template.findResources('AWS::Lambda::Function');
      for (const [name, fn] of Object.entries(mod.monitoring.functions)) {
        const env = (fns[idOf(fn.resources.lambda)]?.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
        expect(env[METRICS_DEPLOYMENT_ENV], name).toBe('chatroom-main');
      }
    });
  });
}
