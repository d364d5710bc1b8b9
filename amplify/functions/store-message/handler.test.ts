/**
 * POST /rooms/{roomId}/messages through the local gateway, and the fan-out it shares with the socket
 * route: 410 cleanup of stale rows and skipping of expired ones, against the gateway's real `@connections`;
 * idempotent retries by clientMessageId and the per-user rate limit as HTTP clients see them.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromItem, type MessageItem } from '../../chat/message-items';
import { ErrorCode, LIMITS, Paths, httpErrorSchema, storeMessageResponseSchema } from '../../../lib/protocol';
import { broadcast } from '../../chat/broadcast';
import { CONNECT_GRACE_MS, saveConnection } from '../../chat/connections';
import { consumeSendAllowance } from '../../chat/rate-limit';
import { putSubscriptions } from '../../chat/subscriptions';
import { CONNECTIONS_TABLE, MESSAGES_TABLE, SUBSCRIPTIONS_TABLE } from '../../chat/tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** A room's stored rows, as clients see them (fromItem: reactions map → list, quote id → quote). */
const messagesIn = async (roomId: string) =>
  (await stack.scan(MESSAGES_TABLE.envVar)).filter((m) => m.roomId === roomId).map((m) => fromItem(m as MessageItem));
const connectionIds = async () => (await stack.scan(CONNECTIONS_TABLE.envVar)).map((row) => row.connectionId).sort();
const ghost = { userId: 'ghost', displayName: 'Ghost' };
const THREE_HOURS_MS = 3 * 60 * 60 * 1000;
/** Connected long enough ago that a 410 proves the socket dead, recently enough that the row is still fresh. */
const settledConnectAt = () => Date.now() - CONNECT_GRACE_MS - 1000;
/** A connection row + subscription for a socket the gateway never had, as left behind when $disconnect does not run. */
async function ghostSocket(connectionId: string, roomId: string, at: number): Promise<void> {
  await saveConnection(connectionId, ghost, at);
  await putSubscriptions(connectionId, ghost, [roomId], at);
}

