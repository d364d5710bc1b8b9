/**
 * count/timing/flushMetrics on the real Powertools Metrics instance, through the local tap: what a count or a
 * duration records, that nothing is handed over (or printed) when nothing was recorded, and that a tap replaces
 * stdout. metrics.test.ts covers the handlers' real EMF output.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { count, flushMetrics, tapMetrics, timing, type EmfDocument } from './metrics';

let docs: EmfDocument[] = [];
let printed: string[] = [];
beforeEach(() => {
  docs = [];
  printed = [];
  tapMetrics((emf) => docs.push(emf));
  // Powertools prints EMF with console.log in Lambda; with a tap nothing must reach stdout.
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  tapMetrics(() => {}); // the fixture's no-op tap: later files of this worker share the module
});

describe('recording and flushing metrics', () => {
  it('a timing records the rounded, never negative, duration', () => {
    timing('AckLatency', 12.4);
    flushMetrics();
    timing('AckLatency', 7.6);
    flushMetrics();
    timing('AckLatency', -5);
    flushMetrics();
    expect(docs.map((d) => d.AckLatency)).toEqual([12, 8, 0]);
    expect(printed.filter((p) => p.includes('_aws'))).toEqual([]);
  });

  it('a count of 0 records nothing, so nothing is handed over; a count of 2 records 2', () => {
    count('MessagesStored', 0);
    flushMetrics();
    expect(docs).toEqual([]);
    count('MessagesStored', 2);
    flushMetrics();
    expect(docs).toHaveLength(1);
    expect(docs[0]!.MessagesStored).toBe(2);
    // Flushed means cleared: a second flush hands over nothing.
    flushMetrics();
    expect(docs).toHaveLength(1);
  });

  it('without a tap (as deployed) the document is printed as one EMF line', () => {
    tapMetrics(undefined);
    count('MessagesStored');
    flushMetrics();
    expect(docs).toEqual([]);
    const emf = printed.filter((p) => p.includes('"_aws"')).map((p) => JSON.parse(p) as Record<string, unknown>);
    expect(emf).toHaveLength(1);
    expect(emf[0]!.MessagesStored).toBe(1);
  });
});
