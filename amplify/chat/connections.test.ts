/**
 * Connection rows against real dynalite with an injected clock: saved with an expiry a few heartbeats out, read only
 * while live, refreshed only while live (an expired row is never revived), removed exactly, removed after a 410 only
 * once older than API Gateway's $connect window, and counted live in one BatchGet.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, type TestStack } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECT_GRACE_MS, getConnection, liveConnectionIds, refreshConnection, removeConnection, removeGoneConnection, saveConnection } from './connections';
import { CONNECTIONS_TABLE } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** How long a row lives after its last ping (3 min), stated here (LIMITS.connectionFreshMs). */
const FRESH_S = 180;
const T0 = Date.UTC(2031, 0, 1, 12, 0, 0, 400);
const user = { userId: 'u-conn', displayName: 'Conn' };
const s = (ms: number) => Math.floor(ms / 1000);

describe('connection rows', () => {
  it('saves a row that expires a few heartbeats out, and reads it only while live', async () => {
    const row = await saveConnection('c-save', user, T0);
    expect(row).toEqual({ connectionId: 'c-save', userId: 'u-conn', displayName: 'Conn', connectedAt: new Date(T0).toISOString(), expiresAt: s(T0) + FRESH_S });
    expect((await stack.scan(CONNECTIONS_TABLE.envVar)).find((r) => r.connectionId === 'c-save')).toEqual(row);
    expect(await getConnection('c-save', T0)).toEqual(row);
    // Live up to the second before expiry, gone at it.
    expect(await getConnection('c-save', (s(T0) + FRESH_S - 1) * 1000)).toEqual(row);
    expect(await getConnection('c-save', (s(T0) + FRESH_S) * 1000)).toBeUndefined();
    expect(await getConnection('c-missing', T0)).toBeUndefined();
  });

  it('a heartbeat pushes the expiry out while live; a missing or expired row is never revived', async () => {
    await saveConnection('c-ping', user, T0);
    expect(await refreshConnection('c-ping', T0 + 60_000)).toBe(true);
    expect((await getConnection('c-ping', T0 + 60_000))!.expiresAt).toBe(s(T0 + 60_000) + FRESH_S);
    const expiry = s(T0 + 60_000) + FRESH_S;
    expect(await refreshConnection('c-ping', expiry * 1000)).toBe(false);
    expect(await getConnection('c-ping', expiry * 1000 - 1000)).toMatchObject({ expiresAt: expiry });
    expect(await refreshConnection('c-missing', T0)).toBe(false);
    expect((await stack.scan(CONNECTIONS_TABLE.envVar)).some((r) => r.connectionId === 'c-missing')).toBe(false);
  });

  it('removes exactly one row and returns it; nothing the second time', async () => {
    const row = await saveConnection('c-remove', user, T0);
    await saveConnection('c-keep', user, T0);
    expect(await removeConnection('c-remove')).toEqual(row);
    expect(await removeConnection('c-remove')).toBeUndefined();
    expect(await getConnection('c-keep', T0)).toBeDefined();
  });

  it('after a 410, removes a row only once it is older than the $connect window', async () => {
    const row = await saveConnection('c-gone', user, T0);
    expect(await removeGoneConnection('c-gone', T0 + CONNECT_GRACE_MS - 1)).toBeUndefined();
    expect(await getConnection('c-gone', T0 + 1)).toBeDefined();
    expect(await removeGoneConnection('c-gone', T0 + CONNECT_GRACE_MS)).toEqual(row);
    expect(await getConnection('c-gone', T0 + 1)).toBeUndefined();
    expect(await removeGoneConnection('c-gone', T0 + CONNECT_GRACE_MS)).toBeUndefined();
    expect(CONNECT_GRACE_MS).toBe(30_000);
  });

  it('passes on a storage failure after a 410 (never read as "too young to remove")', async () => {
    const saved = process.env[CONNECTIONS_TABLE.envVar];
    process.env[CONNECTIONS_TABLE.envVar] = 'no-such-table';
    try {
      await expect(removeGoneConnection('c-any', T0)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      process.env[CONNECTIONS_TABLE.envVar] = saved;
    }
  });

  it('counts the live ones among many ids (duplicates once, expired and missing left out)', async () => {
    await saveConnection('c-live-1', user, T0);
    await saveConnection('c-live-2', user, T0 + 100_000);
    const later = (s(T0) + FRESH_S) * 1000;
    expect(await liveConnectionIds(['c-live-1', 'c-live-2', 'c-live-2', 'c-nobody'], T0)).toEqual(new Set(['c-live-1', 'c-live-2']));
    expect(await liveConnectionIds(['c-live-1', 'c-live-2'], later)).toEqual(new Set(['c-live-2']));
    expect(await liveConnectionIds([], T0)).toEqual(new Set());
  });
});
