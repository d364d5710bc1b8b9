/**
 * CPU of a whole process tree, sampled from /proc (Linux). bash's `times` counts only processes that were waited
 * for up the tree; Playwright starts Chromium detached (its own session), and Chromium's renderer and GPU processes
 * are reaped by Chromium, so `times` missed about half of e2e's CPU here (369 s counted, ~890 s used). Sampling
 * every process whose parent chain reaches the stage's root catches those; a process that lives less than one
 * sampling interval is missed, which `times` covers, so the caller takes the larger of the two.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU fields (USER_HZ: 100 on Linux builds). */
const TICKS_PER_SECOND = 100;

/** One process as /proc/<pid>/stat describes it: its parent, when it started, and the CPU it used itself (ticks). */
export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** Start time in ticks since boot: with the pid, names one process even if its pid is reused. */
  readonly start: number;
  readonly ticks: number;
}

/** Parses one /proc/<pid>/stat line (the command name may hold spaces and parentheses); undefined if malformed. */
export function parseStat(line: string): ProcStat | undefined {
  const close = line.lastIndexOf(')');
  const pid = Number.parseInt(line, 10);
  if (close < 0 || !Number.isInteger(pid)) return undefined;
  // After the name: state, ppid, …, utime (12th), stime (13th), cutime, cstime, priority, nice, threads, itrealvalue,
  // starttime (20th). cutime/cstime are left out: waited-for children are counted as processes of their own.
  const fields = line.slice(close + 2).split(' ');
  const [ppid, utime, stime, start] = [Number(fields[1]), Number(fields[11]), Number(fields[12]), Number(fields[19])];
  if (![ppid, utime, stime, start].every(Number.isInteger)) return undefined;
  return { pid, ppid, start, ticks: utime + stime };
}

/** The processes among `all` whose parent chain reaches `root` (root included). */
export function treeOf(all: readonly ProcStat[], root: number): ProcStat[] {
  const parent = new Map(all.map((p) => [p.pid, p.ppid]));
  const inTree = new Map<number, boolean>([[root, true]]);
  const check = (pid: number): boolean => {
    const known = inTree.get(pid);
    if (known !== undefined) return known;
    inTree.set(pid, false); // guards against a malformed cycle while the chain is walked
    const ppid = parent.get(pid);
    const result = ppid !== undefined && ppid > 0 && check(ppid);
    inTree.set(pid, result);
    return result;
  };
  return all.filter((p) => check(p.pid));
}

function readProcs(): ProcStat[] {
  const procs: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (stat) procs.push(stat);
    } catch {
      // ended between the listing and the read
    }
  }
  return procs;
}

/**
 * Samples the tree under `root` every `intervalMs`; `stop()` takes a last sample and returns the CPU seconds its
 * processes used since the first sample (each process's own time, at its last sighting). Undefined without /proc.
 */
export function sampleTreeCpu(root: number, intervalMs = 1_000): { stop: () => number | undefined } {
  let available = true;
  const seen = new Map<string, number>();
  const sample = () => {
    try {
      for (const p of treeOf(readProcs(), root)) seen.set(`${p.pid}@${p.start}`, p.ticks);
    } catch {
      available = false;
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop: () => {
      sample();
      clearInterval(timer);
      if (!available) return undefined;
      return [...seen.values()].reduce((sum, t) => sum + t, 0) / TICKS_PER_SECOND;
    },
  };
}
