/** Production defaults on a plain CDK user pool, per deployment kind (the real backend: backend.infra.test.ts). */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool, UserPoolEmail, type CfnUserPool } from 'aws-cdk-lib/aws-cognito';
import { describe, expect, it } from 'vitest';
import { readSettings, SettingsError } from '../settings';
import { applyProductionDefaults } from './production';

function pool(type: string, env: Record<string, string> = {}) {
  const settings = readSettings(env);
  const stack = new Stack(new App({ context: { 'amplify-backend-type': type } }), 'S');
  // As Amplify's defineAuth makes it: deletable unless something changes that.
  const email = settings.email ? UserPoolEmail.withSES({ fromEmail: settings.email.fromEmail }) : undefined;
  const userPool = new UserPool(stack, 'Pool', { removalPolicy: RemovalPolicy.DESTROY, email });
  const auth = { resources: { userPool, cfnResources: { cfnUserPool: userPool.node.defaultChild as CfnUserPool } } };
  return { stack, apply: () => applyProductionDefaults(auth, settings) };
}

describe('applyProductionDefaults', () => {
  it('branch without an email sender: fails synthesis with the setting and the opt-out', () => {
    const { apply } = pool('branch');
    expect(apply).toThrow(SettingsError);
    expect(apply).toThrow(/CHAT_EMAIL_FROM=.*CHAT_EMAIL_COGNITO_DEFAULT=1/);
  });

  it('branch: user pool retained with deletion protection', () => {
    const { stack, apply } = pool('branch', { CHAT_EMAIL_COGNITO_DEFAULT: '1' });
    apply();
    Template.fromStack(stack).hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }) });
  });

  it('sandbox: no requirement, pool deletable', () => {
    const { stack, apply } = pool('sandbox');
    apply();
    const [p] = Object.values(Template.fromStack(stack).findResources('AWS::Cognito::UserPool'));
    expect(p!.DeletionPolicy).not.toBe('Retain');
    expect(p!.Properties.DeletionProtection).toBeUndefined();
  });
});
