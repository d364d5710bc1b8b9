/**
 * Small readers for synthesized templates, used by the infra tests: render intrinsic functions as
 * text and collect the IAM statements that apply to a role.
 */
import type { CfnTemplate } from './stack-graph';

/** An IAM policy statement as it appears in a template. */
export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}

/** Renders a value as text: `Ref X` → `<X>`, `GetAtt X.A` → `<X.A>`, `Join` → the joined parts. */
export function show(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const v = value as Record<string, unknown> | null;
  if (v && typeof v.Ref === 'string') return `<${v.Ref}>`;
  if (v && Array.isArray(v['Fn::GetAtt'])) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if (v && Array.isArray(v['Fn::Join'])) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(show).join(separator);
  }
  if (v && typeof v['Fn::Sub'] === 'string') return v['Fn::Sub'];
  return JSON.stringify(value);
}

/** Actions of a statement as an array. */
export const actionsOf = (s: Statement): string[] => [s.Action].flat();

/** Resources of a statement, rendered with `show`. */
export const resourcesOf = (s: Statement): string[] => [s.Resource ?? []].flat().map(show);

/** True when an IAM action pattern (`*`, `?` wildcards, case-insensitive) covers `action`. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(action);
}

/** The statements of one policy document (a single statement may be an object, not an array). */
const statementsIn = (doc: unknown): Statement[] => [(doc as { Statement?: unknown } | undefined)?.Statement ?? []].flat() as Statement[];

interface PolicyProps {
  readonly PolicyDocument?: unknown;
  readonly Policies?: ReadonlyArray<{ readonly PolicyDocument: unknown }>;
  readonly Roles?: readonly unknown[];
  readonly ManagedPolicyArns?: readonly unknown[];
}
const propsOf = (resource: { Properties?: unknown } | undefined) => (resource?.Properties ?? {}) as PolicyProps;

/** Statements of every policy document in the template (roles, policies, managed policies, bucket policies). */
export function allStatements(template: CfnTemplate): Statement[] {
  return Object.values(template.Resources ?? {}).flatMap((resource) => {
    const props = propsOf(resource);
    // Only IAM-style `Policies` arrays (a Cognito user pool's `Policies` is a password policy object).
    const inline = Array.isArray(props.Policies) ? props.Policies.map((p) => p.PolicyDocument) : [];
    return [props.PolicyDocument, ...inline].flatMap(statementsIn);
  });
}

/** True when a policy resource of `type` names the role in its `Roles`. */
const attachedTo = (r: { Type?: string; Properties?: unknown }, type: string, roleLogicalId: string) =>
  r.Type === type && (propsOf(r).Roles ?? []).some((role) => show(role) === `<${roleLogicalId}>`);

/** Logical ids of the customer managed policies (AWS::IAM::ManagedPolicy) in the template attached to one role. */
function customerManagedPolicyIds(template: CfnTemplate, roleLogicalId: string): string[] {
  const resources = template.Resources ?? {};
  const viaRole = (propsOf(resources[roleLogicalId]).ManagedPolicyArns ?? []).map(show).map((arn) => /^<([^.>]+)>$/.exec(arn)?.[1]);
  return Object.entries(resources)
    .filter(([id, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && (viaRole.includes(id) || attachedTo(r, 'AWS::IAM::ManagedPolicy', roleLogicalId)))
    .map(([id]) => id);
}

/**
 * Every managed policy attached to one role, rendered with `show`: the role's `ManagedPolicyArns` (AWS managed
 * ones such as `arn:<AWS::Partition>:iam::aws:policy/AmazonDynamoDBReadOnlyAccess`, whose statements are not in
 * the template, so a least-privilege check must list them explicitly) plus customer managed policies naming it.
 */
export function roleManagedPolicies(template: CfnTemplate, roleLogicalId: string): string[] {
  const listed = (propsOf((template.Resources ?? {})[roleLogicalId]).ManagedPolicyArns ?? []).map(show);
  const named = customerManagedPolicyIds(template, roleLogicalId).map((id) => `<${id}>`);
  return [...new Set([...listed, ...named])].sort();
}

/**
 * Statements granted to one role: its inline policies, every AWS::IAM::Policy attached to it, and the documents of
 * the customer managed policies attached to it. AWS managed policies have no document here: see `roleManagedPolicies`.
 */
export function roleStatements(template: CfnTemplate, roleLogicalId: string): Statement[] {
  const resources = template.Resources ?? {};
  const inline = (propsOf(resources[roleLogicalId]).Policies ?? []).map((p) => p.PolicyDocument);
  const attached = Object.values(resources)
    .filter((r) => attachedTo(r, 'AWS::IAM::Policy', roleLogicalId))
    .map((r) => propsOf(r).PolicyDocument);
  const managed = customerManagedPolicyIds(template, roleLogicalId).map((id) => propsOf(resources[id]).PolicyDocument);
  return [...inline, ...attached, ...managed].flatMap(statementsIn);
}
