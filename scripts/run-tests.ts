/**
 * `npm test`: every check of the repo, run as a dependency graph so both cores stay busy. Several stages are
 * single-threaded (tsc, the one-fork CDK synthesis, the chaos run: one Node process) and would leave a core idle if
 * run one after another; the graph below pairs them with stages that use both cores. Fast stages come first and any
 * failure stops the run at once (other stages are ended by their process group), so a broken change fails in
 * minutes, not at the end. Each stage's output is printed whole when it ends (never interleaved), then a summary.
 *
 *   npm test                         # the graph
 *   npm test -- --only e2e,chaos     # some stages (their dependencies are assumed done)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { sampleTreeCpu } from './tree-cpu';

/** One check: an npm script, started when every stage in `after` has passed. */
export interface Stage {
  readonly name: string;
  readonly script: string;
  readonly after: readonly string[];
  /**
   * A lower CPU priority (a nice value, 1–19): the stage takes the cores' idle time and yields them to the others.
   * Each stage is its own session, so with the kernel's autogroups (one per session) the value is set on the
   * stage's autogroup — a plain `nice` only ranks processes within one autogroup — and by `renice` as well.
   */
  readonly nice?: number;
  /** Extra environment for the stage's processes. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Builds after the typecheck stage passed skip Next's own check of the same code (next.config.mjs). */
const CHECKED = { BUILD_SKIP_TYPECHECK: '1' };

/**
 * The graph. The unit tests (two vitest workers) start at once beside lane one: typecheck → infra → build → size →
 * reproducible (mostly one core). e2e serves out/ and the reproducibility check rebuilds out/, so e2e waits for it,
 * and for the unit tests (two browser workers beside them would starve each other's timeouts). Chaos (one Node
 * process, ~270 CPU-seconds alone: the longest single-core stage) starts when the unit tests are done, at a lower
 * priority: it takes the CPU e2e leaves idle, then a core of its own. The fuzz runs (~90 CPU-seconds, one process)
 * take the other core once e2e is done. Measured on 3 December (tsc took 39 CPU-s for what took 17 the day before):
 * chaos from the start at nice 5 was starved into the tail (367 CPU-s instead of ~270 alone: the stages that poll
 * burn CPU for as long as they run) and the run took 772 s; at full priority from the start it starved the unit
 * tests (314 s instead of 87 alone) until their bounds failed; fuzz at nice 5 beside e2e and chaos was starved past
 * its 90 s bounds; with chaos after the unit tests at nice 3 and fuzz beside e2e at nice 5 the run took 636 s; this
 * graph (fuzz after e2e): 592–636 s, CPU 1,051–1,112 s.
 */
export const STAGES: readonly Stage[] = [
  { name: 'typecheck', script: 'typecheck', after: [] },
  { name: 'unit', script: 'test:unit:two-workers', after: [] },
  { name: 'infra', script: 'test:infra', after: ['typecheck'] },
  { name: 'build', script: 'build', after: ['infra'], env: CHECKED },
  { name: 'size', script: 'size', after: ['build'] },
  { name: 'reproducible', script: 'test:reproducible', after: ['size'], env: CHECKED },
  { name: 'fuzz', script: 'test:fuzz', after: ['e2e'] },
  { name: 'chaos', script: 'test:chaos', after: ['unit'], nice: 3 },
  { name: 'e2e', script: 'test:e2e', after: ['unit', 'reproducible'] },
];

/** How one stage ended. */
export interface Outcome {
  readonly stage: Stage;
  readonly code: number | null;
  readonly ms: number;
  /**
   * CPU seconds the stage's processes used (user + system): the larger of bash's `times` (processes waited for)
   * and a 1 s sampling of its process tree (tree-cpu.ts: Chromium's processes, which `times` never sees).
   */
  readonly cpuS?: number;
}

/**
 * How a stage is started: `npm run --silent <script>` under bash, whose `times` then prints the CPU its children
 * used: on 2 cores, the sum over stages (not the wall clock of one) is what says whether the graph can get faster.
 */
export const stageCommand = (stage: Stage): [string, string[]] => {
  const run = 'npm run --silent "$0"; s=$?; times; exit $s';
  if (!stage.nice) return ['bash', ['-c', run, stage.script]];
  // Best effort: without autogroups (or write access to them) the plain nice still applies.
  return ['bash', ['-c', `echo ${stage.nice} > /proc/self/autogroup 2>/dev/null; renice --priority ${stage.nice} -p $$ >/dev/null 2>&1; ${run}`, stage.script]];
};

const TIMES_LINE = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/;

/** CPU seconds of the children from bash's `times` output at the end of `output` (its last line); undefined if absent. */
export function childCpuSeconds(output: string): number | undefined {
  const last = output.trimEnd().split('\n').at(-1) ?? '';
  const m = TIMES_LINE.exec(last.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]) : undefined;
}

