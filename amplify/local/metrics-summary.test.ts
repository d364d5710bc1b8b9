/** The local metrics line: counts summed, timings as p99, nothing printed for a quiet window. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { count, flushMetrics, timing } from '../chat/metrics';
import { MetricsWindow, startMetricsSummary } from './metrics-summary';

afterEach(() => vi.useRealTimers());

describe('local metrics summary', () => {
  it('sums counts and reports p99 of timings, then starts a fresh window', () => {
    const w = new MetricsWindow();
    w.add({ MessagesStored: 2, Deliveries: [3, 4], AckLatency: [10, 30], GoneConnections: 1 });
    w.add({ MessagesStored: 1, RefusedTickets: 1, FanOutDuration: 7 });
    expect(w.take(5)).toBe(
      'metrics 5s: 3 stored · 7 delivered · 1 gone · 0 failed · ack p99 30 ms · fan-out p99 7 ms · +0/-0 sockets · 1 refused · 0 rate-limited',
    );
    expect(w.take(5)).toBeUndefined();
  });

  it('receives what the handlers flush (instead of printing EMF) and prints one line per busy interval', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const stop = startMetricsSummary((l) => lines.push(l), 1000);
    vi.advanceTimersByTime(1000);
    expect(lines).toEqual([]); // quiet: nothing printed
    count('ConnectionsOpened');
    timing('AckLatency', 12);
    flushMetrics();
    vi.advanceTimersByTime(1000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('+1/-0 sockets');
    expect(lines[0]).toContain('ack p99 12 ms');
    stop();
  });
});
