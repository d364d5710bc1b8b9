/**
 * Proves the build is reproducible: records every file of the current out/ (run `npm run build` first),
 * builds again, and fails on any file added, removed or changed. The site's CSP is synthesized from one
 * build and the pages uploaded may come from another (CI builds once, but a retry or a second job
 * rebuilds): with a random build id the hashes would differ and the deployed page would not start.
 *
 *   npm run build && npm run test:reproducible
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CSP_HASHES_FILE } from '../amplify/stacks/csp-hashes';

const OUT = resolve(import.meta.dirname, '../out');

/** Relative path → sha256 of every file under `dir`. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return files;
}

/** Paths that differ between two snapshots, with how. */
export function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  const all = [...new Set([...a.keys(), ...b.keys()])].sort();
  return all.flatMap((path) => {
    if (!b.has(path)) return [`- ${path} (only in the first build)`];
    if (!a.has(path)) return [`+ ${path} (only in the second build)`];
    return a.get(path) === b.get(path) ? [] : [`~ ${path}`];
  });
}

if (!existsSync(join(OUT, CSP_HASHES_FILE))) {
  console.error(`No out/${CSP_HASHES_FILE}: run \`npm run build\` first.`);
  process.exit(2);
}
const first = snapshot(OUT);
execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
const second = snapshot(OUT);
const diff = differences(first, second);
const html = [...first.keys()].filter((p) => p.endsWith('.html')).length;
if (diff.length) {
  console.error(`Two builds of one commit differ in ${diff.length} file(s):\n${diff.slice(0, 30).join('\n')}`);
  process.exit(1);
}
console.log(`reproducible build: ${first.size} files (${html} HTML pages, ${CSP_HASHES_FILE}) identical across two builds`);
