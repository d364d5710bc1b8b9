/**
 * Fuzz of the HTTP routes through the local gateway (JWT check, real handlers, real dynalite): hostile
 * room ids, bodies and query strings. Only 2xx or a typed 4xx may come back, never a 5xx, and exactly
 * the accepted sends are stored. Two-sided for POST: the model (amplify/security/frame-model.ts) decides which
 * requests are valid; every valid one is stored exactly (0 refused) and every invalid one is refused.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type Reply, type TestStack, type TestUser } from './testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, historyResponseSchema, httpErrorSchema, roomIdSchema, storeMessageResponseSchema } from '../../lib/protocol';
import { MESSAGES_TABLE } from '../chat/tables';
import { queryParameters } from './gateway/events';
import { PROTO_KEYS, anyBody, badSendFrame, oddText } from '../security/frame-arbitraries';
import { asReceived, isErrorCode, judgeBody } from '../security/frame-model';
import { fuzzOptions } from '../security/fuzz-options';

let stack: TestStack;
let users: Array<{ user: TestUser; token: string }>;
const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);
beforeAll(async () => {
  process.on('unhandledRejection', onCrash);
  stack = await startTestStack();
  // Several callers, so a per-user rate limit does not turn the run into refusals.
  users = await Promise.all(Array.from({ length: 10 }, async (_, n) => { const user = testUser(`Poster ${n}`); return { user, token: await stack.tokenFor(user) }; }));
  // The public rooms the valid requests post to (a send to a room that does not exist is refused with NOT_FOUND).
  const owner = await stack.tokenFor(testUser('Room owner'));
  await stack.api('/me/rooms', { token: owner }); // joins (and so creates) #general
  for (const name of EXISTING_ROOMS.filter((r) => r !== 'general')) {
    const reply = await stack.api('/rooms', { method: 'POST', token: owner, body: JSON.stringify({ name, visibility: 'public' }) });
    expect(reply.status, JSON.stringify(reply.json)).toBe(201);
  }
});
afterAll(async () => {
  process.off('unhandledRejection', onCrash);
  await stack?.stop();
});

/** Public rooms that exist for the run. */
const EXISTING_ROOMS = ['http-fuzz', 'general', 'a', 'x'.repeat(40)];

/** Room ids: valid slugs, near misses and hostile text (never '', '.' or '..', which are not one path segment). */
const roomId = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('http-fuzz', 'general', 'a', 'x'.repeat(40)) },
  { weight: 1, arbitrary: fc.constantFrom('HTTP-FUZZ', '-a', 'a-', 'x'.repeat(41), 'a b', 'a/b', '%2e%2e', ...PROTO_KEYS) },
  { weight: 1, arbitrary: oddText(20) },
).filter((id) => !['', '.', '..'].includes(id));
const pathOf = (room: string) => `/rooms/${encodeURIComponent(asReceived(room))}/messages`;
const isValidRoom = (room: string) => roomIdSchema.safeParse(asReceived(room)).success;

const CLIENT_MESSAGE_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** The text a POST must store, per the protocol, or undefined when the request must be refused. */
function expectedStored(room: string, raw: string): string | undefined {
  if (!isValidRoom(room)) return undefined;
  let request: unknown;
  try {
    request = JSON.parse(asReceived(raw));
  } catch {
    return undefined;
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return undefined;
  const { body, clientMessageId } = request as Record<string, unknown>;
  if (Object.hasOwn(request, 'clientMessageId') && !(typeof clientMessageId === 'string' && CLIENT_MESSAGE_ID.test(clientMessageId))) return undefined;
  const verdict = judgeBody(body);
  return verdict.ok ? verdict.stored : undefined;
}

/** A reply that is a 2xx, or a 4xx whose body is a typed protocol error (never INTERNAL, never a 5xx). */
function expectTypedAnswer(reply: Reply): void {
  expect(reply.status, JSON.stringify(reply.json)).toBeLessThan(500);
  if (reply.status < 400) return;
  const body = httpErrorSchema.parse(reply.json);
  expect(isErrorCode(body.error.code), body.error.code).toBe(true);
  expect(body.error.code).not.toBe(ErrorCode.Internal);
  expect(body.error.message.length).toBeGreaterThan(0);
}

const postBody = fc.oneof(
  // Any body text (valid or not, as the model judges it), with or without a well-formed clientMessageId.
  { weight: 8, arbitrary: fc.tuple(anyBody, fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), { nil: undefined })).map(([body, id]) => JSON.stringify({ body, clientMessageId: id })) },
  { weight: 4, arbitrary: oddText(80) },
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 6, arbitrary: badSendFrame.map((f) => JSON.stringify(f)) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(oddText(40), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 10 }))
      .map(([noise, core]) => JSON.stringify({ body: `${noise}${core}`, constructor: { prototype: { polluted: true } }, authorId: 'spoofed' })),
  },
  // Over the WebSocket frame cap, far under HTTP API's 10 MB: the body limit must still hold.
  { weight: 1, arbitrary: fc.integer({ min: 130_000, max: 300_000 }).map((n) => JSON.stringify({ body: 'y'.repeat(n) })) },
);

