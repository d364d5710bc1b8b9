/**
 * Counts the requests the handlers make, at the wire: every outgoing `http.request` in this process is seen
 * through Node's `http.client.request.start` diagnostics channel (the AWS SDK's Node handler uses it). So
 * DynamoDB calls (by `X-Amz-Target`), `@connections` posts (and their bytes) and SQS calls are counted, not
 * estimated, and no product code is touched. The bench's own HTTP calls (tickets, joins) use `fetch`
 * (undici), which this channel does not see.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/** A snapshot of request counts. */
export interface Counts {
  /** DynamoDB calls by operation (GetItem, Query, ...). */
  readonly dynamo: Record<string, number>;
  readonly dynamoTotal: number;
  /** PostToConnection calls and their payload bytes. */
  readonly posts: number;
  readonly postBytes: number;
  /** Other @connections calls (GET / DELETE). */
  readonly connectionsOther: number;
  /** SQS calls by operation. */
  readonly sqs: Record<string, number>;
}

const CHANNEL = 'http.client.request.start';

/** A running counter; `snapshot()` and `since()` read it, `stop()` detaches it. */
export class RequestCounter {
  private readonly dynamo = new Map<string, number>();
  private readonly sqs = new Map<string, number>();
  private posts = 0;
  private postBytes = 0;
  private other = 0;
  private readonly listener = (message: unknown) => this.observe((message as { request: ClientRequest }).request);

  constructor() {
    subscribe(CHANNEL, this.listener);
  }

  private observe(request: ClientRequest): void {
    const target = request.getHeader('x-amz-target');
    if (typeof target === 'string') {
      const [service, op = target] = target.split('.');
      const map = service?.startsWith('DynamoDB') ? this.dynamo : service?.startsWith('AmazonSQS') ? this.sqs : undefined;
      if (map) map.set(op, (map.get(op) ?? 0) + 1);
      return;
    }
    if (request.path.includes('/@connections/')) {
      if (request.method === 'POST') {
        this.posts++;
        this.postBytes += Number(request.getHeader('content-length') ?? 0);
      } else this.other++;
    }
  }

  /** Counts so far. */
  snapshot(): Counts {
    const dynamo = Object.fromEntries(this.dynamo);
    return {
      dynamo,
      dynamoTotal: Object.values(dynamo).reduce((a, b) => a + b, 0),
      posts: this.posts,
      postBytes: this.postBytes,
      connectionsOther: this.other,
      sqs: Object.fromEntries(this.sqs),
    };
  }

  stop(): void {
    unsubscribe(CHANNEL, this.listener);
  }
}

/** `after - before`, field by field. */
export function diff(after: Counts, before: Counts): Counts {
  const sub = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)]).filter(([, v]) => v !== 0));
  return {
    dynamo: sub(after.dynamo, before.dynamo),
    dynamoTotal: after.dynamoTotal - before.dynamoTotal,
    posts: after.posts - before.posts,
    postBytes: after.postBytes - before.postBytes,
    connectionsOther: after.connectionsOther - before.connectionsOther,
    sqs: sub(after.sqs, before.sqs),
  };
}

/** Each count divided by `n` (per message, per join). */
export function per(counts: Counts, n: number): Counts {
  const div = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v / n)]));
  return {
    dynamo: div(counts.dynamo),
    dynamoTotal: round(counts.dynamoTotal / n),
    posts: round(counts.posts / n),
    postBytes: round(counts.postBytes / n),
    connectionsOther: round(counts.connectionsOther / n),
    sqs: div(counts.sqs),
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
