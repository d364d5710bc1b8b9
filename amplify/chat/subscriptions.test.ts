/**
 * Subscription rows against real dynalite with an injected clock: written for the socket's longest life plus ten
 * minutes, idempotent, found per user (all rooms or one) and per room (page by page, every page), expired rows left
 * out of every read, and a user dropped from a room on all their sockets at once (expired rows too).
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteSubscriptions,
  dropUserFromRoom,
  putSubscriptions,
  roomSubscriptions,
  roomSubscriptionsPage,
  userConnectionIds,
  userSubscriptions,
} from './subscriptions';
import { SUBSCRIPTIONS_TABLE } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** 2 h (API Gateway's longest socket) + 10 min, stated here. */
const TTL_S = 2 * 60 * 60 + 600;
const T0 = Date.UTC(2031, 0, 1, 12, 0, 0);
const s = (ms: number) => Math.floor(ms / 1000);
const ada = { userId: 'u-sub-ada', displayName: 'Ada' };
const bob = { userId: 'u-sub-bob', displayName: 'Bob' };
const ids = (rows: { roomId: string; connectionId: string }[]) => rows.map((r) => `${r.roomId}/${r.connectionId}`).sort();

describe('subscriptions', () => {
  it('are written per room with the socket’s user and an expiry 2 h 10 min out; a repeat rewrites the row', async () => {
    await putSubscriptions('c-ada-1', ada, ['sub-a', 'sub-b'], T0);
    await putSubscriptions('c-ada-1', ada, ['sub-a'], T0 + 1000);
    const rows = (await stack.scan(SUBSCRIPTIONS_TABLE.envVar)).filter((r) => r.connectionId === 'c-ada-1');
    expect(rows.sort((x, y) => String(x.roomId).localeCompare(String(y.roomId)))).toEqual([
      { roomId: 'sub-a', connectionId: 'c-ada-1', userId: 'u-sub-ada', displayName: 'Ada', expiresAt: s(T0 + 1000) + TTL_S },
      { roomId: 'sub-b', connectionId: 'c-ada-1', userId: 'u-sub-ada', displayName: 'Ada', expiresAt: s(T0) + TTL_S },
    ]);
  });

  it('are found per user (all rooms or one) and per room, never once expired', async () => {
    await putSubscriptions('c-ada-2', ada, ['sub-c'], T0);
    await putSubscriptions('c-ada-3', ada, ['sub-c', 'sub-d'], T0 + 600_000);
    await putSubscriptions('c-bob-1', bob, ['sub-c'], T0);
    expect(ids(await userSubscriptions('u-sub-ada', 'sub-c', T0))).toEqual(['sub-c/c-ada-2', 'sub-c/c-ada-3']);
    expect(ids(await userSubscriptions('u-sub-ada', undefined, T0)).filter((k) => /sub-[cd]/.test(k))).toEqual(['sub-c/c-ada-2', 'sub-c/c-ada-3', 'sub-d/c-ada-3']);
    expect((await userConnectionIds('u-sub-bob')).sort()).toEqual(['c-bob-1']);
    expect(ids(await roomSubscriptions('sub-c', T0))).toEqual(['sub-c/c-ada-2', 'sub-c/c-ada-3', 'sub-c/c-bob-1']);
    // The older rows expire first.
    const later = (s(T0) + TTL_S) * 1000;
    expect(ids(await userSubscriptions('u-sub-ada', 'sub-c', later))).toEqual(['sub-c/c-ada-3']);
    expect(ids(await roomSubscriptions('sub-c', later))).toEqual(['sub-c/c-ada-3']);
    expect(ids(await userSubscriptions('u-sub-ada', 'sub-c', later - 1000))).toEqual(['sub-c/c-ada-2', 'sub-c/c-ada-3']);
  });

  it('a room is read page by page, each page after the last socket of the one before', async () => {
    for (let i = 0; i < 5; i++) await putSubscriptions(`c-page-${i}`, bob, ['sub-pages'], T0);
    const first = await roomSubscriptionsPage('sub-pages', { limit: 2 }, T0);
    expect(first.rows.map((r) => r.connectionId)).toEqual(['c-page-0', 'c-page-1']);
    expect(first.lastConnectionId).toBe('c-page-1');
    const second = await roomSubscriptionsPage('sub-pages', { limit: 2, startConnectionId: first.lastConnectionId }, T0);
    expect(second.rows.map((r) => r.connectionId)).toEqual(['c-page-2', 'c-page-3']);
    const last = await roomSubscriptionsPage('sub-pages', { startConnectionId: 'c-page-3' }, T0);
    expect(last).toEqual({ rows: [expect.objectContaining({ connectionId: 'c-page-4' })], lastConnectionId: undefined });
  });

  it('dropping a user from a room removes all their sockets’ rows there (expired ones too), and nobody else’s', async () => {
    await putSubscriptions('c-drop-1', ada, ['sub-drop', 'sub-keep'], T0);
    await putSubscriptions('c-drop-2', ada, ['sub-drop'], 0);
    await putSubscriptions('c-drop-3', bob, ['sub-drop'], T0);
    expect(await dropUserFromRoom('u-sub-ada', 'sub-drop')).toBe(2);
    const left = (await stack.scan(SUBSCRIPTIONS_TABLE.envVar)).filter((r) => String(r.connectionId).startsWith('c-drop-'));
    expect(ids(left as { roomId: string; connectionId: string }[])).toEqual(['sub-drop/c-drop-3', 'sub-keep/c-drop-1']);
    await deleteSubscriptions([{ roomId: 'sub-keep', connectionId: 'c-drop-1' }]);
    expect(await userSubscriptions('u-sub-ada', 'sub-keep', T0)).toEqual([]);
  });
});
