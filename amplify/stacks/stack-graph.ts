/**
 * Dependency-cycle check for synthesized CloudFormation. `cdk synth` happily writes templates whose
 * resources (or nested stacks) depend on each other in a circle; CloudFormation only rejects them at
 * deploy time. This reads templates (or a whole cdk.out), builds the graphs and reports cycles.
 */
/** The parts of a CloudFormation template the graph needs. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
}
/** One resource of a template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: unknown;
  readonly DependsOn?: string | string[];
  readonly Metadata?: Record<string, unknown>;
}

/** Node → the nodes it depends on. */
export type Graph = Map<string, Set<string>>;

const NESTED_STACK = 'AWS::CloudFormation::Stack';

/** Logical ids referenced by Ref, Fn::GetAtt or ${…} in Fn::Sub anywhere inside `value`. */
export function referencedIds(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => referencedIds(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') out.add(inner);
      else if (key === 'Fn::GetAtt') out.add(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]!);
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        for (const [, name] of String(text).matchAll(/\$\{([^!}][^}.]*)[^}]*\}/g)) out.add(name!);
      }
      referencedIds(inner, out);
    }
  }
  return out;
}

/** Resource → resources of the same template it depends on (references and DependsOn; pseudo-params and Parameters dropped). */
export function resourceGraph(template: CfnTemplate): Graph {
  const resources = template.Resources ?? {};
  const graph: Graph = new Map();
  for (const [id, resource] of Object.entries(resources)) {
    const deps = referencedIds(resource.Properties);
    for (const d of [resource.DependsOn ?? []].flat()) deps.add(d);
    graph.set(id, new Set([...deps].filter((d) => d in resources)));
  }
  return graph;
}

/**
 * Nested stack → nested stacks it consumes (a Parameter fed by another stack's Outputs) or DependsOn,
 * following chains through plain resources of the parent template.
 */
export function nestedStackGraph(template: CfnTemplate): Graph {
  const resources = template.Resources ?? {};
  const isStack = (id: string) => resources[id]?.Type === NESTED_STACK;
  const graph = resourceGraph(template);
  const result: Graph = new Map();
  for (const id of Object.keys(resources).filter(isStack)) {
    const found = new Set<string>();
    const seen = new Set<string>();
    const stack = [...(graph.get(id) ?? [])];
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      if (isStack(next)) found.add(next);
      else stack.push(...(graph.get(next) ?? []));
    }
    result.set(id, found);
  }
  return result;
}

/** Every cycle as its strongly connected component (two or more nodes, or one that depends on itself). */
export function findCycles(graph: Graph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.has(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
