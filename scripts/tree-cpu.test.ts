import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStat, sampleTreeCpu, treeOf, type ProcStat } from './tree-cpu';

/** A /proc/<pid>/stat line with the fields tree-cpu reads (the rest zero). */
const statLine = (pid: number, name: string, ppid: number, utime: number, stime: number, start: number) =>
  `${pid} (${name}) S ${ppid} 1 1 0 -1 4194560 0 0 0 0 ${utime} ${stime} 7 9 20 0 1 0 ${start} 1000 10`;

describe('process-tree CPU', () => {
  it('parses a stat line whose command name holds spaces and parentheses, and refuses malformed lines', () => {
    expect(parseStat(statLine(42, 'a) (b c', 7, 150, 25, 9000))).toEqual({ pid: 42, ppid: 7, start: 9000, ticks: 175 });
    expect(parseStat('42 no name here')).toBeUndefined();
    expect(parseStat('x (node) S 1 1')).toBeUndefined();
    expect(parseStat('42 (node) S 1 1 1')).toBeUndefined(); // too few fields
  });

  it('takes exactly the processes whose parent chain reaches the root', () => {
    const p = (pid: number, ppid: number): ProcStat => ({ pid, ppid, start: 0, ticks: pid });
    const all = [p(1, 0), p(10, 1), p(11, 10), p(12, 11), p(13, 1), p(14, 13), p(15, 99)];
    expect(treeOf(all, 10).map((x) => x.pid).sort()).toEqual([10, 11, 12]);
    expect(treeOf(all, 13).map((x) => x.pid)).toEqual([13, 14]);
    expect(treeOf(all, 50)).toEqual([]);
    // A malformed cycle ends the walk instead of recursing forever.
    expect(treeOf([p(20, 21), p(21, 20)], 10)).toEqual([]);
  });

  it('counts a busy child its parent never waits for (which bash `times` misses, as it missed Chromium)', async () => {
    // The inner shell becomes a watcher (exec) that never waits: it exits soon after the busy child is a zombie, so the
    // child's CPU never reaches the outer shell's `times`, as Chromium's renderers never reached npm test's.
    const report = join(mkdtempSync(join(tmpdir(), 'tree-cpu-')), 'cpu');
    const busy = `let x = 0; for (let i = 0; i < 6e8; i++) x += i % 7; const u = process.cpuUsage(); require('fs').writeFileSync(process.argv[1], String((u.user + u.system) / 1e6));`;
    const watch = `const f = '/proc/' + process.argv[1] + '/stat'; setInterval(() => / Z /.test(require('fs').readFileSync(f, 'utf8')) && setTimeout(() => process.exit(), 300), 20);`;
    const inner = `"$NODE" -e "$BUSY" "$REPORT" >/dev/null & exec "$NODE" -e "$WATCH" $!`;
    const env = { ...process.env, NODE: process.execPath, BUSY: busy, WATCH: watch, INNER: inner, REPORT: report };
    const shell = spawn('bash', ['-c', 'bash -c "$INNER"; times'], { stdio: ['ignore', 'pipe', 'ignore'], env });
    const sampler = sampleTreeCpu(shell.pid!, 100);
    let out = '';
    shell.stdout.on('data', (c: Buffer) => (out += c));
    await new Promise((resolve) => shell.on('close', resolve));
    const sampled = sampler.stop()!;
    const used = Number(readFileSync(report, 'utf8')); // what the busy child says it used
    rmSync(dirname(report), { recursive: true });
    expect(used).toBeGreaterThan(0.3);
    // Its CPU (sampled at 10 Hz while it ran, and once more as a zombie) plus the two small shells and the watcher.
    expect(sampled).toBeGreaterThanOrEqual(used - 0.05);
    expect(sampled).toBeLessThan(used + 0.6);
    const [, children] = out.trim().split('\n');
    expect(Number(/^0m([\d.]+)s/.exec(children!)![1])).toBeLessThan(0.5); // what `times` saw: not the busy child's
  });
});
