/**
 * $disconnect through the local gateway: however a socket ends, its row goes and nobody else's does, and
 * the room is told who is left (a user with two sockets stays until both are gone).
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { eventually, startTestStack, testUser, type TestSocket, type TestStack } from '../../local/testing';
import { ApiGatewayManagementApiClient, DeleteConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceFrame, ServerFrame } from '../../../lib/protocol';
import { CONNECTIONS_TABLE } from '../../chat/tables';

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

const nextPresence = async (socket: TestSocket): Promise<PresenceFrame> =>
  (await socket.next((f: ServerFrame) => f.type === 'presence')) as PresenceFrame;
const idsIn = (frame: PresenceFrame) => frame.users.map((u) => u.userId).sort();

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

  it('tells who is left: a user with two sockets stays present until both are gone', async () => {
    const [watcher, twin] = [testUser('Watcher'), testUser('Twin')];
    const w = await stack.connect(watcher, 'presence-leave');
    const first = await stack.connect(twin, 'presence-leave');
    const second = await stack.connect(twin, 'presence-leave');
    // One entry for Twin, however many sockets (announced on each join).
    expect(idsIn(await nextPresence(w))).toEqual([watcher.sub, twin.sub].sort());
    const joined = await nextPresence(w);
    expect(joined.users.filter((u) => u.userId === twin.sub)).toEqual([{ userId: twin.sub, displayName: 'Twin' }]);

    await first.close();
    expect(idsIn(await nextPresence(w))).toEqual([watcher.sub, twin.sub].sort());
    expect(idsIn(await nextPresence(second))).toEqual([watcher.sub, twin.sub].sort());
    second.ws.terminate();
    expect(await nextPresence(w)).toEqual({ type: 'presence', roomId: 'presence-leave', users: [{ userId: watcher.sub, displayName: 'Watcher' }] });
    await w.close();
  });
});
