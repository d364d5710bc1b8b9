/**
 * subscribe() racing a removal, against real dynalite: the membership is checked, then the subscriptions are
 * written; a removal landing in between (here made to land exactly there, from inside the real DynamoDB client's
 * middleware) must take the fresh subscription with it, answered NOT_FOUND, while public rooms and the rooms still
 * theirs stay followed. A join landing there (the first room list joining `general` as the first subscribe runs) is
 * announced to the room by the subscribe. Also: the typing throttle remembers every socket and room, not only the
 * last one.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack, type TestUser } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, Paths } from '../../lib/protocol';
import { db } from './db';
import { removeMembership } from './memberships';
import { joinPublic } from './room-membership';
import { getRoom } from './rooms';
import { subscribe, typing } from './socket-rooms';
import { SUBSCRIPTIONS_TABLE } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const chatUser = (u: TestUser) => ({ userId: u.sub, displayName: u.preferred_username });
const rowsOf = async (connectionId: string) =>
  (await stack.scan(SUBSCRIPTIONS_TABLE.envVar)).filter((s) => s.connectionId === connectionId).map((s) => String(s.roomId)).sort();

/** Runs `change` (a removal, a join) once, just before the first batch write that puts a subscription row for `connectionId`. */
function whileSubscribing(connectionId: string, change: () => Promise<unknown>) {
  let done = false;
  const name = 'while-subscribing';
  db().middlewareStack.add(
    (next) => async (args) => {
      const items = (args.input as { RequestItems?: Record<string, { PutRequest?: { Item?: Record<string, unknown> } }[]> }).RequestItems ?? {};
      const puts = Object.values(items).flat().map((r) => r.PutRequest?.Item);
      if (!done && puts.some((item) => item?.connectionId === connectionId)) {
        done = true;
        await change();
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => db().middlewareStack.remove(name);
}

describe('subscribe racing a removal', () => {
  it('a private room removed between the check and the write is refused NOT_FOUND and leaves no row; the rest stay', async () => {
    const [owner, user] = [testUser('RaceOwner'), testUser('RaceUser')];
    const lost = await stack.privateRoom(owner, 'removed meanwhile');
    const kept = await stack.privateRoom(owner, 'still theirs');
    await stack.publicRoom(owner, 'race-public');
    expect((await stack.as(user, Paths.membership('race-public'), { method: 'PUT' })).status).toBe(200);
    for (const roomId of [lost, kept]) expect((await stack.as(owner, Paths.members(roomId), { method: 'POST', body: { userId: user.sub } })).status).toBeLessThan(300);
    const done = whileSubscribing('race-conn', () => removeMembership(lost, user.sub));
    try {
      const answer = await subscribe('race-conn', chatUser(user), [lost, kept, 'race-public']);
      expect(answer.roomIds).toEqual([kept, 'race-public']);
      expect(answer.refused.map((r) => [r.roomId, r.code])).toEqual([[lost, ErrorCode.NotFound]]);
      expect(await rowsOf('race-conn')).toEqual([kept, 'race-public'].sort());
    } finally {
      done();
    }
    // Nothing removed: every room followed, nothing refused.
    const again = await subscribe('race-conn-2', chatUser(user), [kept, 'race-public']);
    expect([again.roomIds, again.refused]).toEqual([[kept, 'race-public'], []]);
  });

  it("leaving a public room meanwhile does not refuse it (anyone may read a public room)", async () => {
    const [owner, user] = [testUser('RacePubOwner'), testUser('RacePubUser')];
    await stack.publicRoom(owner, 'race-pub-leave');
    expect((await stack.as(user, Paths.membership('race-pub-leave'), { method: 'PUT' })).status).toBe(200);
    const done = whileSubscribing('race-pub-conn', () => removeMembership('race-pub-leave', user.sub));
    try {
      const answer = await subscribe('race-pub-conn', chatUser(user), ['race-pub-leave']);
      expect([answer.roomIds, answer.refused]).toEqual([['race-pub-leave'], []]);
      expect(await rowsOf('race-pub-conn')).toEqual(['race-pub-leave']);
    } finally {
      done();
    }
  });
});

describe('subscribe racing a join', () => {
  it('a visitor who joins between the check and the write is announced to the room by the subscribe', async () => {
    const [owner, user] = [testUser('JoinRaceOwner'), testUser('JoinRaceUser')];
    const roomId = await stack.publicRoom(owner, 'race-join');
    const o = await stack.connect(owner, roomId);
    // The join finds no subscription yet (so it announces nothing); the subscribe must see the membership it missed.
    const done = whileSubscribing('race-join-conn', async () => joinPublic(chatUser(user), (await getRoom(roomId))!));
    try {
      const answer = await subscribe('race-join-conn', chatUser(user), [roomId]);
      expect([answer.roomIds, answer.refused]).toEqual([[roomId], []]);
    } finally {
      done();
    }
    expect(await o.next((f) => f.type === 'presenceDelta')).toEqual({ type: 'presenceDelta', roomId, joined: [chatUser(user)], left: [] });
    await o.settle();
    expect(o.pending().filter((f) => f.type === 'presenceDelta')).toEqual([]);
    await o.close();
  });
});

describe('typing throttle', () => {
  it("another socket's typing in between does not reset a socket's throttle", async () => {
    const ada = testUser('ThrAda');
    const roomId = await stack.publicRoom(ada, 'typing-many');
    const t0 = Date.now();
    expect(await typing('thr-a', chatUser(ada), roomId, t0)).toBe(true);
    expect(await typing('thr-b', chatUser(ada), roomId, t0 + 1)).toBe(true);
    expect(await typing('thr-a', chatUser(ada), roomId, t0 + 2)).toBe(false);
    expect(await typing('thr-b', chatUser(ada), roomId, t0 + 3)).toBe(false);
  });
});