/** Runs `stages` as a graph; resolves with every outcome (the first failure ends the others). */
export function runGraph(
  stages: readonly Stage[],
  log: (text: string) => void = (t) => process.stdout.write(t),
  command: (stage: Stage) => [string, string[]] = stageCommand,
): Promise<Outcome[]> {
  const names = new Set(stages.map((s) => s.name));
  const pending = new Map(stages.map((s) => [s.name, { ...s, after: s.after.filter((a) => names.has(a)) }]));
  const passed = new Set<string>();
  const running = new Map<string, ChildProcess>();
  const outcomes: Outcome[] = [];
  const started = Date.now();
  const clock = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
  let failed = false;

  return new Promise((resolve) => {
    const stopAll = () => {
      for (const child of running.values()) if (child.pid) try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    };
    const onSignal = (code: number) => () => (stopAll(), process.exit(code));
    const [onInt, onTerm] = [onSignal(130), onSignal(143)];
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    const done = (all: Outcome[]) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(all);
    };

    const startReady = () => {
      if (failed) return;
      for (const stage of [...pending.values()]) {
        if (!stage.after.every((a) => passed.has(a))) continue;
        pending.delete(stage.name);
        log(`[${clock()}] ▶ ${stage.name} (npm run ${stage.script})\n`);
        const t0 = Date.now();
        // Its own process group, so ending the stage ends everything it started (servers, browsers, workers).
        const [cmd, args] = command(stage);
        const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...stage.env } });
        const sampler = child.pid ? sampleTreeCpu(child.pid) : undefined;
        const chunks: Buffer[] = [];
        child.stdout!.on('data', (c: Buffer) => chunks.push(c));
        child.stderr!.on('data', (c: Buffer) => chunks.push(c));
        running.set(stage.name, child);
        child.on('close', (code) => {
          running.delete(stage.name);
          const ms = Date.now() - t0;
          const output = Buffer.concat(chunks).toString();
          const [waited, sampled] = [childCpuSeconds(output), sampler?.stop()];
          const cpuS = waited === undefined && sampled === undefined ? undefined : Math.max(waited ?? 0, sampled ?? 0);
          outcomes.push({ stage, code, ms, cpuS });
          const ok = code === 0;
          const cpu = cpuS === undefined ? '' : ` (CPU ${cpuS.toFixed(0)} s)`;
          const rule = `──── ${stage.name}: ${ok ? 'passed' : failed ? 'stopped' : `FAILED (exit ${code})`} in ${(ms / 1000).toFixed(0)} s${cpu} `;
          log(`\n${rule.padEnd(100, '─')}\n${output}\n`);
          if (ok) passed.add(stage.name);
          else if (!failed) {
            failed = true;
            stopAll();
          }
          if (running.size === 0 && (failed || pending.size === 0)) done(outcomes);
          else startReady();
        });
      }
    };
    startReady();
  });
}

function summary(stages: readonly Stage[], outcomes: Outcome[], wallMs: number): string {
  const rows = stages.map((stage) => {
    const o = outcomes.find((x) => x.stage.name === stage.name);
    const cpu = o?.cpuS === undefined ? '' : `   CPU ${o.cpuS.toFixed(0).padStart(4)} s`;
    return `  ${stage.name.padEnd(14)} ${!o ? 'not run' : o.code === 0 ? 'passed' : 'FAILED'}${o ? ` ${(o.ms / 1000).toFixed(0).padStart(5)} s${cpu}` : ''}`;
  });
  const ok = outcomes.length === stages.length && outcomes.every((o) => o.code === 0);
  const cpuTotal = outcomes.reduce((sum, o) => sum + (o.cpuS ?? 0), 0);
  return `\nnpm test ${ok ? 'passed' : 'FAILED'} in ${(wallMs / 1000).toFixed(0)} s (CPU ${cpuTotal.toFixed(0)} s on ${availableParallelism()} cores)\n${rows.join('\n')}\n`;
}

if (process.argv[1]?.endsWith('run-tests.ts')) {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1]!.split(',') : undefined;
  const unknown = only?.filter((n) => !STAGES.some((s) => s.name === n)) ?? [];
  if (unknown.length) {
    console.error(`Unknown stage(s): ${unknown.join(', ')}. Stages: ${STAGES.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  const stages = only ? STAGES.filter((s) => only.includes(s.name)) : STAGES;
  const t0 = Date.now();
  const outcomes = await runGraph(stages);
  const ok = outcomes.length === stages.length && outcomes.every((o) => o.code === 0);
  process.stdout.write(summary(stages, outcomes, Date.now() - t0));
  process.exit(ok ? 0 : 1);
}
