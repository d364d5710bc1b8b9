/**
 * Prints the last `npm run test:mutation` result (reports/mutation/mutation.json) as Markdown: the score per file
 * and every mutant that survived or had no covering test, for docs/mutation-report.md.
 *
 *   npx tsx scripts/mutation-summary.ts [--survivors]
 */
import { readFileSync } from 'node:fs';

interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}
const report = JSON.parse(readFileSync('reports/mutation/mutation.json', 'utf8')) as { files: Record<string, { source: string; mutants: Mutant[] }> };

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const score = (mutants: Mutant[]) => {
  const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
  const valid = detected + mutants.filter((m) => UNDETECTED.has(m.status)).length;
  return { detected, valid, pct: valid ? (100 * detected) / valid : 100 };
};

const rows = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b));
const all = rows.flatMap(([, f]) => f.mutants);
const total = score(all);
console.log(`Mutation score: **${total.pct.toFixed(2)}%** (${total.detected} of ${total.valid} mutants detected; ` +
  `${all.filter((m) => m.status === 'Ignored').length} ignored: static or disabled by a comment)\n`);
console.log('| File | Score | Detected / valid | Survived | No coverage |\n| --- | ---: | ---: | ---: | ---: |');
for (const [file, { mutants }] of rows) {
  const s = score(mutants);
  const count = (status: string) => mutants.filter((m) => m.status === status).length;
  console.log(`| ${file} | ${s.pct.toFixed(1)}% | ${s.detected} / ${s.valid} | ${count('Survived')} | ${count('NoCoverage')} |`);
}
if (process.argv.includes('--survivors')) {
  console.log('\n### Undetected mutants\n');
  for (const [file, { source, mutants }] of rows) {
    const lines = source.split('\n');
    for (const m of mutants.filter((x) => UNDETECTED.has(x.status))) {
      const { line } = m.location.start;
      const replacement = (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80);
      console.log(`- ${file}:${line} ${m.status} ${m.mutatorName} → \`${replacement}\` — \`${lines[line - 1]?.trim().slice(0, 100)}\``);
    }
  }
}
