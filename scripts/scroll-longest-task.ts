/**
 * Measurement, not a test: seeds a room with 10,000 messages on the local stack, loads them all in Chromium,
 * then scrolls the whole timeline from the oldest to the newest message, a few hundred pixels per frame, and
 * reports the longest main-thread task seen during that scroll (from a Chrome trace), how many tasks took
 * over 50 ms (the goal: none), and the most message rows that were in the DOM. Each task's CPU (thread) time is
 * reported too: on a loaded machine a task is often long on the clock only because its thread waited for a core.
 *
 *   npm run build && npx tsx scripts/scroll-longest-task.ts [messages=10000] [pixelsPerFrame=400]
 *
 * SCROLL_TRACE=<file> also writes the trace with V8's sampling profiler, to find what the long tasks do
 * (open it in Chrome DevTools' Performance panel).
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { expectChatOpen, newUser, signUpThroughUi } from '../e2e/fixtures';
import { seedMessages } from '../e2e/seed-messages';
import { createPublicRoom, loadAll, loadedCount, newPage, scroller, startSeededStack } from './seeded-stack';

const COUNT = Number(process.argv[2] ?? 10_000);
const STEP = Number(process.argv[3] ?? 400);
/** The goal for a responsive page (RAIL): no task over 50 ms. */
const LONG_TASK_MS = 50;

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time: on a loaded machine a task can take long on the clock while the thread waits for a core. */
  tdur?: number;
  args?: { name?: string };
}

/** Where the scroll began (a user-timing mark), so the tracer's own start-up work is not counted. */
const SCROLL_MARK = 'scroll-start';

/** Every top-level task on a renderer main thread after the scroll began: clock and CPU time, in ms. */
function mainThreadTasks(trace: Buffer): { ms: number; cpuMs: number }[] {
  const { traceEvents } = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] };
  const main = new Set(traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const from = Math.min(...traceEvents.filter((e) => e.name === SCROLL_MARK).map((e) => e.ts));
  if (!Number.isFinite(from)) throw new Error(`no "${SCROLL_MARK}" mark in the trace`);
  return traceEvents
    .filter((e) => e.ph === 'X' && e.name === 'RunTask' && main.has(`${e.pid}:${e.tid}`) && e.ts >= from)
    .map((e) => ({ ms: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? e.dur ?? 0) / 1000 }));
}

async function main() {
  const stack = await startSeededStack();
  try {
    const page = await newPage(stack.browser, { viewport: { width: 1280, height: 800 } });
    await signUpThroughUi(page, newUser('Measure'));
    const roomId = await createPublicRoom(page, `measure-${Date.now().toString(36)}`);
    const start = Date.now() - (COUNT + 10) * 60_000;
    const seedStart = Date.now();
    await seedMessages({
      roomId,
      count: COUNT,
      message: (i) => ({
        author: i % 7 < 3 ? { userId: 'seed-ada', displayName: 'Ada Lovelace' } : { userId: 'seed-bob', displayName: 'Bob Kahn' },
        at: start + i * 60_000,
        body: i % 10 === 0 ? `message ${i}: a longer one that wraps onto a second line on a narrow screen, so rows differ in height` : `message ${i}`,
      }),
    });
    console.log(`seeded ${COUNT} messages in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    await page.reload();
    await expectChatOpen(page);
    await scroller(page).waitFor();
    const loadStart = Date.now();
    let most = 0;
    const countRows = async () => void (most = Math.max(most, await page.locator('[data-testid="message"]').count()));
    await loadAll(page, COUNT, countRows);
    console.log(`loaded ${await loadedCount(page)} messages in ${((Date.now() - loadStart) / 1000).toFixed(1)} s`);
    await scroller(page).evaluate((el) => el.scrollTo({ top: 0 }));
    await page.waitForTimeout(500);

    const traceFile = process.env.SCROLL_TRACE;
    const profiler = traceFile ? ['disabled-by-default-v8.cpu_profiler', 'v8.execute'] : [];
    await stack.browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', ...profiler] });
    // No helper functions inside: tsx would wrap them in a __name() call the page does not have.
    const scroll = await scroller(page).evaluate(async (el, { step, mark }) => {
      performance.mark(mark);
      const begin = performance.now();
      let frames = 0;
      let most = el.querySelectorAll('[data-testid="message"]').length;
      // Until the bottom stays the bottom (Virtuoso may adjust the height as rows are measured).
      for (let still = 0; still < 5; ) {
        const before = el.scrollTop;
        el.scrollTop = before + step;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        frames++;
        most = Math.max(most, el.querySelectorAll('[data-testid="message"]').length);
        still = el.scrollTop === before ? still + 1 : 0;
      }
      return { ms: performance.now() - begin, frames, most, height: el.scrollHeight };
    }, { step: STEP, mark: SCROLL_MARK });
    const trace = await stack.browser.stopTracing();
    if (traceFile) writeFileSync(traceFile, trace);
    const tasks = mainThreadTasks(trace);
    most = Math.max(most, scroll.most);
    const longest = tasks.reduce((a, t) => (t.ms > a.ms ? t : a), { ms: 0, cpuMs: 0 });
    const busiest = Math.max(0, ...tasks.map((t) => t.cpuMs));
    const over = tasks.filter((t) => t.ms > LONG_TASK_MS).length;
    const overCpu = tasks.filter((t) => t.cpuMs > LONG_TASK_MS).length;
    const sorted = tasks.map((t) => t.ms).sort((a, b) => a - b);
    const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
    const cpuTotal = tasks.reduce((sum, t) => sum + t.cpuMs, 0);
    console.log(
      [
        `scrolled ${scroll.height} px through ${COUNT} messages in ${scroll.frames} frames (${STEP} px/frame, ${(scroll.ms / 1000).toFixed(1)} s)`,
        `longest main-thread task: ${longest.ms.toFixed(1)} ms (of which ${longest.cpuMs.toFixed(1)} ms on the CPU; goal: none over ${LONG_TASK_MS} ms)`,
        `tasks over ${LONG_TASK_MS} ms: ${over} of ${tasks.length}; p99 task ${p99.toFixed(1)} ms`,
        `most CPU time in one task: ${busiest.toFixed(1)} ms; tasks over ${LONG_TASK_MS} ms of CPU: ${overCpu}; main-thread CPU per frame: ${(cpuTotal / scroll.frames).toFixed(1)} ms`,
        `most message rows in the DOM: ${most}`,
        `load average: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
      ].join('\n'),
    );
  } finally {
    await stack.close();
  }
  process.exit(0); // Imported handler modules leave timers behind.
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
