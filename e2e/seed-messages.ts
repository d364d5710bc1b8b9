/**
 * Test-only: writes messages straight into the local DynamoDB (the e2e stack's dynalite), bypassing the
 * socket and its per-user rate limit, so a room can hold thousands of messages in seconds. Items are built
 * by the domain core's own newMessage/toItem/mentionItems, so they are exactly what a real send stores.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { newMessage, toItem } from '../amplify/chat/messages';
import { MENTIONS_TABLE, MESSAGES_TABLE } from '../amplify/chat/tables';
import { mentionItems } from '../amplify/chat/mentions';
import { LOCAL_AWS_ENV } from '../amplify/local/dynamo';
import type { ChatMessage, ReplyQuote } from '../lib/protocol';

/** DynamoDB's BatchWriteItem maximum. */
const BATCH = 25;
/** Batches in flight at once. */
const PARALLEL = 8;

export interface SeedAuthor {
  userId: string;
  displayName: string;
}

export interface SeedSpec {
  roomId: string;
  /** Who wrote message i at what time (ms) with which body. */
  count: number;
  message: (i: number) => { author: SeedAuthor; at: number; body: string; replyTo?: ReplyQuote };
}

function client(): DynamoDBDocumentClient {
  const endpoint = process.env.E2E_DYNAMO_ENDPOINT;
  if (!endpoint) throw new Error('E2E_DYNAMO_ENDPOINT is not set: run through `npx playwright test` (global setup starts the stack)');
  const base = new DynamoDBClient({
    endpoint,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
  return DynamoDBDocumentClient.from(base);
}

/** Writes `count` messages (oldest first by `at`) and returns them as clients will see them. */
export async function seedMessages({ roomId, count, message }: SeedSpec): Promise<ChatMessage[]> {
  const db = client();
  // Ids from this seeding's own monotonic factory: newMessage's is shared by the whole worker and never goes back in
  // time, so after a test that seeded recent messages, a room seeded hours back got ids all in that one recent
  // millisecond — and a gap fill's 30 s overlap (by id time) then read back the whole room.
  const idAt = monotonicFactory();
  const messages = Array.from({ length: count }, (_, i) => {
    const { author, at, body, replyTo } = message(i);
    const m = newMessage({ roomId, author: { userId: author.userId, displayName: author.displayName }, body, ...(replyTo ? { replyTo } : {}) }, at);
    return { ...m, messageId: idAt(at) };
  });
  // Each message and its mention index items, as a send stores them (amplify/chat/mentions.ts).
  const writes = messages.flatMap((m) => [
    { table: MESSAGES_TABLE.id, item: toItem(m) as Record<string, unknown> },
    ...mentionItems(m.roomId, m.messageId, m.authorId, m.mentions).map((item) => ({ table: MENTIONS_TABLE.id, item })),
  ]);
  const batches: (typeof writes)[] = [];
  for (let i = 0; i < writes.length; i += BATCH) batches.push(writes.slice(i, i + BATCH));
  let next = 0;
  type Requests = Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>>;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      let requests: Requests | undefined = {};
      for (const { table, item } of batch) (requests[table] ??= []).push({ PutRequest: { Item: item } });
      while (requests && Object.keys(requests).length) {
        const out = await db.send(new BatchWriteCommand({ RequestItems: requests }));
        requests = out.UnprocessedItems as Requests | undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  db.destroy();
  return messages;
}
