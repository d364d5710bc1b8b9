/**
 * Merges the reports of chunked Stryker runs (reports/mutation/chunks/*.json, see stryker.config.mjs) into
 * reports/mutation/mutation.json (read by scripts/mutation-summary.ts) and reports/stryker-incremental.json (the
 * committed incremental file a later run starts from). For each file the newest chunk that mutated it wins.
 *
 *   npx tsx scripts/mutation-merge.ts
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CHUNKS = 'reports/mutation/chunks';
const INCREMENTAL = 'reports/stryker-incremental.json';
const OUTPUTS = ['reports/mutation/mutation.json', INCREMENTAL];

interface Test { id: string; name: string; location?: unknown }
interface TestFile { tests: Test[]; source?: string }
interface Mutant { coveredBy?: string[]; killedBy?: string[] }
interface Report { files: Record<string, { mutants: Mutant[] }>; testFiles?: Record<string, TestFile> }
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Report & Record<string, unknown>;

// Oldest first, so newer results overwrite older ones; the committed file is the oldest of all.
const chunkFiles = existsSync(CHUNKS)
  ? readdirSync(CHUNKS).filter((f) => f.endsWith('.json') && !f.endsWith('.incremental.json')).map((f) => join(CHUNKS, f))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
  : [];
const sources = [...(existsSync(INCREMENTAL) ? [INCREMENTAL] : []), ...chunkFiles];
if (sources.length === 0) throw new Error(`No reports in ${CHUNKS}: run a chunk first (see stryker.config.mjs).`);

// Stryker numbers the tests of each run from 0, so the same id means different tests in two chunks: every test
// gets one id for the merged report, keyed by its file and full name.
const globalIds = new Map<string, string>();
const merged = { ...read(sources[sources.length - 1]), files: {}, testFiles: {} } as Report & Record<string, unknown>;
const testFiles: Record<string, { source?: string; tests: Map<string, Test> }> = {};
for (const source of sources) {
  const report = read(source);
  const local = new Map<string, string>();
  for (const [file, testFile] of Object.entries(report.testFiles ?? {})) {
    const target = (testFiles[file] ??= { tests: new Map() });
    target.source = testFile.source ?? target.source;
    for (const test of testFile.tests) {
      const key = `${file}#${test.name}`;
      if (!globalIds.has(key)) globalIds.set(key, String(globalIds.size));
      local.set(test.id, globalIds.get(key)!);
      target.tests.set(key, { ...test, id: globalIds.get(key)! });
    }
  }
  const remap = (ids?: string[]) => ids?.map((id) => local.get(id) ?? id);
  // A chunk's report also carries the other files of the incremental file it started from, as they were then:
  // take from a chunk only the files it mutated (its `config.mutate`), so a stale copy never wins.
  // A ranged chunk (`--mutate file:10-20`) reports the whole file: its other mutants reused from the incremental file.
  const mutated = source === INCREMENTAL ? undefined : new Set(((report.config as { mutate?: string[] } | undefined)?.mutate ?? []).map((m) => m.replace(/:\d+(:\d+)?-\d+(:\d+)?$/, '')));
  for (const [file, result] of Object.entries(report.files)) {
    if (mutated && !mutated.has(file)) continue;
    merged.files[file] = { ...result, mutants: result.mutants.map((m) => ({ ...m, coveredBy: remap(m.coveredBy), killedBy: remap(m.killedBy) })) };
  }
}
merged.testFiles = Object.fromEntries(Object.entries(testFiles).map(([file, { source, tests }]) => [file, { source, tests: [...tests.values()] }]));
for (const out of OUTPUTS) writeFileSync(out, JSON.stringify(merged, null, 2));
console.log(`Merged ${sources.length} report(s), ${Object.keys(merged.files).length} file(s) → ${OUTPUTS.join(', ')}`);
