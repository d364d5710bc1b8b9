/**
 * Cost per million messages from the request counts MEASURED in the bench run and AWS list prices (us-east-1, on
 * the date below; check the pricing pages before relying on them). Lambda duration is not measurable here: it is
 * taken from the AWS model's fan-out times (stated as such in the output).
 */
import type { Counts } from './counters';
import { FANOUT_SHARD_SIZE } from '../amplify/chat/fanout-shards';

/** AWS list prices, us-east-1. */
export const PRICES = {
  date: '2025-12 (us-east-1 list prices as published then; DynamoDB on-demand after the Nov 2024 cut)',
  /** API Gateway WebSocket: per million messages (first billion a month; each 32 KB counts as one). */
  webSocketMessagePerMillion: 1.0,
  /** Lambda: per million requests, and per GB-second on arm64. */
  lambdaRequestPerMillion: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  /** DynamoDB on-demand: per million write / read request units. */
  dynamoWruPerMillion: 0.625,
  dynamoRruPerMillion: 0.125,
  /** SQS standard: per million requests (each 64 KB of payload is one). */
  sqsRequestPerMillion: 0.4,
} as const;

/** Subscription row size for Query RRU (bytes; roomId, connectionId, userId, displayName, expiresAt). */
const SUBSCRIPTION_ROW_BYTES = 150;

/** Dollars per million messages for one room size, by service. */
export interface CostRow {
  readonly roomSize: number;
  readonly webSocket: number;
  readonly dynamo: number;
  readonly lambda: number;
  readonly sqs: number;
  readonly total: number;
}

/**
 * Per million messages into a room of `roomSize` given the measured per-message counts. `senderSeconds` and
 * `workerSeconds` are Lambda busy time per message (from the model); memory 0.5 GB sender, 1.769 GB worker.
 */
export function costPerMillion(roomSize: number, perMessage: Counts, senderSeconds: number, workerSeconds: number): CostRow {
  const d = perMessage.dynamo;
  // Reads: consistent GetItem = 1 RRU (items < 4 KB); the send's BatchGet reads 2 items; the Query reads the room's
  // subscription rows, eventually consistent (0.5 RRU per 4 KB).
  const rru = (d.GetItem ?? 0) + 2 * (d.BatchGetItem ?? 0) + (d.Query ?? 0) * Math.max(0.5, Math.ceil((roomSize * SUBSCRIPTION_ROW_BYTES) / 4096) * 0.5);
  const wru = (d.PutItem ?? 0) + (d.UpdateItem ?? 0) + (d.DeleteItem ?? 0) + (d.BatchWriteItem ?? 0);
  const sends = Object.values(perMessage.sqs).reduce((a, b) => a + b, 0);
  // Each SendMessageBatch is received and deleted once by the event source (one ReceiveMessage + one DeleteMessageBatch per worker batch).
  const sqsRequests = sends * 3;
  const workerInvocations = sends > 0 ? Math.ceil(Math.ceil(roomSize / FANOUT_SHARD_SIZE) / 5) : 0;
  const m = 1; // per message; × 1e6 messages / 1e6 per-million price = the price itself
  const webSocket = (1 + perMessage.posts) * PRICES.webSocketMessagePerMillion * m;
  const dynamo = wru * PRICES.dynamoWruPerMillion + rru * PRICES.dynamoRruPerMillion;
  const lambda =
    (1 + workerInvocations) * PRICES.lambdaRequestPerMillion + (senderSeconds * 0.5 + workerSeconds * 1.769) * PRICES.lambdaArmGbSecond * 1e6;
  const sqs = sqsRequests * PRICES.sqsRequestPerMillion;
  const r = (x: number) => Math.round(x * 100) / 100;
  return { roomSize, webSocket: r(webSocket), dynamo: r(dynamo), lambda: r(lambda), sqs: r(sqs), total: r(webSocket + dynamo + lambda + sqs) };
}
