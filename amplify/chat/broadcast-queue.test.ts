/**
 * broadcast() as a queue sender, on the local stack (the emulated SQS queue and the real fan-out worker): a big page
 * is handed to the queue and counted as `queued` (every socket still gets the frame, once); when the queue refuses,
 * the sender posts the page itself. And a single post to a gone socket (not part of a broadcast) cleans it up.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestSocket, type TestStack, type TestUser } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../lib/protocol';
import { broadcast, postToConnection, useShardQueue } from './broadcast';
import { saveConnection } from './connections';
import { enqueueShards } from './fanout-enqueue';
import { FANOUT_QUEUE_URL_ENV, FANOUT_SHARD_THRESHOLD_ENV } from './fanout-shards';
import { addMembership } from './memberships';
import { putSubscriptions } from './subscriptions';
import { CONNECTIONS_TABLE, SUBSCRIPTIONS_TABLE } from './tables';

process.env[FANOUT_SHARD_THRESHOLD_ENV] = '2';
useShardQueue(enqueueShards);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
  delete process.env[FANOUT_SHARD_THRESHOLD_ENV];
});

const chatUser = (u: TestUser) => ({ userId: u.sub, displayName: u.preferred_username });
const typingFrame = (roomId: string, name: string): ServerFrame => ({ type: 'typing', roomId, user: { userId: 'u-ada', displayName: name } });

/** Three listeners in a new room (above the lowered shard threshold of 2). */
async function bigRoom(roomId: string): Promise<TestSocket[]> {
  await stack.publicRoom(testUser(`${roomId}-owner`), roomId);
  const sockets: TestSocket[] = [];
  for (const name of ['One', 'Two', 'Three']) sockets.push(await stack.connect(testUser(`${roomId}-${name}`), roomId));
  return sockets;
}

/** Each socket gets the typing frame named `name` exactly once. */
async function eachOnce(sockets: TestSocket[], name: string) {
  const mine = (f: ServerFrame) => f.type === 'typing' && f.user.displayName === name;
  for (const s of sockets) await s.next(mine);
  for (const s of sockets) await s.settle();
  for (const s of sockets) expect(s.pending().filter(mine)).toEqual([]);
}

describe('broadcast through the fan-out queue', () => {
  it('a big page goes to the queue and is counted as queued; every socket gets the frame once', async () => {
    const sockets = await bigRoom('queue-big');
    expect(await broadcast('queue-big', typingFrame('queue-big', 'Queued'))).toEqual({ delivered: 0, gone: 0, failed: 0, queued: 3 });
    await eachOnce(sockets, 'Queued');
    await Promise.all(sockets.map((s) => s.close()));
  });

  it('when the queue refuses, the sender posts the page itself', async () => {
    const sockets = await bigRoom('queue-down');
    const queueUrl = process.env[FANOUT_QUEUE_URL_ENV]!;
    process.env[FANOUT_QUEUE_URL_ENV] = `${queueUrl}-missing`;
    try {
      expect(await broadcast('queue-down', typingFrame('queue-down', 'Direct'))).toEqual({ delivered: 3, gone: 0, failed: 0 });
    } finally {
      process.env[FANOUT_QUEUE_URL_ENV] = queueUrl;
    }
    await eachOnce(sockets, 'Direct');
    await Promise.all(sockets.map((s) => s.close()));
  });
});

describe('a single post', () => {
  it("to a socket the gateway no longer knows: false, its rows go, and the room hears the person left", async () => {
    const [reader, ghost] = [testUser('PostReader'), testUser('PostGhost')];
    const roomId = await stack.publicRoom(reader, 'post-gone');
    const listener = await stack.connect(reader, roomId);
    await addMembership({ roomId, kind: 'public', user: chatUser(ghost), role: 'member' });
    await saveConnection('PostGhost000=', chatUser(ghost), Date.now() - 60_000);
    await putSubscriptions('PostGhost000=', chatUser(ghost), [roomId]);
    expect(await postToConnection('PostGhost000=', { type: 'pong' })).toBe(false);
    expect((await stack.scan(CONNECTIONS_TABLE.envVar)).some((r) => r.connectionId === 'PostGhost000=')).toBe(false);
    expect((await stack.scan(SUBSCRIPTIONS_TABLE.envVar)).some((r) => r.connectionId === 'PostGhost000=')).toBe(false);
    expect(await listener.next((f) => f.type === 'presenceDelta')).toEqual({ type: 'presenceDelta', roomId, joined: [], left: [chatUser(ghost)] });
    await listener.close();
  });
});
