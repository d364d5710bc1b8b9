import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { getPriority } from 'node:os';
import { childCpuSeconds, runGraph, stageCommand, STAGES, type Stage } from './run-tests';

/** A stage that appends its name to a shared order, sleeps `ms`, and exits with `code`. */
const node = (ms: number, code = 0) => (stage: Stage): [string, string[]] => [
  process.execPath,
  ['-e', `console.log('start ${stage.name}'); setTimeout(() => { console.log('end ${stage.name}'); process.exit(${code}); }, ${ms});`],
];

describe('npm test graph', () => {
  it('starts a stage only after everything it depends on passed, and runs independent stages at once', async () => {
    const log: string[] = [];
    const stages: Stage[] = [
      { name: 'a', script: '', after: [] },
      { name: 'b', script: '', after: [] },
      { name: 'c', script: '', after: ['a', 'b'] },
    ];
    const outcomes = await runGraph(stages, (t) => log.push(t), node(300));
    expect(outcomes.map((o) => [o.stage.name, o.code])).toEqual(expect.arrayContaining([['a', 0], ['b', 0], ['c', 0]]));
    const starts = log.filter((l) => l.includes('▶')).map((l) => l.match(/▶ (\w)/)![1]);
    expect(starts.slice(0, 2).sort()).toEqual(['a', 'b']); // both before either ended
    expect(starts[2]).toBe('c');
    expect(log.findIndex((l) => l.includes('▶ c'))).toBeGreaterThan(log.findIndex((l) => l.includes('a: passed')));
    expect(log.findIndex((l) => l.includes('▶ c'))).toBeGreaterThan(log.findIndex((l) => l.includes('b: passed')));
    expect(log.join('')).toContain('end a'); // each stage's output is printed
  });

  it('on a failure ends the running stages and starts no dependent one', async () => {
    const log: string[] = [];
    const stages: Stage[] = [
      { name: 'bad', script: '', after: [] },
      { name: 'slow', script: '', after: [] },
      { name: 'next', script: '', after: ['bad'] },
    ];
    const t0 = Date.now();
    const outcomes = await runGraph(stages, (t) => log.push(t), (s) => node(s.name === 'bad' ? 100 : 20_000, s.name === 'bad' ? 3 : 0)(s));
    expect(Date.now() - t0).toBeLessThan(15_000); // the 20 s stage was ended, not waited for
    expect(outcomes.find((o) => o.stage.name === 'bad')!.code).toBe(3);
    expect(outcomes.find((o) => o.stage.name === 'slow')!.code).not.toBe(0);
    expect(outcomes.some((o) => o.stage.name === 'next')).toBe(false);
    expect(log.join('')).toContain('bad: FAILED (exit 3)');
  });

  it('names only existing stages as dependencies and has no cycle', () => {
    const names = new Set(STAGES.map((s) => s.name));
    const done = new Set<string>();
    let progress = true;
    while (progress) {
      progress = false;
      for (const s of STAGES) {
        for (const a of s.after) expect(names.has(a), `${s.name} after ${a}`).toBe(true);
        if (!done.has(s.name) && s.after.every((a) => done.has(a))) (done.add(s.name), (progress = true));
      }
    }
    expect([...done].sort()).toEqual([...names].sort());
    // e2e serves out/, which the reproducibility check rebuilds: never at the same time.
    expect(STAGES.find((s) => s.name === 'e2e')!.after).toContain('reproducible');
  });

  it("gives a stage its env, and skips the build's type check only where the typecheck stage has passed before", async () => {
    const log: string[] = [];
    const print = (): [string, string[]] => [process.execPath, ['-e', 'console.log(`env=${process.env.STAGE_PROBE}`)']];
    await runGraph([{ name: 'probe', script: '', after: [], env: { STAGE_PROBE: 'set' } }], (t) => log.push(t), print);
    expect(log.join('')).toContain('env=set');
    const before = (name: string): Set<string> => {
      const stage = STAGES.find((s) => s.name === name)!;
      return new Set(stage.after.flatMap((a) => [a, ...before(a)]));
    };
    const skipping = STAGES.filter((s) => s.env?.BUILD_SKIP_TYPECHECK === '1').map((s) => s.name);
    expect(skipping).toEqual(expect.arrayContaining(['build', 'reproducible']));
    for (const name of skipping) expect(before(name).has('typecheck'), name).toBe(true);
  });

  it('runs a stage with `nice` at that priority, and the others at the default', () => {
    // The real command line, with the npm call swapped for `nice`, which prints the priority it runs at.
    const run = (stage: Stage) => {
      const [cmd, args] = stageCommand(stage);
      return execFileSync(cmd, [args[0]!, args[1]!.replace('npm run --silent "$0"', 'nice'), args[2]!]).toString().split('\n')[0];
    };
    // Relative to this process's own priority (a mutation run is itself niced); only root may raise one back.
    const own = getPriority();
    expect(run({ name: 'low', script: 'x', after: [], nice: 7 })).toBe(String(process.getuid?.() === 0 ? 7 : Math.max(own, 7)));
    expect(run({ name: 'normal', script: 'x', after: [] })).toBe(String(own));
        expect(STAGES.find((s) => s.name === 'chaos')!.nice).toBeGreaterThan(0);
  });

  it('reads the CPU its processes used from bash `times` (children line last), and nothing from other output', async () => {
    expect(childCpuSeconds('ok\n0m0.004s 0m0.002s\n1m2.500s 0m3.250s\n')).toBeCloseTo(65.75);
    expect(childCpuSeconds('tests passed\n')).toBeUndefined();
    // The real command: a stage that burns CPU reports it, under bash as npm test starts stages.
    const log: string[] = [];
    const [outcome] = await runGraph([{ name: 'burn', script: '', after: [] }], (t) => log.push(t), () => [
      'bash',
      ['-c', `"${process.execPath}" -e "while (process.cpuUsage().user < 400000);"; s=$?; times; exit $s`],
    ]);
    expect(outcome!.cpuS).toBeGreaterThan(0.3);
    expect(log.join('')).toMatch(/burn: passed in \d+ s \(CPU \d+ s\)/);
  });
});
