/** The template readers the least-privilege assertions rely on: nothing a role is granted may be invisible to them. */
import { describe, expect, it } from 'vitest';
import { actionMatches, roleManagedPolicies, roleStatements } from './cfn-inspect';
import type { CfnTemplate } from './stack-graph';

const awsManaged = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${name}`]] });
const doc = (Action: string, Resource: unknown = '*') => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] });

const template: CfnTemplate = {
  Resources: {
    FnRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Policies: [{ PolicyName: 'inline', PolicyDocument: doc('dynamodb:GetItem') }],
        ManagedPolicyArns: [awsManaged('service-role/AWSLambdaBasicExecutionRole'), awsManaged('AmazonDynamoDBReadOnlyAccess'), { Ref: 'ViaArn' }],
      },
    },
    OtherRole: { Type: 'AWS::IAM::Role', Properties: {} },
    Attached: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'FnRole' }], PolicyDocument: doc('dynamodb:PutItem') } },
    ViaArn: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc('dynamodb:Query') } },
    ViaRoles: { Type: 'AWS::IAM::ManagedPolicy', Properties: { Roles: [{ Ref: 'FnRole' }], PolicyDocument: doc('dynamodb:Scan') } },
    Elsewhere: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'OtherRole' }], PolicyDocument: doc('s3:GetObject') } },
  },
};

describe('cfn-inspect', () => {
  it('roleStatements reads inline, attached and customer managed policies of exactly that role', () => {
    const actions = roleStatements(template, 'FnRole').map((s) => s.Action);
    expect(actions.sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan']);
    expect(roleStatements(template, 'OtherRole').map((s) => s.Action)).toEqual(['s3:GetObject']);
  });

  it('roleManagedPolicies lists AWS managed policies (which have no statements in the template) and customer ones', () => {
    expect(roleManagedPolicies(template, 'FnRole')).toEqual([
      '<ViaArn>',
      '<ViaRoles>',
      'arn:<AWS::Partition>:iam::aws:policy/AmazonDynamoDBReadOnlyAccess',
      'arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    ]);
    expect(roleManagedPolicies(template, 'OtherRole')).toEqual([]);
  });

  it('actionMatches treats * and ? as IAM wildcards, case-insensitively, and nothing else as special', () => {
    expect(actionMatches('dynamodb:*', 'dynamodb:Scan')).toBe(true);
    expect(actionMatches('DynamoDB:Get?tem', 'dynamodb:GetItem')).toBe(true);
    expect(actionMatches('dynamodb:Get.tem', 'dynamodb:GetItem')).toBe(false);
    expect(actionMatches('dynamodb:Query', 'dynamodb:Scan')).toBe(false);
  });
});
