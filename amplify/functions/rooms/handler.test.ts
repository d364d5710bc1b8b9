/**
 * The rooms HTTP routes through the local gateway with real handlers and dynalite: create (name/topic rules,
 * NAME_TAKEN, generated private ids), browse (public only, by activity, paged), join/leave, add/remove members,
 * DMs (one per pair), read position, mute, room info and members — each checked from both sides.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestStack, type TestUser, withoutRef } from '../../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorCode,
  LIMITS,
  Paths,
  browseRoomsResponseSchema,
  dmRoomId,
  membersResponseSchema,
  membershipResponseSchema,
  myRoomsResponseSchema,
  roomInfoResponseSchema,
  roomWithMembershipResponseSchema,
  type ChatMessage,
} from '../../../lib/protocol';
import { MEMBERSHIPS_TABLE, ROOMS_TABLE } from '../../chat/tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const create = (user: TestUser, body: unknown) => stack.as(user, Paths.rooms, { method: 'POST', body });
const say = async (user: TestUser, roomId: string, body: string): Promise<ChatMessage> => {
  const reply = await stack.as(user, Paths.roomMessages(roomId), { method: 'POST', body: { body } });
  expect(reply.status, JSON.stringify(reply.json)).toBe(201);
  return reply.json.message;
};
const myRooms = async (user: TestUser) => {
  const reply = await stack.as(user, Paths.myRooms);
  expect(reply.status).toBe(200);
  return myRoomsResponseSchema.parse(reply.json).rooms;
};
const membershipRows = async (roomId: string) => (await stack.scan(MEMBERSHIPS_TABLE.envVar)).filter((r) => r.roomId === roomId);
const roomRow = async (roomId: string) => (await stack.scan(ROOMS_TABLE.envVar)).find((r) => r.roomId === roomId);

describe('create', () => {
  it('creates a public room named by its slug with the creator as owner, and refuses the same name again', async () => {
    const [ann, ben] = [testUser('Ann'), testUser('Ben')];
    const reply = await create(ann, { name: 'team-news', topic: '  what is new  ', visibility: 'public' });
    expect(reply.status).toBe(201);
    const { room, membership } = roomWithMembershipResponseSchema.parse(reply.json);
    expect(room).toMatchObject({ roomId: 'team-news', kind: 'public', name: 'team-news', topic: 'what is new', memberCount: 1 });
    expect(membership).toMatchObject({ role: 'owner', lastReadMessageId: null, muted: false });
    const again = await create(ben, { name: 'team-news', visibility: 'public' });
    expect(again).toMatchObject({ status: 409, json: { error: { code: ErrorCode.NameTaken } } });
    expect(await membershipRows('team-news')).toHaveLength(1);
  });

  it('gives a private room a generated id; its name is display-only and may repeat without revealing anything', async () => {
    const [ann, ben] = [testUser('Ann'), testUser('Ben')];
    const first = await create(ann, { name: 'Launch Plans 🚀', visibility: 'private' });
    const second = await create(ben, { name: 'Launch Plans 🚀', visibility: 'private' });
    expect([first.status, second.status]).toEqual([201, 201]);
    const [a, b] = [first.json.room, second.json.room];
    expect(a.roomId).toMatch(/^p_[0-9a-z]{26}$/);
    expect(b.roomId).not.toBe(a.roomId);
    expect(a).toMatchObject({ kind: 'private', name: 'Launch Plans 🚀' });
    // Never in Browse.
    const browse = browseRoomsResponseSchema.parse((await stack.as(ann, `${Paths.rooms}?limit=100`)).json);
    expect(browse.rooms.map((r) => r.roomId)).not.toContain(a.roomId);
  });

  it.each([
    [{ name: 'Has Spaces', visibility: 'public' }, ErrorCode.BadRoomName],
    [{ name: 'x'.repeat(LIMITS.roomNameMaxChars + 1), visibility: 'private' }, ErrorCode.BadRoomName],
    [{ name: '   ', visibility: 'private' }, ErrorCode.BadRoomName],
    [{ name: 'bad\u202Ename', visibility: 'private' }, ErrorCode.BadRoomName],
    [{ name: 'ok-name', topic: 't'.repeat(LIMITS.topicMaxChars + 1), visibility: 'public' }, ErrorCode.BadTopic],
    [{ name: 'ok-name', topic: 'two\nlines', visibility: 'public' }, ErrorCode.BadTopic],
    [{ name: 'ok-name', visibility: 'secret' }, ErrorCode.BadRequest],
    [{ visibility: 'public' }, ErrorCode.BadRequest],
  ])('refuses %j with %s and creates nothing', async (body, code) => {
    const before = (await stack.scan(ROOMS_TABLE.envVar)).length;
    const reply = await create(testUser(), body);
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe(code);
    expect(reply.json.error.message.length).toBeGreaterThan(10);
    expect((await stack.scan(ROOMS_TABLE.envVar)).length).toBe(before);
  });

  it(`limits creation to ${LIMITS.roomCreateLimit} rooms per hour with RATE_LIMITED and a wait`, async () => {
    const maker = testUser('Maker');
    for (let i = 0; i < LIMITS.roomCreateLimit; i++) expect((await create(maker, { name: `r${i}`, visibility: 'private' })).status).toBe(201);
    const refused = await create(maker, { name: 'one-more', visibility: 'public' });
    expect(refused.status).toBe(429);
    expect(refused.json.error).toMatchObject({ code: ErrorCode.RateLimited, retryAfterMs: expect.any(Number) });
    expect(refused.json.error.message).toMatch(/per hour/);
    expect(await roomRow('one-more')).toBeUndefined();
    // Someone else is not affected.
    expect((await create(testUser(), { name: 'one-more', visibility: 'public' })).status).toBe(201);
  });
});

describe('browse, join, leave', () => {
  it('lists public rooms by last activity, paged, with member counts; join and leave move the count both ways', async () => {
    const [ann, ben] = [testUser('Ann'), testUser('Ben')];
    for (const name of ['browse-a', 'browse-b', 'browse-c']) expect((await create(ann, { name, topic: `about ${name}`, visibility: 'public' })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 5));
    await say(ann, 'browse-a', 'activity moves me up');
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const reply = await stack.as(ben, `${Paths.rooms}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(reply.status).toBe(200);
      const page = browseRoomsResponseSchema.parse(reply.json);
      expect(page.rooms.length).toBeLessThanOrEqual(2);
      all.push(...page.rooms.map((r) => r.roomId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(all).size).toBe(all.length);
    expect(all.indexOf('browse-a')).toBeLessThan(all.indexOf('browse-c'));
    expect(all.indexOf('browse-c')).toBeLessThan(all.indexOf('browse-b'));

    const joined = await stack.as(ben, Paths.membership('browse-b'), { method: 'PUT' });
    expect(joined.status).toBe(200);
    expect(joined.json.room.memberCount).toBe(2);
    expect((await stack.as(ben, Paths.membership('browse-b'), { method: 'PUT' })).json.room.memberCount).toBe(2); // idempotent
    expect((await roomRow('browse-b'))!.memberCount).toBe(2);
    expect((await stack.as(ben, Paths.membership('browse-b'), { method: 'DELETE' })).status).toBe(204);
    expect((await roomRow('browse-b'))!.memberCount).toBe(1);
    expect((await myRooms(ben)).map((r) => r.room.roomId)).not.toContain('browse-b');
  });

  it('refuses a forged cursor with BAD_REQUEST', async () => {
    const reply = await stack.as(testUser(), `${Paths.rooms}?cursor=${Buffer.from('{"roomId":{"S":"x"}}').toString('base64url')}`);
    expect(reply).toMatchObject({ status: 400, json: { error: { code: ErrorCode.BadRequest } } });
  });

  it('lets nobody join a private room or DM by themselves: the same NOT_FOUND as a missing room', async () => {
    const [owner, stranger] = [testUser('Owner'), testUser('Stranger')];
    const roomId = await stack.privateRoom(owner);
    const tried = await stack.as(stranger, Paths.membership(roomId), { method: 'PUT' });
    const missing = await stack.as(stranger, Paths.membership('p_01hzzzzzzzzzzzzzzzzzzzzzzz'), { method: 'PUT' });
    expect(tried.status).toBe(404);
    expect(withoutRef(tried.json)).toEqual(withoutRef(missing.json));
    expect((await membershipRows(roomId)).map((r) => r.userId)).toEqual([owner.sub]);
  });
});

describe('members', () => {
  it('lets a member add someone they share a room with; the added person sees it, a stranger cannot be added', async () => {
    const [owner, friend, stranger] = [testUser('Owner'), testUser('Friend'), testUser('Stranger')];
    await stack.publicRoom(owner, 'shared-hall');
    expect((await stack.as(friend, Paths.membership('shared-hall'), { method: 'PUT' })).status).toBe(200);
    const roomId = await stack.privateRoom(owner, 'Inner circle');
    const socket = await stack.connect(friend);
    socket.send({ action: 'subscribe', roomIds: ['shared-hall'] });
    await socket.next((f) => f.type === 'subscribed');

    const added = await stack.as(owner, Paths.members(roomId), { method: 'POST', body: { userId: friend.sub } });
    expect(added).toMatchObject({ status: 201, json: { member: { userId: friend.sub, displayName: 'Friend', role: 'member' } } });
    // The added person's open socket is told, with the room to subscribe to.
    expect(await socket.next((f) => f.type === 'membership')).toMatchObject({ type: 'membership', roomId, change: 'added', room: { name: 'Inner circle', kind: 'private' } });
    expect((await stack.as(owner, Paths.members(roomId), { method: 'POST', body: { userId: friend.sub } })).status).toBe(200); // already in
    const refused = await stack.as(owner, Paths.members(roomId), { method: 'POST', body: { userId: stranger.sub } });
    const unknown = await stack.as(owner, Paths.members(roomId), { method: 'POST', body: { userId: 'no-such-user' } });
    expect(refused).toMatchObject({ status: 404, json: { error: { code: ErrorCode.UserNotFound } } });
    expect(withoutRef(unknown.json)).toEqual(withoutRef(refused.json));
    const members = membersResponseSchema.parse((await stack.as(friend, Paths.members(roomId))).json);
    expect(members.members.map((m) => m.userId).sort()).toEqual([owner.sub, friend.sub].sort());
    expect((await roomRow(roomId))!.memberCount).toBe(2);
    await socket.close();
  });

  it('refuses a non-member adding people (NOT_FOUND for private, NOT_MEMBER for public), and adding to a DM', async () => {
    const [owner, outsider, friend] = [testUser('Owner'), testUser('Outsider'), testUser('Friend')];
    const roomId = await stack.privateRoom(owner);
    await stack.publicRoom(owner, 'open-door');
    expect((await stack.as(outsider, Paths.members(roomId), { method: 'POST', body: { userId: outsider.sub } })).status).toBe(404);
    expect((await stack.as(outsider, Paths.members('open-door'), { method: 'POST', body: { userId: owner.sub } })).json.error.code).toBe(ErrorCode.NotMember);
    expect((await stack.as(friend, Paths.membership('open-door'), { method: 'PUT' })).status).toBe(200);
    const dm = await stack.as(owner, Paths.dms, { method: 'POST', body: { userId: friend.sub } });
    const third = await stack.as(owner, Paths.members(dm.json.room.roomId), { method: 'POST', body: { userId: friend.sub } });
    expect(third).toMatchObject({ status: 403, json: { error: { code: ErrorCode.Forbidden } } });
    expect((await membershipRows(roomId)).map((r) => r.userId)).toEqual([owner.sub]);
  });

  it('removes a member of a private room: their open sockets stop receiving it at once and they lose all access', async () => {
    const [owner, member] = [testUser('Owner'), testUser('Member')];
    await stack.publicRoom(owner, 'removal-hall');
    expect((await stack.as(member, Paths.membership('removal-hall'), { method: 'PUT' })).status).toBe(200);
    const roomId = await stack.privateRoom(owner);
    expect((await stack.as(owner, Paths.members(roomId), { method: 'POST', body: { userId: member.sub } })).status).toBe(201);
    const [o, m1, m2] = [await stack.connect(owner, roomId), await stack.connect(member, roomId), await stack.connect(member, roomId)];
    await say(owner, roomId, 'before');
    for (const s of [m1, m2]) expect(await s.next((f) => f.type === 'message')).toMatchObject({ message: { body: 'before' } });

    expect((await stack.as(owner, Paths.member(roomId, member.sub), { method: 'DELETE' })).status).toBe(204);
    for (const s of [m1, m2]) expect(await s.next((f) => f.type === 'membership')).toEqual({ type: 'membership', roomId, change: 'removed' });
    await say(owner, roomId, 'after');
    await o.next((f) => f.type === 'message' && f.message.body === 'after');
    await Promise.all([m1.settle(), m2.settle()]);
    expect([...m1.pending(), ...m2.pending()].filter((f) => f.type === 'message')).toEqual([]);
    // History, send, subscribe, info, members, read: all the NOT_FOUND of a missing room.
    m1.send({ action: 'sendMessage', roomId, body: 'let me in' });
    expect(await m1.next((f) => f.type === 'error')).toMatchObject({ code: ErrorCode.NotFound, roomId });
    expect((await m1.subscribe([roomId])).refused).toEqual([{ roomId, code: ErrorCode.NotFound, message: expect.any(String) }]);
    for (const [path, method] of [[Paths.roomMessages(roomId), 'GET'], [Paths.room(roomId), 'GET'], [Paths.members(roomId), 'GET']] as const) {
      expect((await stack.as(member, path, { method })).status).toBe(404);
    }
    expect((await stack.as(member, Paths.read(roomId), { method: 'PUT', body: { messageId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' } })).status).toBe(404);
    expect((await roomRow(roomId))!.memberCount).toBe(1);
    await Promise.all([o, m1, m2].map((s) => s.close()));
  });

  it('refuses removing others from a public room or a DM (FORBIDDEN); removing yourself is leaving', async () => {
    const [ann, ben] = [testUser('Ann'), testUser('Ben')];
    await stack.publicRoom(ann, 'no-kicks');
    expect((await stack.as(ben, Paths.membership('no-kicks'), { method: 'PUT' })).status).toBe(200);
    expect((await stack.as(ann, Paths.member('no-kicks', ben.sub), { method: 'DELETE' })).json.error.code).toBe(ErrorCode.Forbidden);
    expect((await stack.as(ben, Paths.member('no-kicks', ben.sub), { method: 'DELETE' })).status).toBe(204);
    expect((await membershipRows('no-kicks')).map((r) => r.userId)).toEqual([ann.sub]);
  });
});

describe('DMs', () => {
  it('gives two people exactly one DM, whoever opens it, named after the other person', async () => {
    const [ann, ben, cat] = [testUser('Ann'), testUser('Ben'), testUser('Cat')];
    await stack.publicRoom(ann, 'dm-hall');
    expect((await stack.as(ben, Paths.membership('dm-hall'), { method: 'PUT' })).status).toBe(200);
    const first = await stack.as(ann, Paths.dms, { method: 'POST', body: { userId: ben.sub } });
    const again = await Promise.all([
      stack.as(ben, Paths.dms, { method: 'POST', body: { userId: ann.sub } }),
      stack.as(ann, Paths.dms, { method: 'POST', body: { userId: ben.sub } }),
    ]);
    expect(first.status).toBe(201);
    for (const r of again) expect(r.status).toBe(200);
    const roomId = dmRoomId(ann.sub, ben.sub);
    expect(first.json).toMatchObject({ room: { roomId, kind: 'dm', name: 'Ben', memberCount: 2 }, peer: { userId: ben.sub, displayName: 'Ben' } });
    expect(again[0]!.json).toMatchObject({ room: { roomId, name: 'Ann' } });
    expect((await membershipRows(roomId)).length).toBe(2);
    // Only the two see it.
    await say(ben, roomId, 'psst');
    expect((await stack.as(cat, Paths.roomMessages(roomId))).status).toBe(404);
    expect((await stack.as(cat, Paths.dms, { method: 'POST', body: { userId: ann.sub } })).json.error.code).toBe(ErrorCode.UserNotFound);
    expect((await stack.as(ann, Paths.dms, { method: 'POST', body: { userId: ann.sub } })).json.error.code).toBe(ErrorCode.Forbidden);
    const annRooms = await myRooms(ann);
    expect(annRooms.find((r) => r.room.roomId === roomId)).toMatchObject({ room: { kind: 'dm', name: 'Ben' }, unread: 1, peer: { userId: ben.sub } });
  });
});

describe('read position, mute, unread and mentions', () => {
  it('counts others\' unread messages and mentions after the read position, exact up to 99 then 100 ("99+")', async () => {
    const [ann, ben] = [testUser('Ann'), testUser('Ben')];
    await stack.publicRoom(ann, 'unread-room');
    const m1 = await say(ben, 'unread-room', 'one');
    await say(ben, 'unread-room', `hey <@${ann.sub}>`);
    await say(ann, 'unread-room', 'my own never counts');
    const last = await say(ben, 'unread-room', 'three');
    const entry = (await myRooms(ann)).find((r) => r.room.roomId === 'unread-room')!;
    expect(entry).toMatchObject({ unread: 3, mentions: 1, lastMessage: { messageId: last.messageId, body: 'three', authorName: 'Ben' } });
    // Ben's own three never count for him; Ann's one does.
    expect((await myRooms(ben)).find((r) => r.room.roomId === 'unread-room')).toMatchObject({ unread: 1, mentions: 0 });

    const read = await stack.as(ann, Paths.read('unread-room'), { method: 'PUT', body: { messageId: m1.messageId } });
    expect(membershipResponseSchema.parse(read.json).membership.lastReadMessageId).toBe(m1.messageId);
    expect((await myRooms(ann)).find((r) => r.room.roomId === 'unread-room')).toMatchObject({ unread: 2, mentions: 1 });
    expect((await stack.as(ann, Paths.read('unread-room'), { method: 'PUT', body: { messageId: last.messageId } })).status).toBe(200);
    // Never backwards.
    expect((await stack.as(ann, Paths.read('unread-room'), { method: 'PUT', body: { messageId: m1.messageId } })).json.membership.lastReadMessageId).toBe(last.messageId);
    expect((await myRooms(ann)).find((r) => r.room.roomId === 'unread-room')).toMatchObject({ unread: 0, mentions: 0, lastMessage: { body: 'three' } });

    const senders = Array.from({ length: 6 }, (_, i) => testUser(`S${i}`));
    for (let i = 0; i < LIMITS.unreadCountCap + 1; i++) await say(senders[i % senders.length]!, 'unread-room', `bulk ${i}`);
    expect((await myRooms(ann)).find((r) => r.room.roomId === 'unread-room')!.unread).toBe(LIMITS.unreadCountCap + 1);
  }, 60_000);

  it('syncs the read position and mute to every socket of the user, and refuses non-members', async () => {
    const [ann, outsider] = [testUser('Ann'), testUser('Out')];
    const [tab1, tab2] = [await stack.connect(ann, 'sync-room'), await stack.connect(ann, 'sync-room')];
    const m = await say(ann, 'sync-room', 'read me');
    tab1.send({ action: 'markRead', roomId: 'sync-room', messageId: m.messageId });
    for (const tab of [tab1, tab2]) {
      expect(await tab.next((f) => f.type === 'readState')).toEqual({ type: 'readState', roomId: 'sync-room', lastReadMessageId: m.messageId, muted: false });
    }
    expect((await stack.as(ann, Paths.mute('sync-room'), { method: 'PUT', body: { muted: true } })).json.membership.muted).toBe(true);
    for (const tab of [tab1, tab2]) expect(await tab.next((f) => f.type === 'readState')).toMatchObject({ muted: true });
    expect((await myRooms(ann)).find((r) => r.room.roomId === 'sync-room')!.membership.muted).toBe(true);

    expect((await stack.as(outsider, Paths.mute('sync-room'), { method: 'PUT', body: { muted: true } })).json.error.code).toBe(ErrorCode.NotMember);
    expect((await stack.as(outsider, Paths.read('no-such-room'), { method: 'PUT', body: { messageId: m.messageId } })).json.error.code).toBe(ErrorCode.NotFound);
    expect((await stack.as(ann, Paths.read('sync-room'), { method: 'PUT', body: { messageId: 'nope' } })).json.error.code).toBe(ErrorCode.BadRequest);
    await Promise.all([tab1, tab2].map((s) => s.close()));
  });
});

describe('my rooms and room info', () => {
  it('joins a user with no rooms to general, sorts by last activity, and previews the newest message', async () => {
    const newcomer = testUser('Newcomer');
    const rooms = await myRooms(newcomer);
    expect(rooms.map((r) => r.room.roomId)).toEqual(['general']);
    expect(rooms[0]!.membership.role).toBe('member');
    expect((await myRooms(newcomer)).length).toBe(1); // not joined twice
    const roomId = await stack.privateRoom(newcomer, 'Later');
    await say(newcomer, roomId, 'newest activity');
    expect((await myRooms(newcomer)).map((r) => r.room.roomId)).toEqual([roomId, 'general']);
  });

  it('answers room info: membership null for a public room not joined, NOT_FOUND for private rooms of others', async () => {
    const [owner, visitor] = [testUser('Owner'), testUser('Visitor')];
    await stack.publicRoom(owner, 'info-room');
    expect(roomInfoResponseSchema.parse((await stack.as(visitor, Paths.room('info-room'))).json)).toMatchObject({ room: { roomId: 'info-room' }, membership: null });
    const secret = await stack.privateRoom(owner);
    expect((await stack.as(owner, Paths.room(secret))).json.membership.role).toBe('owner');
    const hidden = await stack.as(visitor, Paths.room(secret));
    expect(hidden.status).toBe(404);
    expect(withoutRef(hidden.json)).toEqual(withoutRef((await stack.as(visitor, Paths.room('nothing-here'))).json));
    expect((await stack.as(visitor, Paths.room('Bad Room'))).json.error.code).toBe(ErrorCode.BadRoom);
  });
});
