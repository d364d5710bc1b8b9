/**
 * A local stand-in for the SQS fan-out queue and its Lambda event source mapping, in the same style as the emulated
 * API Gateway: the real SQS client talks to it over HTTP (AWS JSON 1.0: SendMessage, SendMessageBatch), and it
 * invokes the very same fan-out worker handler with SQS-shaped events — batches of up to `batchSize` records, at most
 * `concurrency` invocations at once, `batchItemFailures` made visible again after `visibilityTimeoutMs`, and a
 * record received `maxReceiveCount` times moved to an in-memory dead-letter list. Standard-queue semantics: no order.
 * Local-only; deployed code never imports it.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { readBody } from './gateway/http-io';

/** SQS's message size limit. */
const MESSAGE_MAX_BYTES = 256 * 1024;

interface Held {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
  visibleAt: number;
}

export interface LocalQueueOptions {
  /** Queue URL handed to the senders (FANOUT_QUEUE_URL). */
  readonly url: string;
  /** Runs the worker handler (through the gateway's invoker, so stop() can wait for it). */
  readonly invoke: (event: SQSEvent) => Promise<SQSBatchResponse | void>;
  readonly batchSize?: number;
  readonly concurrency?: number;
  readonly visibilityTimeoutMs?: number;
  readonly maxReceiveCount?: number;
  readonly log?: (line: string) => void;
}

/** The emulated queue. */
export class LocalQueue {
  private readonly ready: Held[] = [];
  private readonly waiting = new Set<Held>();
  private readonly dead: Held[] = [];
  private running = 0;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly visibilityTimeoutMs: number;
  private readonly maxReceiveCount: number;

  constructor(private readonly opts: LocalQueueOptions) {
    this.batchSize = opts.batchSize ?? 5;
    this.concurrency = opts.concurrency ?? 4;
    this.visibilityTimeoutMs = opts.visibilityTimeoutMs ?? 2_000;
    this.maxReceiveCount = opts.maxReceiveCount ?? 3;
  }

  /** True for a request meant for this queue (the SQS client marks every call with its target). */
  static claims(req: IncomingMessage): boolean {
    return String(req.headers['x-amz-target'] ?? '').startsWith('AmazonSQS.');
  }

  /** Serves one SQS API call. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const op = String(req.headers['x-amz-target']).slice('AmazonSQS.'.length);
    const input = JSON.parse((await readBody(req, 11 * MESSAGE_MAX_BYTES)).toString('utf8') || '{}') as {
      QueueUrl?: string;
      MessageBody?: string;
      Entries?: { Id: string; MessageBody: string }[];
    };
    if (input.QueueUrl !== this.opts.url) return this.error(res, 'QueueDoesNotExist', 'The specified queue does not exist.');
    if (op === 'SendMessage') {
      if (Buffer.byteLength(input.MessageBody ?? '') > MESSAGE_MAX_BYTES) return this.error(res, 'InvalidParameterValue', 'Message too long');
      return this.reply(res, this.accept(input.MessageBody ?? ''));
    }
    if (op === 'SendMessageBatch') {
      const entries = input.Entries ?? [];
      if (entries.length === 0 || entries.length > 10) return this.error(res, 'TooManyEntriesInBatchRequest', 'Between 1 and 10 entries');
      const Successful = entries.map((e) => ({ Id: e.Id, ...this.accept(e.MessageBody) }));
      return this.reply(res, { Successful, Failed: [] });
    }
    return this.error(res, 'UnsupportedOperation', `${op} is not emulated`);
  }

  /** Records moved to the dead-letter list (bodies). */
  deadLetters(): string[] {
    return this.dead.map((m) => m.body);
  }

  /** Resolves once nothing is queued, waiting or being processed. */
  async idle(): Promise<void> {
    while (this.ready.length || this.waiting.size || this.running) await new Promise((r) => setTimeout(r, 10));
  }

  /** Stops delivering (messages still queued are dropped, as a deleted stack's queue would be). */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.waiting.clear();
    this.ready.length = 0;
  }

  private accept(body: string): { MessageId: string; MD5OfMessageBody: string } {
    const held: Held = { messageId: randomUUID(), body, sentAt: Date.now(), receiveCount: 0, visibleAt: 0 };
    this.ready.push(held);
    queueMicrotask(() => this.pump());
    return { MessageId: held.messageId, MD5OfMessageBody: createHash('md5').update(body).digest('hex') };
  }

  private pump(): void {
    while (!this.stopped && this.running < this.concurrency && this.ready.length) {
      const batch = this.ready.splice(0, this.batchSize);
      for (const m of batch) m.receiveCount++;
      this.running++;
      void this.deliver(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async deliver(batch: Held[]): Promise<void> {
    let failed: Set<string>;
    try {
      const answer = await this.opts.invoke({ Records: batch.map((m) => this.record(m)) });
      failed = new Set((answer?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((m) => m.messageId)); // a thrown invocation fails the whole batch
    }
    for (const m of batch.filter((x) => failed.has(x.messageId))) {
      if (m.receiveCount >= this.maxReceiveCount) {
        this.dead.push(m);
        this.opts.log?.(`fan-out queue: message ${m.messageId} moved to the dead-letter queue after ${m.receiveCount} receives`);
        continue;
      }
      this.waiting.add(m);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.waiting.delete(m);
        this.ready.push(m);
        this.pump();
      }, this.visibilityTimeoutMs);
      this.timers.add(timer);
    }
  }

  private record(m: Held): SQSRecord {
    return {
      messageId: m.messageId,
      receiptHandle: `${m.messageId}#${m.receiveCount}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(m.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:local-fanout',
      awsRegion: 'us-east-1',
    };
  }

  private reply(res: ServerResponse, body: unknown): void {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
  }

  private error(res: ServerResponse, code: string, message: string): void {
    res
      .writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `AWS.SimpleQueueService.${code};Sender` })
      .end(JSON.stringify({ __type: `com.amazonaws.sqs#${code}`, message }));
  }
}
