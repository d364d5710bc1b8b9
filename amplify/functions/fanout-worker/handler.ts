/**
 * Fan-out worker: an SQS event source hands it batches of shards (see amplify/chat/fanout-shards.ts) and it posts
 * each to its connections. Partial batch failures: only a record that cannot be processed at all (a malformed
 * shard, an unexpected error) is reported back, so SQS redelivers that one alone and, after the queue's
 * maxReceiveCount, moves it to the dead-letter queue (which has an alarm).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseShard } from '../../chat/fanout-shards';
import { deliverShard } from '../../chat/fanout-worker';
import { count, timing, withMetrics } from '../../chat/metrics';

const processor = new BatchProcessor(EventType.SQS);

const record = async (item: SQSRecord) => {
  const started = Date.now();
  const outcome = await deliverShard(parseShard(item.body));
  count('ShardsDelivered');
  count('Deliveries', outcome.delivered);
  count('GoneConnections', outcome.gone);
  count('FailedPosts', outcome.failed);
  count('ShardsExpired', outcome.expired ? 1 : 0);
  timing('ShardDuration', Date.now() - started);
  return outcome;
};

export const handler = withMetrics(
  async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => processPartialResponse(event, record, processor, { context }),
);
