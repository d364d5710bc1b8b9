/**
 * The $connect authorizer through the local gateway: one ticket, one socket; everything else is refused.
 * Tests are isolated: each starts on a freshly started gateway with no socket open and no connection row (the
 * handlers are bound to one DynamoDB per process, so the table is shared but proven empty before every test).
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { HandshakeRefused, eventually, startTestStack, testUser, type TestStack } from '../../local/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONNECTIONS_TABLE, TICKETS_TABLE } from '../../chat/tables';
import { hashTicket, issueTicket } from '../../chat/tickets';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const connectionRows = () => stack.scan(CONNECTIONS_TABLE.envVar);

beforeEach(async () => {
  // A new gateway drops whatever an earlier test left open; its $disconnect handlers then delete the rows.
  await stack.restartGateway();
  await eventually(async () => (await connectionRows()).length === 0);
  expect(stack.gateway.openConnections()).toEqual([]);
});

describe('ws-authorizer', () => {
  it('lets a ticket open exactly one socket and consumes it', async () => {
    const user = testUser();
    const ticket = await stack.ticketFor(user);
    const socket = await stack.openSocket({ ticket });
    expect(stack.gateway.openConnections()).toHaveLength(1);
    const ticketRows = await stack.scan(TICKETS_TABLE.envVar);
    expect(ticketRows.some((row) => row.ticketHash === hashTicket(ticket))).toBe(false);

    const rowsBefore = await connectionRows();
    await expect(stack.openSocket({ ticket })).rejects.toEqual(new HandshakeRefused(401));
    expect(await connectionRows()).toEqual(rowsBefore);
    expect(stack.gateway.openConnections()).toHaveLength(1);
    await socket.close();
  });

  it('lets only one of two simultaneous handshakes with the same ticket through', async () => {
    const ticket = await stack.ticketFor(testUser());
    const results = await Promise.allSettled([stack.openSocket({ ticket }), stack.openSocket({ ticket })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toEqual({ status: 'rejected', reason: new HandshakeRefused(401) });
    expect(stack.gateway.openConnections()).toHaveLength(1);
    expect(await connectionRows()).toHaveLength(1);
    for (const r of results) if (r.status === 'fulfilled') await r.value.close();
  });

  it('refuses an expired ticket and writes no connection row', async () => {
    const user = testUser();
    // Issued by the real ticket code, two minutes in the past: dynalite never expires items, like TTL lag.
    const { ticket } = await issueTicket({ userId: user.sub, displayName: 'Late' }, Date.now() - 120_000);
    await expect(stack.openSocket({ ticket })).rejects.toEqual(new HandshakeRefused(401));
    expect(await connectionRows()).toEqual([]);
    expect(stack.gateway.openConnections()).toEqual([]);
  });

  it('refuses a missing, empty, unknown or oversized ticket', async () => {
    const queries: Record<string, string>[] = [{}, { ticket: '' }, { ticket: 'made-up' }, { ticket: 'x'.repeat(300) }, { room: 'general' }];
    for (const query of queries) {
      await expect(stack.openSocket(query)).rejects.toEqual(new HandshakeRefused(401));
    }
    expect(stack.gateway.openConnections()).toEqual([]);
    expect(await connectionRows()).toEqual([]);
  });

  it('refuses a Cognito token passed where the ticket belongs', async () => {
    const token = await stack.tokenFor(testUser());
    await expect(stack.openSocket({ ticket: token })).rejects.toEqual(new HandshakeRefused(401));
    expect(stack.gateway.openConnections()).toEqual([]);
    expect(await connectionRows()).toEqual([]);
  });
});
