/**
 * Room limits against real dynalite, through the real HTTP routes: rooms per user (for the person acting and the
 * person being added) and members per private room. The state just below a limit is written directly (100 real
 * joins would only slow the test); the refusals go through the handlers, and each leaves nothing behind.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack, type TestUser } from '../local/testing';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, LIMITS, Paths } from '../../lib/protocol';
import { batchPut } from './db';
import { MEMBERSHIPS_TABLE, ROOMS_TABLE } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** Makes `user` a member of `count` made-up rooms (rows only). */
async function fillRooms(user: TestUser, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => ({
    roomId: `filler-${i}`,
    userId: user.sub,
    displayName: user.preferred_username,
    kind: 'public',
    role: 'member',
    joinedAt: new Date().toISOString(),
  }));
  await batchPut(stack.dynamo.tableNames[MEMBERSHIPS_TABLE.envVar]!, rows);
}
const memberIds = async (roomId: string) =>
  (await stack.scan(MEMBERSHIPS_TABLE.envVar)).filter((r) => r.roomId === roomId).map((r) => r.userId);

describe('room limits', () => {
  it(`refuses a ${LIMITS.roomsPerUser + 1}th room with TOO_MANY_ROOMS on join, create and first send; one below still works`, async () => {
    const [busy, host] = [testUser('Busy'), testUser('Host')];
    await stack.publicRoom(host, 'limit-hall');
    await stack.publicRoom(host, 'limit-hall-2');
    await fillRooms(busy, LIMITS.roomsPerUser - 1);
    expect((await stack.as(busy, Paths.membership('limit-hall'), { method: 'PUT' })).status).toBe(200);
    const join = await stack.as(busy, Paths.membership('limit-hall-2'), { method: 'PUT' });
    expect(join).toMatchObject({ status: 409, json: { error: { code: ErrorCode.TooManyRooms } } });
    expect(join.json.error.message).toMatch(/leave one/);
    expect((await stack.as(busy, Paths.rooms, { method: 'POST', body: { name: 'x', visibility: 'private' } })).json.error.code).toBe(ErrorCode.TooManyRooms);
    const send = await stack.as(busy, Paths.roomMessages('limit-hall-2'), { method: 'POST', body: { body: 'hi' } });
    expect(send.json.error.code).toBe(ErrorCode.TooManyRooms);
    expect(await memberIds('limit-hall-2')).toEqual([host.sub]);
    expect((await stack.as(busy, Paths.roomMessages('limit-hall-2'))).json.messages).toEqual([]);
  });

  it('refuses adding someone who is in too many rooms, naming them', async () => {
    const [owner, busy] = [testUser('Owner'), testUser('Busy Bee')];
    await stack.publicRoom(owner, 'limit-shared');
    expect((await stack.as(busy, Paths.membership('limit-shared'), { method: 'PUT' })).status).toBe(200);
    await fillRooms(busy, LIMITS.roomsPerUser - 1);
    const roomId = await stack.privateRoom(owner);
    const added = await stack.as(owner, Paths.members(roomId), { method: 'POST', body: { userId: busy.sub } });
    expect(added).toMatchObject({ status: 409, json: { error: { code: ErrorCode.TooManyRooms } } });
    expect(added.json.error.message).toContain('Busy Bee');
    expect(await memberIds(roomId)).toEqual([owner.sub]);
  });

  it(`refuses member ${LIMITS.membersPerPrivateRoom + 1} of a private room with ROOM_FULL and undoes the row`, async () => {
    const [owner, friend] = [testUser('Owner'), testUser('Friend')];
    await stack.publicRoom(owner, 'full-shared');
    expect((await stack.as(friend, Paths.membership('full-shared'), { method: 'PUT' })).status).toBe(200);
    const roomId = await stack.privateRoom(owner);
    await stack.docClient.send(
      new UpdateCommand({
        TableName: stack.dynamo.tableNames[ROOMS_TABLE.envVar],
        Key: { roomId },
        UpdateExpression: 'SET memberCount = :n',
        ExpressionAttributeValues: { ':n': LIMITS.membersPerPrivateRoom },
      }),
    );
    const added = await stack.as(owner, Paths.members(roomId), { method: 'POST', body: { userId: friend.sub } });
    expect(added).toMatchObject({ status: 409, json: { error: { code: ErrorCode.RoomFull } } });
    expect(await memberIds(roomId)).toEqual([owner.sub]);
    // One below the cap, the same add succeeds.
    await stack.docClient.send(
      new UpdateCommand({
        TableName: stack.dynamo.tableNames[ROOMS_TABLE.envVar],
        Key: { roomId },
        UpdateExpression: 'SET memberCount = :n',
        ExpressionAttributeValues: { ':n': LIMITS.membersPerPrivateRoom - 1 },
      }),
    );
    expect((await stack.as(owner, Paths.members(roomId), { method: 'POST', body: { userId: friend.sub } })).status).toBe(201);
  });
});
