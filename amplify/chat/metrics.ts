/**
 * The product's own metrics, in CloudWatch embedded metric format (Powertools Metrics): each handler invocation
 * prints one EMF line to stdout and CloudWatch Logs turns it into metrics, with no extra API call. CHAT_METRICS is
 * the ONE list of every metric and its meaning (the dashboard, the alarms, docs/operations.md and the local summary
 * read it). Dimensions are `service` and `deployment` only: never a room, user or connection id (cost and cardinality).
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** CloudWatch namespace of every product metric. */
export const METRICS_NAMESPACE = 'Chat';
/** Powertools' `service` dimension. */
export const METRICS_SERVICE = 'chat';
/** Env var naming the deployment (`<namespace>-<name>` from Amplify's context), set on every function by the monitoring stack. */
export const METRICS_DEPLOYMENT_ENV = 'CHAT_DEPLOYMENT';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** Every product metric: unit and meaning. */
export const CHAT_METRICS = {
  MessagesStored: { unit: MetricUnit.Count, meaning: 'Messages written to the Messages table (sendMessage frames and POST /messages; replays not counted).' },
  Deliveries: { unit: MetricUnit.Count, meaning: 'Frames posted to a socket through @connections (direct fan-out, fan-out worker, answers).' },
  GoneConnections: { unit: MetricUnit.Count, meaning: 'Posts answered 410 Gone: the socket had closed; its rows were removed.' },
  FailedPosts: { unit: MetricUnit.Count, meaning: 'Posts that failed for another reason (throttling after retries, 5xx): that socket missed the frame live and recovers on gap fill.' },
  FanOutDuration: { unit: MetricUnit.Milliseconds, meaning: 'Time to fan one message out to its room (direct path, or handing shards to the queue), per send.' },
  AckLatency: { unit: MetricUnit.Milliseconds, meaning: 'From API Gateway receiving a sendMessage frame to the ack being posted back to the sender.' },
  RateLimitedSends: { unit: MetricUnit.Count, meaning: 'Sends refused with RATE_LIMITED.' },
  RefusedTickets: { unit: MetricUnit.Count, meaning: 'WebSocket handshakes refused by the ticket authorizer (unknown, replayed or expired ticket). Refused JWTs never reach a Lambda: see the HTTP API 4xx metric.' },
  ConnectionsOpened: { unit: MetricUnit.Count, meaning: 'Sockets recorded by $connect.' },
  ConnectionsClosed: { unit: MetricUnit.Count, meaning: 'Sockets removed by $disconnect.' },
  MessagesEdited: { unit: MetricUnit.Count, meaning: 'Messages edited or deleted (the messages issue\'s edit/delete actions).' },
  ReactionsChanged: { unit: MetricUnit.Count, meaning: 'Reactions added or removed.' },
  QueueShards: { unit: MetricUnit.Count, meaning: 'Shards handed to the fan-out queue by senders (big rooms only).' },
  ShardsDelivered: { unit: MetricUnit.Count, meaning: 'Shards processed by the fan-out worker.' },
  ShardsExpired: { unit: MetricUnit.Count, meaning: 'Shards the worker dropped because they outlived their age bound (recipients recover on gap fill).' },
  ShardDuration: { unit: MetricUnit.Milliseconds, meaning: 'Time the fan-out worker spent on one shard, retries included.' },
  ErrorsAnswered: { unit: MetricUnit.Count, meaning: 'Typed errors sent to a person (error frames and HTTP error bodies), each with a reference id in the logs.' },
  InternalErrors: { unit: MetricUnit.Count, meaning: 'Errors answered as INTERNAL: a bug or a failing dependency, never the user\'s fault.' },
} as const satisfies Record<string, { unit: Unit; meaning: string }>;

/** A product metric's name. */
export type ChatMetric = keyof typeof CHAT_METRICS;

/** The process-wide Powertools Metrics instance (one invocation at a time in Lambda). */
export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: METRICS_SERVICE,
  defaultDimensions: { deployment: process.env[METRICS_DEPLOYMENT_ENV] || 'local' },
});

/** Adds `value` to a count metric. */
export function count(name: ChatMetric, value = 1): void {
  if (value > 0) metrics.addMetric(name, CHAT_METRICS[name].unit, value);
}

/** Records one duration (ms) of a timing metric. */
export function timing(name: ChatMetric, ms: number): void {
  metrics.addMetric(name, CHAT_METRICS[name].unit, Math.max(0, Math.round(ms)));
}

/** One flushed EMF document, as the local summary receives it. */
export type EmfDocument = Readonly<Record<string, unknown>>;
let tap: ((emf: EmfDocument) => void) | undefined;

/**
 * Local stack only (amplify/local/metrics-summary.ts): receive each flush instead of printing it, so the terminal
 * shows a summary rather than raw EMF. Deployed code never calls this.
 */
export function tapMetrics(listener: ((emf: EmfDocument) => void) | undefined): void {
  tap = listener;
}

/** Prints (or, locally, hands over) what this invocation recorded; nothing when it recorded nothing. */
export function flushMetrics(): void {
  if (!metrics.hasStoredMetrics()) return;
  if (!tap) {
    metrics.publishStoredMetrics();
    return;
  }
  const emf = metrics.serializeMetrics() as EmfDocument;
  metrics.clearMetrics();
  tap(emf);
}

/** Wraps a Lambda handler so its metrics are flushed when it returns or throws. */
export function withMetrics<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await fn(...args);
    } finally {
      flushMetrics();
    }
  };
}
