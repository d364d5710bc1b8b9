/**
 * fast-check settings shared by the fuzz tests. A counterexample can be a 128 KB frame, which would bury
 * the reason for a failure: the report keeps the seed, the path and the cause, and cuts long lines short.
 */
import fc from 'fast-check';

const MAX_LINE = 400;

/** Cuts every line longer than MAX_LINE, saying how long it was. */
export function shortenReport(report: string): string {
  return report
    .split('\n')
    .map((line) => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}… (${line.length} characters)` : line))
    .join('\n');
}

/** `fc.assert` options: `numRuns` cases, and a failure report that stays readable. */
export function fuzzOptions<T>(numRuns: number): fc.Parameters<T> {
  const readableReport: fc.Plugin<T> = () => ({
    onAllRunsComplete: (details) => {
      if (details.failed) throw new Error(shortenReport(fc.defaultReportMessage(details) ?? 'property failed'));
    },
  });
  // The cause goes into the (shortened) report itself, so the reason is next to the seed.
  return { numRuns, includeErrorInReport: true, plugins: [readableReport] };
}
