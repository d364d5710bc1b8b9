/**
 * $connect through the local gateway: the row records the user the ticket names (no room: one socket serves all
 * rooms, named later by `subscribe`), lives a few heartbeats, and nothing is posted to anyone.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack } from '../../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../lib/protocol';
import { CONNECTIONS_TABLE, SUBSCRIPTIONS_TABLE } from '../../chat/tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const rowsOf = async (userId: string) => (await stack.scan(CONNECTIONS_TABLE.envVar)).filter((row) => row.userId === userId);

describe('ws-connect', () => {
  it('writes one row for the ticket holder, with no room, whatever else the client claims', async () => {
    const user = testUser('Grace');
    const ticket = await stack.ticketFor(user);
    const before = Math.floor(Date.now() / 1000);
    const socket = await stack.openSocket({ ticket, room: 'design-review', userId: 'someone-else', displayName: 'Admin' });
    const after = Math.floor(Date.now() / 1000);

    const [row, ...others] = await rowsOf(user.sub);
    expect(others).toEqual([]);
    expect(row).toMatchObject({ userId: user.sub, displayName: 'Grace' });
    expect(row).not.toHaveProperty('roomId');
    expect(stack.gateway.openConnections()).toContain(row!.connectionId);
    expect(await rowsOf('someone-else')).toEqual([]);
    // A `?room=` is not a subscription: the socket receives no room until it subscribes.
    expect((await stack.scan(SUBSCRIPTIONS_TABLE.envVar)).filter((r) => r.connectionId === row!.connectionId)).toEqual([]);
    // Lives a few heartbeats from now; each ping extends it (ws-message tests), so a dead socket's row goes soon.
    expect(row!.expiresAt).toBeGreaterThanOrEqual(before + LIMITS.connectionFreshMs / 1000);
    expect(row!.expiresAt).toBeLessThanOrEqual(after + LIMITS.connectionFreshMs / 1000);
    await socket.close();
  });

  it('posts nothing to anyone while connecting: presence waits for subscribe', async () => {
    const [ada, bob] = [testUser('Ada'), testUser('Bob')];
    const a = await stack.connect(ada, 'connect-quiet');
    await a.settle();
    const b = await stack.connect(bob);
    await Promise.all([a.settle(), b.settle()]);
    expect([...a.pending(), ...b.pending()]).toEqual([]);
    await Promise.all([a, b].map((s) => s.close()));
  });

  it('gives every socket its own API Gateway-style connection id', async () => {
    const users = [testUser(), testUser(), testUser()];
    const sockets = await Promise.all(users.map((u) => stack.connect(u, 'ids')));
    const ids = await Promise.all(users.map((u) => stack.connectionIdOf(u)));
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    await Promise.all(sockets.map((s) => s.close()));
  });

  it('keeps every row when several people connect at the same moment', async () => {
    const users = [testUser(), testUser(), testUser()];
    const sockets = await Promise.all(users.map((u) => stack.connect(u, 'simultaneous')));
    for (const user of users) expect(await rowsOf(user.sub)).toHaveLength(1);
    for (const socket of sockets) await socket.settle();
    await Promise.all(sockets.map((s) => s.close()));
  });
});
