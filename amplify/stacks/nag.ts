/**
 * cdk-nag's AwsSolutions checks on the whole app (root, auth, realtime and site stacks). The checks run
 * as a CDK validation plugin, so any synthesis (`ampx sandbox`, `ampx pipeline-deploy`, `npm run synth`,
 * the infra tests) fails on a finding that is neither fixed nor acknowledged in nag-acknowledgements.ts.
 */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { NAG_ACKNOWLEDGEMENTS, type NagAcknowledgement } from './nag-acknowledgements';

/** One finding acknowledged on one resource. */
export interface AppliedAcknowledgement {
  /** The full finding id, e.g. `AwsSolutions-IAM5[Resource::…]`. */
  readonly id: string;
  /** Construct path below the root stack. */
  readonly path: string;
  readonly acknowledgement: NagAcknowledgement;
}

/** `Rule[finding]` → its parts. */
export function splitFindingId(id: string): { rule: string; finding?: string } {
  const match = /^([^[]+)\[(.*)\]$/.exec(id);
  return match ? { rule: match[1]!, finding: match[2]! } : { rule: id };
}

/** The acknowledgement covering a finding on a resource, if any. */
export function acknowledgementFor(
  id: string,
  path: string,
  acknowledgements: readonly NagAcknowledgement[] = NAG_ACKNOWLEDGEMENTS,
): NagAcknowledgement | undefined {
  const { rule, finding } = splitFindingId(id);
  return acknowledgements.find(
    (a) => a.rule === rule && a.path.test(path) && (a.finding ? finding !== undefined && a.finding.test(finding) : finding === undefined),
  );
}

/** Unacknowledged findings of `app` as `id @ path` lines (empty when the app is clean). */
export function nagFindings(app: IConstruct): string[] {
  const { violations } = new AwsSolutionsChecks().validateScope(app);
  return violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath ?? r.resourceLogicalId}`));
}

/**
 * Acknowledges, on exactly the resources that have them, the findings listed in nag-acknowledgements.ts
 * (the list's patterns are resolved to concrete finding ids by a first pass of the checks), then adds
 * the checks to the app's synthesis. Call once, after every construct exists.
 */
export function enforceNag(app: IConstruct, acknowledgements: readonly NagAcknowledgement[] = NAG_ACKNOWLEDGEMENTS): AppliedAcknowledgement[] {
  const byPath = new Map(app.node.findAll().map((c) => [c.node.path, c]));
  const applied: AppliedAcknowledgement[] = [];
  for (const violation of new AwsSolutionsChecks().validateScope(app).violations) {
    for (const { constructPath = '' } of violation.violatingResources) {
      const path = constructPath.split('/').slice(1).join('/'); // drop the root stack's name
      const acknowledgement = acknowledgementFor(violation.ruleName, path, acknowledgements);
      const resource = byPath.get(constructPath);
      if (!acknowledgement || !resource) continue;
      Validations.of(resource).acknowledge({ id: violation.ruleName, reason: acknowledgement.reason });
      applied.push({ id: violation.ruleName, path, acknowledgement });
    }
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return applied;
}
