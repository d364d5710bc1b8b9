/**
 * `npx tsx bench/run-handlers.ts`: only the lean-handlers part of `npm run bench` (about a minute): bundles every
 * handler as it deploys, times cold imports against the bare DynamoDB handler (BENCH_HANDLER_RUNS each, default 9,
 * interleaved) and writes the result into the `handlers` part of bench/results.json (with `handlersMeasuredAt`),
 * leaving the rest of the last full run as it was.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { measureHandlers } from './handlers';

const out = resolve(import.meta.dirname, 'results.json');
const handlers = await measureHandlers({ runs: Number(process.env.BENCH_HANDLER_RUNS ?? 9) });
const results = JSON.parse(readFileSync(out, 'utf8')) as { handlers?: unknown; handlersMeasuredAt?: string; summary?: string };
results.handlers = handlers;
results.handlersMeasuredAt = new Date().toISOString();
const worstSize = Math.max(...handlers.handlers.map((h) => h.bytes));
const worstRatio = Math.max(...handlers.handlers.map((h) => h.cpuRatioToBare));
results.summary = results.summary?.replace(/handlers max \d+ KB, cold import max [\d.]+x bare( \(CPU\))?/, `handlers max ${Math.round(worstSize / 1024)} KB, cold import max ${worstRatio}x bare (CPU)`);
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);

const { bare } = handlers;
console.log(`bare DynamoDB handler: ${Math.round(bare.bytes / 1024)} KB, cold import ${bare.coldImportCpuMs} ms CPU / ${bare.coldImportMs} ms wall`);
for (const h of handlers.handlers) {
  console.log(`  ${h.name.padEnd(16)} ${Math.round(h.bytes / 1024)} KB, ${h.cpuRatioToBare}x CPU / ${h.ratioToBare}x wall ${h.withinBudget ? '' : '(over budget: 650 KB / 1.25x CPU)'}`);
}
console.log(`wrote the handlers part of ${out}`);
process.exit(0);
