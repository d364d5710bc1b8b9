/**
 * `npm start`'s view of the product metrics: the handlers' EMF flushes (amplify/chat/metrics.ts) are tapped
 * in-process and summed, and every few seconds with activity one line goes to the terminal, e.g.
 * `metrics 5s: 12 stored · 48 delivered · 1 gone · 0 failed · ack p99 23 ms · fan-out p99 41 ms · +3/-1 sockets · 0 refused · 0 rate-limited`.
 * Local only: deployed code never imports this file.
 */
import { CHAT_METRICS, tapMetrics, type ChatMetric, type EmfDocument } from '../chat/metrics';

/** How often the summary line is printed (only when something happened). */
export const SUMMARY_INTERVAL_MS = 5000;

/** Sums of counts and samples of timings since the last line. */
export class MetricsWindow {
  private counts = new Map<ChatMetric, number>();
  private timings = new Map<ChatMetric, number[]>();

  /** Adds one EMF document (values are a number or an array of numbers). */
  add(emf: EmfDocument): void {
    for (const name of Object.keys(CHAT_METRICS) as ChatMetric[]) {
      const raw = emf[name];
      if (raw === undefined) continue;
      const values = [raw].flat().filter((v): v is number => typeof v === 'number');
      if (CHAT_METRICS[name].unit === 'Milliseconds') this.timings.set(name, [...(this.timings.get(name) ?? []), ...values]);
      else this.counts.set(name, (this.counts.get(name) ?? 0) + values.reduce((a, b) => a + b, 0));
    }
  }

  /** The summary line of this window and a fresh window; undefined when nothing happened. */
  take(seconds: number): string | undefined {
    if (this.counts.size === 0 && this.timings.size === 0) return undefined;
    const c = (name: ChatMetric) => this.counts.get(name) ?? 0;
    const p99 = (name: ChatMetric) => {
      const sorted = [...(this.timings.get(name) ?? [])].sort((a, b) => a - b);
      return sorted.length ? `${sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]} ms` : '–';
    };
    const parts = [
      `${c('MessagesStored')} stored`,
      `${c('Deliveries')} delivered`,
      `${c('GoneConnections')} gone`,
      `${c('FailedPosts')} failed`,
      `ack p99 ${p99('AckLatency')}`,
      `fan-out p99 ${p99('FanOutDuration')}`,
      `+${c('ConnectionsOpened')}/-${c('ConnectionsClosed')} sockets`,
      `${c('RefusedTickets')} refused`,
      `${c('RateLimitedSends')} rate-limited`,
    ];
    if (c('QueueShards')) parts.push(`${c('QueueShards')} shards`);
    if (c('ErrorsAnswered')) parts.push(`${c('ErrorsAnswered')} errors (${c('InternalErrors')} internal)`);
    this.counts = new Map();
    this.timings = new Map();
    return `metrics ${seconds}s: ${parts.join(' · ')}`;
  }
}

/** Taps the handlers' metrics and prints a line every `intervalMs` with activity; returns a stop function. */
export function startMetricsSummary(print: (line: string) => void, intervalMs = SUMMARY_INTERVAL_MS): () => void {
  const window = new MetricsWindow();
  tapMetrics((emf) => window.add(emf));
  const timer = setInterval(() => {
    const line = window.take(Math.round(intervalMs / 1000));
    if (line) print(line);
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    tapMetrics(undefined);
  };
}