describe('store-message', () => {
  it('stores the message for the token holder and broadcasts it to sockets in the room', async () => {
    const [author, reader, outsider] = [testUser('Author'), testUser('Reader'), testUser('Outsider')];
    const inRoom = await stack.connect(reader, 'http-room');
    const elsewhere = await stack.connect(outsider, 'another');

    const reply = await stack.api(Paths.roomMessages('http-room'), {
      method: 'POST',
      token: await stack.tokenFor(author),
      body: { body: ' via http ', clientMessageId: 'http-0000001', authorId: 'forged' },
    });
    expect(reply.status).toBe(201);
    const { message } = storeMessageResponseSchema.parse(reply.json);
    expect(message).toMatchObject({ roomId: 'http-room', body: 'via http', authorId: author.sub, authorName: 'Author', clientMessageId: 'http-0000001' });
    expect(await inRoom.next((f) => f.type !== 'presenceDelta')).toEqual({ type: 'message', message });
    await elsewhere.settle();
    expect(elsewhere.pending().filter((f) => f.type !== 'presenceDelta')).toEqual([]);
    expect(await messagesIn('http-room')).toEqual([message]);
    await Promise.all([inRoom.close(), elsewhere.close()]);
  });

  it.each([
    ['an empty body', { body: '' }, ErrorCode.EmptyBody],
    ['a too-long body', { body: 'y'.repeat(LIMITS.bodyMaxChars + 1) }, ErrorCode.BodyTooLong],
    ['a missing body field', { text: 'hi' }, ErrorCode.BadRequest],
    ['a bad clientMessageId', { body: 'hi', clientMessageId: 'no spaces allowed' }, ErrorCode.BadRequest],
    ['invalid JSON', '{"body":', ErrorCode.BadJson],
  ])('answers %s with 400 and a typed error, storing nothing', async (_name, body, code) => {
    const reply = await stack.api(Paths.roomMessages('bad-http'), { method: 'POST', token: await stack.tokenFor(testUser()), body });
    expect(reply.status).toBe(400);
    expect(httpErrorSchema.parse(reply.json).error.code).toBe(code);
    expect(await messagesIn('bad-http')).toEqual([]);
  });

  it('answers 400 BAD_ROOM for an invalid room id', async () => {
    const reply = await stack.api('/rooms/Bad%20Room/messages', { method: 'POST', token: await stack.tokenFor(testUser()), body: { body: 'hi' } });
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe(ErrorCode.BadRoom);
  });

  it('answers 401 without a valid token and stores nothing', async () => {
    const reply = await stack.api(Paths.roomMessages('no-auth'), { method: 'POST', body: { body: 'hi' } });
    expect(reply).toMatchObject({ status: 401, json: { message: 'Unauthorized' } });
    expect(await messagesIn('no-auth')).toEqual([]);
  });

  it('deletes exactly the stale connection row on 410 and still delivers to the live socket', async () => {
    const reader = testUser('Live');
    const live = await stack.connect(reader, 'stale-room');
    const liveId = await stack.connectionIdOf(reader);
    // A row for a socket the gateway never had, as left behind when $disconnect does not run.
    await ghostSocket('StaleConnId0=', 'stale-room', settledConnectAt());
    await ghostSocket('OtherRoomId0=', 'not-this-room', settledConnectAt());
    expect(await connectionIds()).toEqual(expect.arrayContaining(['StaleConnId0=', 'OtherRoomId0=', liveId]));

    const reply = await stack.api(Paths.roomMessages('stale-room'), { method: 'POST', token: await stack.tokenFor(testUser()), body: { body: 'still here?' } });
    expect(reply.status).toBe(201);
    expect(await live.next()).toEqual({ type: 'message', message: reply.json.message });
    const ids = await connectionIds();
    expect(ids).not.toContain('StaleConnId0=');
    expect(ids).toEqual(expect.arrayContaining([liveId, 'OtherRoomId0=']));
    // Its subscriptions went with it; the other ghost's stayed.
    const subscribed = (await stack.scan(SUBSCRIPTIONS_TABLE.envVar)).map((r) => r.connectionId);
    expect(subscribed).not.toContain('StaleConnId0=');
    expect(subscribed).toContain('OtherRoomId0=');
    await live.close();
  });

  it('ignores expired subscriptions in fan-out (never posts to them)', async () => {
    const reader = testUser();
    const live = await stack.connect(reader, 'expiry-room');
    // Subscribed 3 h ago: past its TTL (API Gateway closed that socket within 2 h), which dynalite never enforces.
    await ghostSocket('ExpiredConn0=', 'expiry-room', Date.now() - THREE_HOURS_MS);
    await ghostSocket('FreshStale00=', 'expiry-room', settledConnectAt());

    const result = await broadcast('expiry-room', { type: 'pong' });
    // The live socket is delivered, the fresh stale row is gone (410), the expired row is skipped entirely.
    expect(result).toEqual({ delivered: 1, gone: 1, failed: 0 });
    expect(await live.next()).toEqual({ type: 'pong' });
    const ids = await connectionIds();
    expect(ids).toContain('ExpiredConn0=');
    expect(ids).not.toContain('FreshStale00=');
    await live.close();
  });

  it('keeps a 410 row that may still be inside $connect (younger than the grace), deleting nothing', async () => {
    // $connect has written this row but not returned yet: `@connections` answers 410 until it does.
    await ghostSocket('Handshaking0=', 'grace-room', Date.now());
    expect(await broadcast('grace-room', { type: 'pong' })).toEqual({ delivered: 0, gone: 1, failed: 0 });
    expect(await connectionIds()).toContain('Handshaking0=');
  });

  it('stores a retried clientMessageId once and answers every retry, sequential or concurrent, with the original', async () => {
    const retrier = testUser('Retrier');
    await stack.publicRoom(retrier, 'http-retry');
    const token = await stack.tokenFor(retrier);
    const post = () =>
      stack.api(Paths.roomMessages('http-retry'), { method: 'POST', token, body: { body: 'exactly once', clientMessageId: 'http-retry-01' } });
    const first = await post();
    expect(first.status).toBe(201);
    const original = storeMessageResponseSchema.parse(first.json).message;
    const retries = [await post(), ...(await Promise.all([post(), post(), post()]))];
    for (const reply of retries) expect(reply).toMatchObject({ status: 201, json: { message: original } });
    expect(await messagesIn('http-retry')).toEqual([original]);
  });

  it('answers 429 RATE_LIMITED with Retry-After and retryAfterMs over the per-user limit, storing nothing', async () => {
    const user = testUser('Hasty');
    await stack.publicRoom(testUser(), 'http-rate');
    // Fill this window and the next two, so the refusal does not depend on when the request lands.
    const now = Date.now();
    for (let w = 0; w < 3; w++) {
      for (let i = 0; i < LIMITS.sendRateLimit; i++) await consumeSendAllowance(user.sub, now + w * LIMITS.sendRateWindowMs);
    }
    const reply = await stack.api(Paths.roomMessages('http-rate'), { method: 'POST', token: await stack.tokenFor(user), body: { body: 'too fast' } });
    expect(reply.status).toBe(429);
    const { error } = httpErrorSchema.parse(reply.json);
    expect(error.code).toBe(ErrorCode.RateLimited);
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(LIMITS.sendRateWindowMs);
    expect(Number(reply.headers.get('retry-after'))).toBe(Math.max(1, Math.ceil(error.retryAfterMs! / 1000)));
    expect(await messagesIn('http-rate')).toEqual([]);
    // Someone else is not affected.
    const other = await stack.api(Paths.roomMessages('http-rate'), { method: 'POST', token: await stack.tokenFor(testUser()), body: { body: 'fine' } });
    expect(other.status).toBe(201);
  });
});
