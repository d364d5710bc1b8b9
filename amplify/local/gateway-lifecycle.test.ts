/**
 * The local gateway's lifecycle: API Gateway's idle timeout, $disconnect for every socket on stop, and
 * handler failures answered (not crashed on) when DynamoDB is gone. A file of its own: the gateway here
 * runs with a short idle timeout and is stopped and restarted mid-file.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { eventually, startTestStack, testUser, type TestStack } from './testing';
import { PROTOCOL_QUERY, PROTOCOL_VERSION } from '../../lib/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CONNECTIONS_TABLE } from '../chat/tables';
import { startGateway, type LocalGateway } from './gateway';

/** Short enough for a quick test, long enough that a busy CI machine still gets a ping through in time. */
const IDLE_MS = 700;

let stack: TestStack;
let restarted: LocalGateway | undefined;
beforeAll(async () => {
  stack = await startTestStack({ idleTimeoutMs: IDLE_MS });
});
afterAll(async () => {
  await restarted?.stop();
  await stack?.stop();
});

const hasRow = async (connectionId: string) =>
  (await stack.scan(CONNECTIONS_TABLE.envVar)).some((row) => row.connectionId === connectionId);

describe('gateway lifecycle', () => {
  it('closes an idle socket with 1001 (running $disconnect) but keeps a chatty one open', async () => {
    const [quietUser, chattyUser] = [testUser(), testUser()];
    const quiet = await stack.connect(quietUser);
    const chatty = await stack.connect(chattyUser);
    const quietId = await stack.connectionIdOf(quietUser);
    const started = Date.now();
    while (Date.now() - started < 2 * IDLE_MS) {
      await chatty.settle();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await quiet.closed).code).toBe(1001);
    expect(chatty.ws.readyState).toBe(chatty.ws.OPEN);
    await eventually(async () => !(await hasRow(quietId)));
    await chatty.close();
  });

  it('runs $disconnect for every open socket when it stops', async () => {
    const users = [testUser(), testUser()];
    const sockets = await Promise.all(users.map((u) => stack.connect(u, 'shutdown')));
    expect(stack.gateway.openConnections()).toHaveLength(2);
    await stack.gateway.stop();
    for (const socket of sockets) expect((await socket.closed).code).toBe(1006);
    expect(await stack.scan(CONNECTIONS_TABLE.envVar)).toEqual([]);
  });

  it('answers 500 instead of crashing when handlers fail (DynamoDB down)', async () => {
    restarted = await startGateway({ verifyJwt: async () => ({ sub: 'u1', token_use: 'id' }), allowedOrigins: [], handlerEnv: stack.dynamo.handlerEnv });
    await stack.dynamo.stop();
    // The authorizer's DynamoDB call throws: API Gateway answers the handshake with 500.
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${restarted!.webSocketUrl}/?ticket=anything`);
      ws.on('unexpected-response', (_req, res) => (res.resume(), ws.terminate(), resolve(res.statusCode ?? 0)));
      ws.on('error', () => resolve(-1));
    });
    expect(status).toBe(500);
    const reply = await fetch(`${restarted.httpUrl}/tickets?${PROTOCOL_QUERY}=${PROTOCOL_VERSION}`, { method: 'POST', headers: { authorization: 'Bearer any' } });
    expect(reply.status).toBe(500);
    expect(await reply.json()).toMatchObject({ error: { code: 'INTERNAL' } });
    // Still serving after the failures.
    expect((await fetch(`${restarted.httpUrl}/nope`)).status).toBe(404);
  });
});
