/**
 * $connect through the local gateway: the row records the room asked for and the user the ticket names,
 * lives a few heartbeats, and the rest of the room is told who is there now.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { HandshakeRefused, startTestStack, testUser, type TestStack } from '../../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROOM, LIMITS } from '../../../lib/protocol';
import { CONNECTIONS_TABLE } from '../../chat/tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const rowsOf = async (userId: string) => (await stack.scan(CONNECTIONS_TABLE.envVar)).filter((row) => row.userId === userId);

describe('ws-connect', () => {
  it('writes a row with the requested room and the ticket holder, whatever else the client claims', async () => {
    const user = testUser('Grace');
    const ticket = await stack.ticketFor(user);
    const before = Math.floor(Date.now() / 1000);
    const socket = await stack.openSocket({ ticket, room: 'design-review', userId: 'someone-else', displayName: 'Admin' });
    const after = Math.floor(Date.now() / 1000);

    const [row, ...others] = await rowsOf(user.sub);
    expect(others).toEqual([]);
    expect(row).toMatchObject({ roomId: 'design-review', userId: user.sub, displayName: 'Grace' });
    expect(stack.gateway.openConnections()).toContain(row!.connectionId);
    expect(await rowsOf('someone-else')).toEqual([]);
    // Lives a few heartbeats from now; each ping extends it (ws-message tests), so a dead socket's row goes soon.
    expect(row!.expiresAt).toBeGreaterThanOrEqual(before + LIMITS.connectionFreshMs / 1000);
    expect(row!.expiresAt).toBeLessThanOrEqual(after + LIMITS.connectionFreshMs / 1000);
    await socket.close();
  });

  it('puts a socket without ?room= in the default room', async () => {
    const user = testUser();
    const socket = await stack.connect(user);
    expect(await rowsOf(user.sub)).toMatchObject([{ roomId: DEFAULT_ROOM }]);
    await socket.close();
  });

  it('refuses an invalid room with 400 after the ticket check, and writes no row', async () => {
    const user = testUser();
    for (const room of ['Not A Room', '-dash', 'x'.repeat(41)]) {
      await expect(stack.openSocket({ ticket: await stack.ticketFor(user), room })).rejects.toEqual(new HandshakeRefused(400));
    }
    expect(await rowsOf(user.sub)).toEqual([]);
    expect(stack.gateway.openConnections()).toEqual([]);
  });

  it('gives every socket its own API Gateway-style connection id', async () => {
    const users = [testUser(), testUser(), testUser()];
    const sockets = await Promise.all(users.map((u) => stack.connect(u, 'ids')));
    const ids = await Promise.all(users.map((u) => stack.connectionIdOf(u)));
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    await Promise.all(sockets.map((s) => s.close()));
  });

  it('tells the others in the room who is there now, the newcomer included, and no other room', async () => {
    const [ada, bob, eve] = [testUser('Ada'), testUser('Bob'), testUser('Eve')];
    const a = await stack.connect(ada, 'presence-join');
    const elsewhere = await stack.connect(eve, 'presence-other');
    const b = await stack.connect(bob, 'presence-join');

    expect(await a.next((f) => f.type === 'presence')).toEqual({
      type: 'presence',
      roomId: 'presence-join',
      users: [
        { userId: ada.sub, displayName: 'Ada' },
        { userId: bob.sub, displayName: 'Bob' },
      ],
    });
    // The newcomer's socket is not open during $connect (a post would 410), so it asks once open.
    await b.settle();
    expect(b.pending()).toEqual([]);
    b.send({ action: 'presence' });
    expect(await b.next((f) => f.type === 'presence')).toMatchObject({ users: [{ userId: ada.sub }, { userId: bob.sub }] });
    await elsewhere.settle();
    expect(elsewhere.pending()).toEqual([]);
    // Bob's own row survived the announcement, though his socket was still inside $connect when it ran.
    expect(await rowsOf(bob.sub)).toHaveLength(1);
    await Promise.all([a, b, elsewhere].map((s) => s.close()));
  });

  it('keeps both rows when two people join the same room at the same moment', async () => {
    const users = [testUser(), testUser(), testUser()];
    const sockets = await Promise.all(users.map((u) => stack.connect(u, 'simultaneous')));
    // Each $connect announced to the others while they may still have been in $connect themselves (410).
    for (const user of users) expect(await rowsOf(user.sub)).toHaveLength(1);
    for (const socket of sockets) await socket.settle();
    await Promise.all(sockets.map((s) => s.close()));
  });
});
