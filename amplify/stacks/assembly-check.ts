/**
 * Runs the stack-graph cycle check over a whole cloud assembly (a cdk.out directory): every top-level
 * stack and, recursively, every nested stack template it points to.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCycles, nestedStackGraph, resourceGraph, type CfnResource, type CfnTemplate } from './stack-graph';

/** One template of the assembly, named by its file. */
export interface AssemblyTemplate {
  readonly file: string;
  readonly template: CfnTemplate;
}

/** What the check found. */
export interface AssemblyReport {
  readonly templates: readonly AssemblyTemplate[];
  /** Per parent template file: nested stack logical id → the nested stacks it depends on. */
  readonly stackGraphs: Record<string, Record<string, string[]>>;
  /** Every cycle, nested-stack level or resource level, with the template it is in. */
  readonly cycles: ReadonlyArray<{ readonly file: string; readonly cycle: readonly string[] }>;
}

interface Manifest {
  readonly artifacts?: Record<string, { type: string; properties?: { templateFile?: string; file?: string } }>;
}
interface AssetManifest {
  readonly files?: Record<string, { source?: { path?: string } }>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/**
 * The template file of a nested stack resource. CDK records it as `aws:asset:path` metadata when asset
 * metadata is on; Amplify turns that off, so otherwise the asset hash in TemplateURL is looked up.
 */
function nestedTemplateFile(resource: CfnResource, templatesByHash: Map<string, string>): string | undefined {
  const recorded = resource.Metadata?.['aws:asset:path'];
  if (typeof recorded === 'string') return recorded;
  const url = JSON.stringify((resource.Properties as { TemplateURL?: unknown } | undefined)?.TemplateURL ?? '');
  const hash = /([0-9a-f]{64})\.json/.exec(url)?.[1];
  return hash ? templatesByHash.get(hash) : undefined;
}

/** Every template in the assembly: top-level stacks from manifest.json, then the nested ones they point to. */
export function loadAssemblyTemplates(dir: string): AssemblyTemplate[] {
  const artifacts = Object.values(readJson<Manifest>(join(dir, 'manifest.json')).artifacts ?? {});
  const templatesByHash = new Map<string, string>();
  for (const a of artifacts.filter((x) => x.type === 'cdk:asset-manifest' && x.properties?.file)) {
    for (const [hash, asset] of Object.entries(readJson<AssetManifest>(join(dir, a.properties!.file!)).files ?? {})) {
      if (asset.source?.path?.endsWith('.json')) templatesByHash.set(hash, asset.source.path);
    }
  }
  const pending = artifacts
    .filter((a) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map((a) => a.properties!.templateFile!);
  const templates: AssemblyTemplate[] = [];
  const seen = new Set<string>();
  for (let file = pending.shift(); file !== undefined; file = pending.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const template = readJson<CfnTemplate>(join(dir, file));
    templates.push({ file, template });
    for (const resource of Object.values(template.Resources ?? {})) {
      if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
      const nested = nestedTemplateFile(resource, templatesByHash);
      if (!nested) throw new Error(`${file}: cannot find the template of a nested stack (TemplateURL has no known asset hash)`);
      pending.push(nested);
    }
  }
  return templates;
}

/** Nested-stack graphs and all dependency cycles of the assembly in `dir`. */
export function checkAssembly(dir: string): AssemblyReport {
  const templates = loadAssemblyTemplates(dir);
  const stackGraphs: Record<string, Record<string, string[]>> = {};
  const cycles: Array<{ file: string; cycle: string[] }> = [];
  for (const { file, template } of templates) {
    const stacks = nestedStackGraph(template);
    if (stacks.size > 0) {
      stackGraphs[file] = Object.fromEntries([...stacks].map(([id, deps]) => [id, [...deps].sort()]));
    }
    // Resource-level cycles include nested-stack ones (stacks are resources of their parent).
    for (const cycle of findCycles(resourceGraph(template))) cycles.push({ file, cycle });
  }
  return { templates, stackGraphs, cycles };
}

/** Human-readable summary, one line per edge or cycle. */
export function formatReport(report: AssemblyReport): string {
  const lines: string[] = [];
  for (const [file, graph] of Object.entries(report.stackGraphs)) {
    lines.push(`${file}:`);
    for (const [id, deps] of Object.entries(graph)) lines.push(`  ${id} depends on ${deps.length ? deps.join(', ') : 'nothing'}`);
  }
  for (const { file, cycle } of report.cycles) lines.push(`CYCLE in ${file}: ${cycle.join(' <-> ')}`);
  lines.push(report.cycles.length ? `${report.cycles.length} dependency cycle(s)` : 'no dependency cycles');
  return lines.join('\n');
}
