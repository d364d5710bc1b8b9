/** POST /tickets through the local gateway: real JWT check, real handler, real dynalite. */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack, withoutRef } from '../../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, PROTOCOL_VERSION, ticketResponseSchema } from '../../../lib/protocol';
import { CLIENT_OUTDATED_MESSAGE, requireCurrentClient } from '../../chat/client-version';
import { TICKETS_TABLE } from '../../chat/tables';
import { hashTicket } from '../../chat/tickets';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

describe('create-ticket', () => {
  it('issues a short-lived ticket bound to the caller, stored only as its hash', async () => {
    const user = testUser('Ada');
    const before = Date.now();
    const reply = await stack.api(`/tickets?protocol=${PROTOCOL_VERSION}`, { method: 'POST', token: await stack.tokenFor(user) });

    expect(reply.status).toBe(201);
    const { ticket, expiresAt } = ticketResponseSchema.parse(reply.json);
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Whole seconds (the TTL unit), counted from some instant during the request.
    const expiresSeconds = Date.parse(expiresAt) / 1000;
    expect(expiresSeconds).toBeGreaterThanOrEqual(Math.floor(before / 1000) + LIMITS.ticketTtlSeconds);
    expect(expiresSeconds).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + LIMITS.ticketTtlSeconds);

    const rows = (await stack.scan(TICKETS_TABLE.envVar)).filter((row) => row.userId === user.sub);
    expect(rows).toEqual([{ ticketHash: hashTicket(ticket), userId: user.sub, displayName: 'Ada', expiresAt: expiresSeconds }]);
    expect(JSON.stringify(await stack.scan(TICKETS_TABLE.envVar))).not.toContain(ticket);
  });

  it('serves the current protocol version; refuses older ones (the pre-rooms version 1, and clients that predate the parameter) with CLIENT_OUTDATED, storing nothing', async () => {
    const user = testUser('Old tab');
    const token = await stack.tokenFor(user);
    expect((await stack.api(`/tickets?protocol=${PROTOCOL_VERSION}`, { method: 'POST', token })).status).toBe(201);
    const before = (await stack.scan(TICKETS_TABLE.envVar)).length;
    for (const path of ['/tickets?protocol=0', '/tickets?protocol=1', '/tickets']) {
      const old = await stack.api(path, { method: 'POST', token });
      expect(old.status, path).toBe(426);
      expect(withoutRef(old.json)).toEqual({ error: { code: 'CLIENT_OUTDATED', message: CLIENT_OUTDATED_MESSAGE } });
    }
    const junk = await stack.api('/tickets?protocol=abc', { method: 'POST', token });
    expect([junk.status, junk.json.error.code]).toEqual([400, 'BAD_REQUEST']);
    expect((await stack.scan(TICKETS_TABLE.envVar)).length).toBe(before);
  });

  it('once the minimum is raised, version 1 and unversioned clients are outdated too', () => {
    expect(() => requireCurrentClient({ protocol: '1' }, 2)).toThrow(CLIENT_OUTDATED_MESSAGE);
    expect(() => requireCurrentClient({}, 2)).toThrow(expect.objectContaining({ code: 'CLIENT_OUTDATED' }));
    expect(requireCurrentClient({ protocol: '2' }, 2)).toBe(2);
  });

  it('issues a different ticket on every call', async () => {
    const user = testUser();
    const token = await stack.tokenFor(user);
    const [a, b] = await Promise.all([1, 2].map(() => stack.api(`/tickets?protocol=${PROTOCOL_VERSION}`, { method: 'POST', token })));
    expect(a!.json.ticket).not.toBe(b!.json.ticket);
  });

  it('answers 401 without calling the handler when the token is missing, tampered or expired', async () => {
    const user = testUser('Mallory');
    const good = await stack.tokenFor(user);
    const [header, payload, signature] = good.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    const tampered = [header, forgedPayload, signature].join('.');
    const expired = await stack.tokenFor(user, { expiresIn: '-1m' });
    const countBefore = (await stack.scan(TICKETS_TABLE.envVar)).length;

    for (const token of [undefined, tampered, expired, 'not-a-jwt']) {
      const reply = await stack.api(`/tickets?protocol=${PROTOCOL_VERSION}`, { method: 'POST', token });
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({ message: 'Unauthorized' });
    }
    expect(await stack.scan(TICKETS_TABLE.envVar)).toHaveLength(countBefore);
  });
});
