/**
 * Sharded fan-out end to end on the local stack: with the threshold lowered for this file, a message to a room
 * goes from the sender through the emulated SQS queue to the real fan-out worker, and every socket receives it
 * exactly once; a malformed queue message ends in the dead-letter list after the queue's receive limit.
 */
import { startTestStack, testUser, type TestSocket, type TestStack } from '../local/testing';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestCounter } from '../../bench/counters';
import { FANOUT_QUEUE_URL_ENV, FANOUT_SHARD_THRESHOLD_ENV } from './fanout-shards';

process.env[FANOUT_SHARD_THRESHOLD_ENV] = '2';
process.env.FANOUT_SHARD_SIZE = '2';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.stop();
  delete process.env[FANOUT_SHARD_THRESHOLD_ENV];
  delete process.env.FANOUT_SHARD_SIZE;
});

describe('sharded fan-out', () => {
  it('delivers through the queue and the worker to every socket, once', async () => {
    const owner = testUser('owner');
    const room = await stack.publicRoom(owner, 'big-room');
    const sockets: TestSocket[] = [await stack.connect(owner, room)];
    for (let i = 0; i < 4; i++) sockets.push(await stack.connect(testUser(`u${i}`), room));
    const counter = new RequestCounter();
    try {
      sockets[0]!.send({ action: 'sendMessage', roomId: room, body: 'to everyone', clientMessageId: 'sharded-1' });
      for (const s of sockets) expect((await s.next((f) => f.type === 'message')).type).toBe('message');
      for (const s of sockets) await s.settle();
      for (const s of sockets) expect(s.pending().filter((f) => f.type === 'message')).toEqual([]);
      // 5 recipients in shards of 2: three shards, one SendMessageBatch call.
      expect(counter.snapshot().sqs).toEqual({ SendMessageBatch: 1 });
    } finally {
      counter.stop();
      for (const s of sockets) await s.close();
    }
  });

  it('moves a record the worker cannot process to the dead-letter list after 3 receives', async () => {
    const sqs = new SQSClient({ endpoint: stack.gateway.httpUrl, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    await sqs.send(new SendMessageCommand({ QueueUrl: process.env[FANOUT_QUEUE_URL_ENV], MessageBody: '{"not":"a shard"}' }));
    sqs.destroy();
    const deadline = Date.now() + 15_000;
    while (!stack.gateway.deadLetters().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(stack.gateway.deadLetters()).toEqual(['{"not":"a shard"}']);
  }, 20_000);
});
