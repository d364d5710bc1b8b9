/**
 * Hands shards to the fan-out queue (SQS). Its own module so that only the queue senders (ws-message, store-message,
 * ws-disconnect: their handlers call `useShardQueue(enqueueShards)`) bundle the SQS client; every other function that
 * broadcasts posts directly.
 */
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { FANOUT_QUEUE_URL_ENV, type Shard } from './fanout-shards';

/** SendMessageBatch's entry limit. */
const SQS_BATCH_MAX = 10;

let sqs: SQSClient | undefined;

/** Sends `shards` to the fan-out queue, 10 per call, re-sending entries SQS reports as failed (with backoff). */
export async function enqueueShards(shards: readonly Shard[]): Promise<number> {
  const queueUrl = process.env[FANOUT_QUEUE_URL_ENV];
  if (!queueUrl) throw new Error(`${FANOUT_QUEUE_URL_ENV} is not set`);
  sqs ??= new SQSClient({});
  const batches: Shard[][] = [];
  for (let i = 0; i < shards.length; i += SQS_BATCH_MAX) batches.push(shards.slice(i, i + SQS_BATCH_MAX));
  // Batches in parallel: the worker pool starts on the first shard while the last batch is still in flight.
  await Promise.all(
    batches.map(async (batch) => {
      let entries = batch.map((shard, i) => ({ Id: String(i), MessageBody: JSON.stringify(shard) }));
      for (let attempt = 0; entries.length; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        if (attempt > 4) throw new Error(`fan-out queue refused ${entries.length} shards`);
        const { Failed } = await sqs!.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
        const failed = new Set((Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
      }
    }),
  );
  return shards.length;
}
