/**
 * `npm run bench`: see bench.ts. Env overrides: BENCH_SIZES (e.g. "10,100,1000"), BENCH_MESSAGES (messages per
 * room, default scaled by size), BENCH_STORM (members reconnecting at once, default 100 in the room of 100),
 * BENCH_HANDLER_RUNS (cold imports per handler, default 5), BENCH_MODEL (JSON overrides of the AWS model, e.g.
 * '{"postLatencyMs":25}'). Writes bench/results.json and ends with a one-line summary of the ratios.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runBench } from './bench';

const sizes = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const fixedMessages = process.env.BENCH_MESSAGES ? Number(process.env.BENCH_MESSAGES) : undefined;
const results = await runBench({
  sizes,
  messages: (size) => fixedMessages ?? (size <= 10 ? 50 : size <= 100 ? 30 : 10),
  sample: { rooms: 10, perRoom: 100, messages: 10 },
  storm: Number(process.env.BENCH_STORM ?? 100),
  stormRoom: 100,
  handlerRuns: Number(process.env.BENCH_HANDLER_RUNS ?? 5),
  model: process.env.BENCH_MODEL ? (JSON.parse(process.env.BENCH_MODEL) as object) : {},
  modelSizes: [10, 100, 1_000, 10_000],
  log: (line) => console.log(line),
});
const out = resolve(import.meta.dirname, 'results.json');
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);

console.log('\nchat stack (real sockets, local), send→receive at every receiving socket:');
for (const c of results.chat) {
  const r = results.relay.find((x) => x.roomSize === c.roomSize)!;
  console.log(
    `  room ${String(c.roomSize).padStart(5)}: p50 ${c.latencyMs.p50} / p95 ${c.latencyMs.p95} / p99 ${c.latencyMs.p99} ms, ${c.messagesPerSecond} msg/s` +
      ` | relay p50 ${r.latencyMs.p50} / p99 ${r.latencyMs.p99} ms | per message: ${c.perMessage.dynamoTotal} DynamoDB ${JSON.stringify(c.perMessage.dynamo)}, ${c.perMessage.posts} posts, SQS ${JSON.stringify(c.perMessage.sqs)}`,
  );
}
if (results.awsSample) {
  const s = results.awsSample;
  console.log(`  AWS sample ${s.rooms}x${s.perRoom}: p50 ${s.latencyMs.p50} / p99 ${s.latencyMs.p99} ms, ${s.messagesPerSecond} msg/s, per message ${s.perMessage.dynamoTotal} DynamoDB ${JSON.stringify(s.perMessage.dynamo)}, ${s.perMessage.posts} posts`);
}
console.log('presence (a member joins / leaves):');
for (const p of results.presence) console.log(`  room ${p.roomSize}: join ${p.join.posts} posts ${p.join.bytes} B (${p.join.dynamo} DynamoDB, subscribe answered in ${p.join.subscribeMs} ms); leave ${p.leave.posts} posts ${p.leave.bytes} B`);
if (results.storm) {
  const s = results.storm;
  console.log(`  reconnect storm: ${s.reconnects} members of a ${s.roomSize}-socket room: ${s.changes} changes, ${s.postsPerChange} posts per change of ${s.bytesPerPost} B (${s.deltaFrames} delta frames, ${s.usersPerFrame} users each; ${s.usersDelivered} user changes delivered = frames without coalescing), ${s.seconds} s`);
}
console.log(`post cost: ${results.postCost.cpuMsPerPost} ms CPU (${results.postCost.wallMsPerPost} ms wall) per PostToConnection, SDK client at concurrency ${results.postCost.concurrency} against a null server`);
console.log(`AWS MODEL (${results.model.note})`);
for (const r of results.model.rows) {
  const d = results.model.directOnly.find((x) => x.roomSize === r.roomSize)!;
  console.log(`  room ${String(r.roomSize).padStart(6)}: ${r.path.padEnd(7)} p50 ${r.p50} / p95 ${r.p95} / p99 ${r.p99} ms (direct-only p99 ${d.p99} ms), SQS ${r.sqsRequestsPerMessage}, worker invocations ${r.workerInvocationsPerMessage}`);
}
for (const t of results.model.targets) console.log(`  target ${t.name}: ${t.value} vs ${t.limit} → ${t.met ? 'met' : 'MISSED'}`);
console.log(`cost per million messages (${results.costPerMillionMessages.note}; prices ${results.costPerMillionMessages.prices.date}):`);
for (const c of results.costPerMillionMessages.rows) console.log(`  room ${String(c.roomSize).padStart(5)}: $${c.total} = WebSocket $${c.webSocket} + DynamoDB $${c.dynamo} + Lambda $${c.lambda} + SQS $${c.sqs}`);
if (results.handlers) {
  const bare = results.handlers.bare;
  console.log(`handlers (bundle, cold import CPU / wall; bare DynamoDB handler ${Math.round(bare.bytes / 1024)} KB, ${bare.coldImportCpuMs} / ${bare.coldImportMs} ms):`);
  for (const h of results.handlers.handlers) console.log(`  ${h.name.padEnd(16)} ${Math.round(h.bytes / 1024)} KB, ${h.coldImportCpuMs} / ${h.coldImportMs} ms = ${h.cpuRatioToBare}x / ${h.ratioToBare}x bare ${h.withinBudget ? '' : '(over budget: 650 KB / 1.25x CPU)'}`);
}
for (const e of results.errors) console.log(`ERROR in this run: ${e}`);
console.log(`wrote ${out}`);
console.log(results.summary);
process.exit(0);
