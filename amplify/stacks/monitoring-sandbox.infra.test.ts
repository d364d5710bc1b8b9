/** A sandbox gets the metrics and the dashboard but no alarm and no topic (alarms cost money every month). */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, expect, it } from 'vitest';
import { METRICS_DEPLOYMENT_ENV } from '../chat/metrics';

let template: Template;
let root: Template;

beforeAll(async () => {
  process.env.CDK_CONTEXT_JSON = JSON.stringify({
    'amplify-backend-namespace': 'chatroom',
    'amplify-backend-name': 'dev',
    'amplify-backend-type': 'sandbox',
    'aws:cdk:bundling-stacks': [],
  });
  delete process.env.CDK_OUTDIR;
  process.env.CHAT_ALARM_EMAIL = 'ops@example.com';
  const mod = await import('../backend');
  template = Template.fromStack(Stack.of(mod.backend.wsMessage.resources.lambda));
  root = Template.fromStack(mod.backend.stack);
});

it('has the dashboard and queries but no alarm, topic or subscription', () => {
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  expect(Object.keys(template.findResources('AWS::Logs::QueryDefinition')).length).toBeGreaterThanOrEqual(4);
  for (const t of [template, root]) {
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    t.resourceCountIs('AWS::SNS::Topic', 0);
    t.resourceCountIs('AWS::SNS::Subscription', 0);
  }
  template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { [METRICS_DEPLOYMENT_ENV]: 'chatroom-dev' } } });
});
