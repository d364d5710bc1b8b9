/**
 * WebSocket tickets against the real local table: single use, the exact expiry second, what a missing ticket
 * returns, and that a table failure is an error (never a silent "no such ticket").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../lib/protocol';
import { startTestStack, type TestStack } from '../local/testing';
import { TICKETS_TABLE } from './tables';
import { consumeTicket, issueTicket } from './tickets';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const user = { userId: 'u-ticket', displayName: 'Ada' };
const T = Date.UTC(2030, 0, 1); // a whole second

describe('tickets', () => {
  it('a ticket names its user once, until the second it expires', async () => {
    const { ticket, expiresAt } = await issueTicket(user, T);
    expect(expiresAt).toBe(new Date(T + LIMITS.ticketTtlSeconds * 1000).toISOString());
    expect(await consumeTicket(ticket, T + (LIMITS.ticketTtlSeconds - 1) * 1000)).toEqual(user);
    expect(await consumeTicket(ticket, T)).toBeUndefined(); // used up
    const late = await issueTicket(user, T);
    expect(await consumeTicket(late.ticket, T + LIMITS.ticketTtlSeconds * 1000)).toBeUndefined(); // expired that second
  });

  it('no ticket, an empty or unknown one is simply not a user', async () => {
    expect(await consumeTicket(undefined, T)).toBeUndefined();
    expect(await consumeTicket('', T)).toBeUndefined();
    expect(await consumeTicket('x'.repeat(43), T)).toBeUndefined();
  });

  it('a table failure is thrown, not taken for "no such ticket"', async () => {
    const saved = process.env[TICKETS_TABLE.envVar];
    process.env[TICKETS_TABLE.envVar] = 'no-such-table';
    try {
      await expect(consumeTicket('x'.repeat(43), T)).rejects.toThrow();
    } finally {
      process.env[TICKETS_TABLE.envVar] = saved;
    }
  });
});