describe('local gateway HTTP routes under fuzz', () => {
  it('POST /rooms/{roomId}/messages answers any body with 2xx or a typed 4xx and stores exactly what it accepted', async () => {
    const before = (await stack.scan(MESSAGES_TABLE.envVar)).length;
    const accepted = new Set<string>();
    let runs = 0;
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(roomId, postBody, async (room, raw) => {
        runs++;
        // A fresh caller per request: the per-user rate limit is the one refusal that is not about the input.
        const user = testUser(`Poster ${runs}`);
        const reply = await stack.api(pathOf(room), { method: 'POST', token: await stack.tokenFor(user), body: raw });
        expectTypedAnswer(reply);
        // Valid input for a room that does not exist is refused too (NOT_FOUND): only existing rooms store.
        const stored = EXISTING_ROOMS.includes(asReceived(room)) ? expectedStored(room, raw) : undefined;
        if (stored === undefined) {
          expect(reply.status, `accepted an invalid request: ${raw.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
          return;
        }
        valid++;
        expect(reply.status, `refused a valid request (${JSON.stringify(reply.json)}): ${raw.slice(0, 200)}`).toBe(201);
        const { message } = storeMessageResponseSchema.parse(reply.json);
        expect(message).toMatchObject({ roomId: room, authorId: user.sub, authorName: user.preferred_username, body: stored });
        accepted.add(message.messageId);
      }),
      fuzzOptions(1_000),
    );
    console.log(`[fuzz] POST /rooms/{roomId}/messages: ${runs} requests, ${valid} valid, ${accepted.size} accepted`);
    expect(accepted.size).toBe(valid);
    expect(valid).toBeGreaterThan(100); // the mix really exercises the accepting side
    expect((await stack.scan(MESSAGES_TABLE.envVar)).length - before).toBe(accepted.size);
    expect(crashes).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 90_000);

  const queryValue = fc.oneof(fc.constantFrom('', '0', '1', '30', '100', '101', '-1', '1.5', '1e2', '0x10', ' 5 ', 'NaN', 'Infinity', '01ARZ3NDEKTSV4RRFFQ69G5FAV', '01arz3ndektsv4rrffq69g5fav', 'Z'.repeat(26)), oddText(30));
  const queryKey = fc.oneof(fc.constantFrom('limit', 'before', 'limit', 'before', ...PROTO_KEYS), oddText(8));
  const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 5 });

  it('GET /rooms/{roomId}/messages answers any query string with 2xx or a typed 4xx', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(roomId, query, async (room, pairs) => {
        const { token } = users[runs++ % users.length]!;
        const search = new URLSearchParams(pairs.map(([k, v]) => [asReceived(k), asReceived(v)]));
        const reply = await stack.api(`${pathOf(room)}?${search}`, { token });
        expectTypedAnswer(reply);
        if (reply.status < 300) expect(historyResponseSchema.parse(reply.json).messages.length).toBeLessThanOrEqual(100);
      }),
      fuzzOptions(1_000),
    );
    console.log(`[fuzz] GET /rooms/{roomId}/messages: ${runs} requests`);
    expect(crashes).toEqual([]);
  }, 90_000);

  it('passes query parameters as API Gateway does: every name an own key, repeats joined by ","', () => {
    let runs = 0;
    fc.assert(
      fc.property(query, (pairs) => {
        runs++;
        const search = new URLSearchParams(pairs.map(([k, v]) => [asReceived(k), asReceived(v)]));
        const parsed = queryParameters(search) ?? {};
        const names = [...new Set(search.keys())];
        expect(Object.keys(parsed).sort()).toEqual(names.sort());
        for (const name of names) expect(Object.getOwnPropertyDescriptor(parsed, name)?.value).toBe(search.getAll(name).join(','));
      }),
      fuzzOptions(1_000),
    );
    console.log(`[fuzz] gateway query parameters: ${runs} query strings`);
  });
});
