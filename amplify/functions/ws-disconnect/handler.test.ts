/**
 * $disconnect through the local gateway: however a socket ends, its row goes and nobody else's does, and
 * the room is told who is left (a user with two sockets stays until both are gone).
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { eventually, startTestStack, testUser, type TestSocket, type TestStack } from '../../local/testing';
import { ApiGatewayManagementApiClient, DeleteConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceDeltaFrame, ServerFrame } from '../../../lib/protocol';
import { CONNECTIONS_TABLE, SUBSCRIPTIONS_TABLE } from '../../chat/tables';

let stack: TestStack;
let management: ApiGatewayManagementApiClient;
beforeAll(async () => {
  stack = await startTestStack();
  management = new ApiGatewayManagementApiClient({ endpoint: stack.gateway.httpUrl });
});
afterAll(async () => {
  management?.destroy();
  await stack?.stop();
});

const nextDelta = async (socket: TestSocket): Promise<PresenceDeltaFrame> =>
  (await socket.next((f: ServerFrame) => f.type === 'presenceDelta')) as PresenceDeltaFrame;
const subscriptionsOf = async (connectionId: string) =>
  (await stack.scan(SUBSCRIPTIONS_TABLE.envVar)).filter((row) => row.connectionId === connectionId);

const hasRow = async (connectionId: string) =>
  (await stack.scan(CONNECTIONS_TABLE.envVar)).some((row) => row.connectionId === connectionId);

describe('ws-disconnect', () => {
  it('deletes exactly the closing socket row when the client closes', async () => {
    const [leaver, stayer] = [testUser(), testUser()];
    const [leaving, staying] = await Promise.all([stack.connect(leaver, 'lobby'), stack.connect(stayer, 'lobby')]);
    const [leavingId, stayingId] = await Promise.all([stack.connectionIdOf(leaver), stack.connectionIdOf(stayer)]);

    await leaving.close();
    await eventually(async () => !(await hasRow(leavingId)));
    expect(await hasRow(stayingId)).toBe(true);
    expect(stack.gateway.openConnections()).toEqual([stayingId]);
    await staying.close();
    await eventually(async () => !(await hasRow(stayingId)));
  });

  it('deletes the row when the server drops the socket through DeleteConnection', async () => {
    const user = testUser();
    const socket = await stack.connect(user);
    const id = await stack.connectionIdOf(user);

    await management.send(new DeleteConnectionCommand({ ConnectionId: id }));
    expect((await socket.closed).code).toBe(1000);
    await eventually(async () => !(await hasRow(id)));
    expect(stack.gateway.openConnections()).not.toContain(id);
  });

  it('deletes the row when the client vanishes without a close frame', async () => {
    const user = testUser();
    const socket = await stack.connect(user);
    const id = await stack.connectionIdOf(user);
    socket.ws.terminate();
    await eventually(async () => !(await hasRow(id)));
  });

  it('drops the closing socket\'s subscriptions and tells the room only when the user\'s LAST socket is gone', async () => {
    const [watcher, twin] = [testUser('Watcher'), testUser('Twin')];
    const w = await stack.connect(watcher, 'presence-leave');
    // Twin becomes a member (presence counts members), then opens two sockets in the room.
    expect((await stack.as(twin, '/rooms/presence-leave/membership', { method: 'PUT' })).status).toBe(200);
    const first = await stack.connect(twin, 'presence-leave');
    expect(await nextDelta(w)).toEqual({ type: 'presenceDelta', roomId: 'presence-leave', joined: [{ userId: twin.sub, displayName: 'Twin' }], left: [] });
    const second = await stack.connect(twin, 'presence-leave');
    const [firstId, secondId] = (await stack.scan(CONNECTIONS_TABLE.envVar)).filter((r) => r.userId === twin.sub).map((r) => String(r.connectionId));

    await first.close();
    await eventually(async () => (await subscriptionsOf(firstId!)).length + (await subscriptionsOf(secondId!)).length === 1);
    await w.settle();
    // Twin still has a socket there: no delta for the first close, nor for the second socket's subscribe.
    expect(w.pending().filter((f) => f.type === 'presenceDelta')).toEqual([]);
    second.ws.terminate();
    expect(await nextDelta(w)).toEqual({ type: 'presenceDelta', roomId: 'presence-leave', joined: [], left: [{ userId: twin.sub, displayName: 'Twin' }] });
    expect([...(await subscriptionsOf(firstId!)), ...(await subscriptionsOf(secondId!))]).toEqual([]);
    await w.close();
  });
});
