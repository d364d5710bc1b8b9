/** GET /rooms/{roomId}/messages through the local gateway: newest first, cursor paging, strict query checks. */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack, withoutRef } from '../../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, LIMITS, Paths, historyResponseSchema, type ChatMessage } from '../../../lib/protocol';

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.tokenFor(testUser('Historian'));
});
afterAll(() => stack?.stop());

/**
 * Posts `count` messages to `room` in order, through the real HTTP route; returns them oldest first. Each
 * call posts as a fresh user, so the per-user send limit never shapes a history test.
 */
async function post(room: string, count: number): Promise<ChatMessage[]> {
  const historian = testUser('Historian');
  await stack.publicRoom(historian, room);
  const author = await stack.tokenFor(historian);
  const sent: ChatMessage[] = [];
  for (let i = 0; i < count; i++) {
    const reply = await stack.api(Paths.roomMessages(room), { method: 'POST', token: author, body: { body: `message ${i}` } });
    expect(reply.status).toBe(201);
    sent.push(reply.json.message);
  }
  return sent;
}

async function page(room: string, query: string) {
  const reply = await stack.api(`${Paths.roomMessages(room)}?${query}`, { token });
  expect(reply.status).toBe(200);
  return historyResponseSchema.parse(reply.json);
}

describe('get-messages', () => {
  it('pages newest first with limit/before and returns every message exactly once', async () => {
    const sent = await post('history', 8);
    await post('history-other', 2);
    const seen: ChatMessage[] = [];
    const cursors: Array<string | null> = [];
    let before: string | null = null;
    do {
      const result = await page('history', `limit=3${before ? `&before=${before}` : ''}`);
      seen.push(...result.messages);
      cursors.push(result.nextBefore);
      before = result.nextBefore;
    } while (before);

    expect(cursors).toHaveLength(3);
    expect(cursors[2]).toBeNull();
    expect(seen).toEqual([...sent].reverse());
  });

  it('knows there is no older page when the last page is exactly full', async () => {
    await post('exact', 6);
    const first = await page('exact', 'limit=3');
    expect(first.nextBefore).toBe(first.messages[2]!.messageId);
    const second = await page('exact', `limit=3&before=${first.nextBefore}`);
    expect(second.messages).toHaveLength(3);
    expect(second.nextBefore).toBeNull();
  });

  it(`defaults to ${LIMITS.historyDefaultLimit} messages and answers an empty room with no messages`, async () => {
    const sent = await post('defaults', 3);
    expect((await page('defaults', '')).messages).toEqual([...sent].reverse());
    await stack.publicRoom(testUser(), 'empty-room');
    // changeSeq: the room's change order when read (no edits, deletes or reactions yet).
    expect(await page('empty-room', '')).toEqual({ messages: [], nextBefore: null, changeSeq: 0 });
  });

  it.each(['limit=0', 'limit=-1', `limit=${LIMITS.historyMaxLimit + 1}`, 'limit=abc', 'limit=1.5', 'before=not-a-ulid'])(
    'answers 400 BAD_REQUEST for %s',
    async (query) => {
      const reply = await stack.api(`${Paths.roomMessages('history')}?${query}`, { token });
      expect(reply.status).toBe(400);
      expect(reply.json.error.code).toBe(ErrorCode.BadRequest);
    },
  );

  it('answers 400 BAD_ROOM for an invalid room and 401 without a token', async () => {
    const badRoom = await stack.api('/rooms/UPPER/messages', { token });
    expect(badRoom).toMatchObject({ status: 400, json: { error: { code: ErrorCode.BadRoom } } });
    const anonymous = await stack.api(Paths.roomMessages('history'));
    expect(anonymous).toMatchObject({ status: 401, json: { message: 'Unauthorized' } });
  });

  it('with after= returns only what a cached room is missing, paging with before until nextBefore is null', async () => {
    const sent = await post('history-after', 7);
    const after = sent[1]!.messageId;
    const first = await page('history-after', `limit=3&after=${after}`);
    expect(first.messages.map((m) => m.body)).toEqual(['message 6', 'message 5', 'message 4']);
    const second = await page('history-after', `limit=3&after=${after}&before=${first.nextBefore}`);
    expect(second.messages.map((m) => m.body)).toEqual(['message 3', 'message 2']);
    expect(second.nextBefore).toBeNull();
    expect((await page('history-after', `after=${sent[6]!.messageId}`)).messages).toEqual([]);
  });

  it('shows a private room only to its members: a stranger gets the very reply of a room that does not exist', async () => {
    const [owner, stranger] = [testUser('Owner'), testUser('Stranger')];
    const roomId = await stack.privateRoom(owner);
    const said = await stack.as(owner, Paths.roomMessages(roomId), { method: 'POST', body: { body: 'for members' } });
    expect(said.status).toBe(201);
    expect((await stack.as(owner, Paths.roomMessages(roomId))).json.messages.map((m: ChatMessage) => m.body)).toEqual(['for members']);
    const hidden = await stack.as(stranger, Paths.roomMessages(roomId));
    const missing = await stack.as(stranger, Paths.roomMessages('p_01hzzzzzzzzzzzzzzzzzzzzzzz'));
    const missingPublic = await stack.as(stranger, Paths.roomMessages('no-such-room'));
    expect(hidden.status).toBe(404);
    expect(withoutRef(hidden.json)).toEqual({ error: { code: ErrorCode.NotFound, message: expect.any(String) } });
    expect({ status: missing.status, json: withoutRef(missing.json) }).toEqual({ status: hidden.status, json: withoutRef(hidden.json) });
    expect({ status: missingPublic.status, json: withoutRef(missingPublic.json) }).toEqual({ status: hidden.status, json: withoutRef(hidden.json) });
  });
});
