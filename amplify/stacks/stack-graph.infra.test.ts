/**
 * The cycle check must be able to fail: hand-made templates with the cycle shapes CloudFormation
 * rejects (two nested stacks feeding each other's parameters, directly or through a plain resource),
 * in memory and as an on-disk cloud assembly like cdk.out.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAssembly, formatReport } from './assembly-check';
import { actionMatches } from './cfn-inspect';
import { findCycles, nestedStackGraph, referencedIds, resourceGraph, type CfnTemplate } from './stack-graph';

const nested = (parameters: Record<string, unknown> = {}, extra: object = {}) => ({
  Type: 'AWS::CloudFormation::Stack',
  Properties: { TemplateURL: 'https://example/x.json', Parameters: parameters },
  ...extra,
});
const output = (stack: string, name = 'Out') => ({ 'Fn::GetAtt': [stack, `Outputs.${name}`] });

/** functions ⇄ api: the shape you get with functions in Amplify's default stack and the API elsewhere. */
const cyclic: CfnTemplate = {
  Resources: {
    auth: nested(),
    functions: nested({ ApiId: output('api') }),
    api: nested({ UserPool: output('auth'), FnArn: output('functions') }),
  },
};

describe('stack graph', () => {
  it('finds references in Ref, GetAtt (both forms) and Sub', () => {
    const value = { a: { Ref: 'A' }, b: { 'Fn::GetAtt': ['B', 'Arn'] }, c: { 'Fn::GetAtt': 'C.Arn' }, d: { 'Fn::Sub': 'x${D.Arn}${AWS::Region}${!E}' } };
    expect([...referencedIds(value)].sort()).toEqual(['AWS::Region', 'B', 'C', 'D', 'A'].sort());
  });

  it('reports a direct nested-stack cycle', () => {
    const graph = nestedStackGraph(cyclic);
    expect(graph.get('functions')).toEqual(new Set(['api']));
    expect(graph.get('api')).toEqual(new Set(['auth', 'functions']));
    expect(findCycles(graph)).toEqual([['api', 'functions']]);
    expect(findCycles(resourceGraph(cyclic))).toEqual([['api', 'functions']]);
  });

  it('reports a cycle through DependsOn and through a plain resource of the parent', () => {
    const viaDependsOn: CfnTemplate = { Resources: { a: nested({ X: output('b') }), b: nested({}, { DependsOn: ['a'] }) } };
    expect(findCycles(nestedStackGraph(viaDependsOn))).toEqual([['a', 'b']]);
    const viaResource: CfnTemplate = {
      Resources: {
        a: nested({ X: { Ref: 'param' } }),
        param: { Type: 'AWS::SSM::Parameter', Properties: { Value: output('b') } },
        b: nested({ Y: output('a') }),
      },
    };
    expect(nestedStackGraph(viaResource).get('a')).toEqual(new Set(['b']));
    expect(findCycles(nestedStackGraph(viaResource))).toEqual([['a', 'b']]);
    expect(findCycles(resourceGraph(viaResource))).toEqual([['a', 'b', 'param']]);
  });

  it('accepts an acyclic graph and flags a self-dependency', () => {
    const fine: CfnTemplate = { Resources: { auth: nested(), site: nested(), realtime: nested({ A: output('auth'), S: output('site') }) } };
    expect(findCycles(nestedStackGraph(fine))).toEqual([]);
    expect(findCycles(new Map([['x', new Set(['x'])]]))).toEqual([['x']]);
  });
});

describe('assembly check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stack-graph-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('follows nested templates through the asset manifest and reports their cycles', () => {
    const hash = 'a'.repeat(64);
    const root: CfnTemplate = {
      Resources: {
        child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: { 'Fn::Join': ['', ['https://s3/', `${hash}.json`]] } } },
      },
    };
    const child: CfnTemplate = { Resources: { x: { Type: 'T', Properties: { P: { Ref: 'y' } } }, y: { Type: 'T', DependsOn: 'x' } } };
    writeFileSync(join(dir, 'root.template.json'), JSON.stringify(root));
    writeFileSync(join(dir, 'child.nested.template.json'), JSON.stringify(child));
    writeFileSync(join(dir, 'root.assets.json'), JSON.stringify({ files: { [hash]: { source: { path: 'child.nested.template.json' } } } }));
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({
        artifacts: {
          'root.assets': { type: 'cdk:asset-manifest', properties: { file: 'root.assets.json' } },
          root: { type: 'aws:cloudformation:stack', properties: { templateFile: 'root.template.json' } },
        },
      }),
    );
    const report = checkAssembly(dir);
    expect(report.templates.map((t) => t.file)).toEqual(['root.template.json', 'child.nested.template.json']);
    expect(report.cycles).toEqual([{ file: 'child.nested.template.json', cycle: ['x', 'y'] }]);
    expect(formatReport(report)).toContain('CYCLE in child.nested.template.json: x <-> y');
  });
});

describe('IAM action patterns', () => {
  it('treat wildcards the way IAM does', () => {
    for (const p of ['*', 'dynamodb:*', 'DynamoDB:Sc*', 'dynamodb:?can']) expect(actionMatches(p, 'dynamodb:Scan')).toBe(true);
    for (const p of ['dynamodb:Query', 's3:*', 'dynamodb:Scan2']) expect(actionMatches(p, 'dynamodb:Scan')).toBe(false);
  });
});
