/**
 * ChatSession opening rooms and keeping "my rooms" true, on the real local stack: the divider and read position on
 * open (and in a hidden tab), the first history page sized to reach the first unread message, a room opened by a
 * link before anything loaded, list answers that arrive too late to apply, rooms lost while not on screen, and
 * the people and members the tab reads.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { testUser, type TestUser } from '../../amplify/local/testing';
import { describe, expect, it } from 'vitest';
import { batchPut } from '../../amplify/chat/db';
import { MEMBERSHIPS_TABLE } from '../../amplify/chat/tables';
import { LIMITS, Paths } from '../protocol';
import type { ChatSession } from './chat-session';
import { until, useClientStack } from './client-stack';

const ctx = useClientStack();

/**
 * A public room of `writer` where `reader` has read `read` seeded messages and has `unread` newer ones (seeded
 * straight into the table, `stepMs` apart); the id of the last read message and of the first unread one.
 */
async function unreadRoom(roomId: string, reader: TestUser, writer: TestUser, read: number, unread: number, stepMs = 1) {
  await ctx.stack.publicRoom(writer, roomId);
  const old = await ctx.kit.seed(roomId, read, Date.now() - 2 * (read + unread) * stepMs - 60_000, 'Seeder', stepMs);
  expect((await ctx.stack.as(reader, Paths.membership(roomId), { method: 'PUT' })).status).toBe(200); // read up to the newest
  const fresh = await ctx.kit.seed(roomId, unread, Date.now() - (unread + 1) * stepMs - 1_000, 'Seeder', stepMs);
  return { lastRead: old.at(-1)!, firstUnread: fresh[0]!, fresh };
}

/** Makes `a` and `b` share a public room (DMs and adding people need one). */
async function share(a: TestUser, b: TestUser, roomId: string) {
  await ctx.stack.publicRoom(a, roomId);
  expect((await ctx.stack.as(b, Paths.membership(roomId), { method: 'PUT' })).status).toBe(200);
}

/** Records the rooms `session` tells the server it read (socket frames). */
function readFrames(session: ChatSession): string[] {
  const rooms: string[] = [];
  const original = session.client.markRead.bind(session.client);
  session.client.markRead = (roomId, messageId) => (rooms.push(roomId), original(roomId, messageId));
  return rooms;
}

describe('ChatSession opening rooms', () => {
  it('opens at the read position: the divider after it, member at once, read when on screen; a read room sends nothing', async () => {
    const [reader, writer] = [testUser('OpReader'), testUser('OpWriter')];
    const { lastRead } = await unreadRoom('open-divider', reader, writer, 2, 3);
    const r = await ctx.kit.tab(reader);
    expect(r.list.get('open-divider')?.unread).toBe(3);
    const reads = readFrames(r);
    const room = r.open('open-divider');
    expect([room.access.state, room.dividerAfter]).toEqual(['member', lastRead]);
    await until(() => room.feed.log.size === 5 && r.list.get('open-divider')?.unread === 0);
    // The server has it (the read frame goes out without an answer to wait for, so the server is asked until it does).
    const unreadOnServer = async () =>
      ((await ctx.stack.as(reader, Paths.myRooms)).json.rooms as { room: { roomId: string }; unread: number }[]).find((e) => e.room.roomId === 'open-divider')?.unread;
    await until(async () => (await unreadOnServer()) === 0);
    expect(reads.filter((id) => id === 'open-divider')).toHaveLength(1);

    r.open('general');
    await ctx.kit.post(writer, 'open-divider', 'while you were away');
    await until(() => r.list.get('open-divider')?.unread === 1 && room.feed.log.size === 6);
    r.open('open-divider');
    expect(r.list.get('open-divider')?.unread).toBe(0); // the cached log is on screen: read at once
    expect(room.dividerAfter).toBe(room.feed.log.list().at(-2)!.messageId);
    r.open('general');
    r.open('open-divider');
    expect(room.dividerAfter).toBeUndefined();
    expect(reads.filter((id) => id === 'open-divider')).toHaveLength(2); // reopening a read room sends nothing
  });

  it('a hidden tab does not mark read; showing it does; Esc marks read even when hidden and drops the divider', async () => {
    const [reader, writer] = [testUser('HidReader'), testUser('HidWriter')];
    await unreadRoom('hidden-read', reader, writer, 1, 2);
    const r = await ctx.kit.tab(reader);
    r.setVisible(false);
    const room = r.open('hidden-read');
    await until(() => room.feed.log.size === 3);
    expect(r.list.get('hidden-read')?.unread).toBe(2);
    r.markRead(true);
    expect([r.list.get('hidden-read')?.unread, room.dividerAfter]).toEqual([0, undefined]);
    await ctx.kit.post(writer, 'hidden-read', 'still hidden');
    await until(() => room.feed.log.size === 4 && r.list.get('hidden-read')?.unread === 1);
    r.setVisible(true);
    expect(r.list.get('hidden-read')?.unread).toBe(0);
  });

  it('the first page reaches the first unread message and no further; more than a page opens at the read position', async () => {
    const [reader, writer] = [testUser('PgReader'), testUser('PgWriter')];
    const some = await unreadRoom('page-sixty', reader, writer, 10, 60);
    const many = await unreadRoom('page-many', reader, writer, 10, 150);
    const r = await ctx.kit.tab(reader);
    const room = r.open('page-sixty');
    await until(() => room.feed.log.size > 0);
    expect(room.feed.log.size).toBe(61); // the 60 unread and the read one before them, in one page
    expect(room.feed.log.list()[0]!.messageId).toBe(some.lastRead);
    const big = r.open('page-many');
    await until(() => big.feed.log.has(many.firstUnread));
    expect(big.feed.log.has(many.fresh.at(-1)!)).toBe(false); // the newest are a "load newer" away
  });

  it('the first list arriving after the room opened (sign-in, a link) lands on the first unread when the first page cannot', async () => {
    const [reader, writer] = [testUser('LateReader'), testUser('LateWriter')];
    // Seconds apart: the read-back's overlap with the newest page (gap-fill) does not reach older messages.
    const near = await unreadRoom('late-near', reader, writer, 40, LIMITS.historyDefaultLimit, 2_000);
    const far = await unreadRoom('late-far', reader, writer, 40, LIMITS.historyDefaultLimit + 1, 2_000);
    for (const [roomId, seeded] of [['late-near', near], ['late-far', far]] as const) {
      const r = await ctx.kit.tab(reader, false);
      r.start();
      const room = r.open(roomId); // before "my rooms" answered
      await until(() => r.list.loaded && room.feed.log.has(seeded.firstUnread));
      expect(room.dividerAfter).toBe(seeded.lastRead);
    }
  });

  it('a list answer from before a leave is not applied but asked again; the first list is shown even so', async () => {
    const [user, owner] = [testUser('StaleUser'), testUser('StaleOwner')];
    await ctx.stack.publicRoom(owner, 'stale-leave');
    expect((await ctx.stack.as(user, Paths.membership('stale-leave'), { method: 'PUT' })).status).toBe(200);
    const t = await ctx.kit.tab(user);
    const original = t.api.myRooms;
    const answers: Array<() => void> = [];
    let asked = 0;
    // Each answer is read from the server at once, then held until the test lets it through.
    t.api.myRooms = async () => {
      const answer = await original();
      asked++;
      await new Promise<void>((resolve) => answers.push(resolve));
      return answer;
    };
    const stale = t.refresh();
    await until(() => asked === 1);
    await t.leave('stale-leave');
    answers.shift()!();
    await stale;
    expect(t.list.has('stale-leave')).toBe(false);
    await until(() => asked === 2); // asked again
    answers.shift()!();
    await until(() => t.list.get('general') !== undefined && answers.length === 0);

    // A tab whose first answer predates a join shows that list at once (and asks again).
    const fresh = await ctx.kit.tab(user, false);
    const first = fresh.api.myRooms;
    let held = 0;
    const release: Array<() => void> = [];
    fresh.api.myRooms = async () => {
      const answer = await first();
      held++;
      await new Promise<void>((resolve) => release.push(resolve));
      return answer;
    };
    fresh.start();
    await until(() => held === 1);
    await fresh.join('stale-leave');
    release.shift()!();
    await until(() => fresh.list.loaded);
    expect(fresh.list.has('general')).toBe(true);
    await until(() => held === 2);
    release.shift()!();
  });

  it('a list answer after sign-out is not applied', async () => {
    const t = await ctx.kit.tab(testUser('ClosedUser'), false);
    t.start();
    t.close();
    await t.refresh();
    expect(t.list.loaded).toBe(false);
  });
});

describe('ChatSession rooms by link and rooms lost', () => {
  it('a room opened by a link before anything loaded: a DM is named after the other person, a private room is theirs', async () => {
    const [ada, bo] = [testUser('LinkAda'), testUser('LinkBo')];
    await share(ada, bo, 'link-shared');
    const a = await ctx.kit.tab(ada);
    const dm = await a.directMessage(bo.sub);
    const secret = await ctx.stack.privateRoom(bo, 'by link');
    const b = await ctx.kit.tab(bo, false);
    const dmRoom = b.open(dm);
    await until(() => dmRoom.access.state === 'member');
    expect([b.displayName(dm), b.nameOf(ada.sub), b.list.has(dm)]).toEqual(['LinkAda', 'LinkAda', true]);
    const privateRoom = b.open(secret);
    await until(() => privateRoom.access.state === 'member');
    expect(b.list.has(secret)).toBe(true);
  });

  it('a room not found is asked about once if private, again on each open if public (it may be created)', async () => {
    const [owner, other] = [testUser('AskOwner'), testUser('AskOther')];
    const secret = await ctx.stack.privateRoom(owner, 'ask once');
    const o = await ctx.kit.tab(other);
    const asked: string[] = [];
    const original = o.api.roomInfo;
    o.api.roomInfo = (roomId) => (asked.push(roomId), original(roomId));
    const count = (roomId: string) => asked.filter((id) => id === roomId).length;
    // Opened again while on screen (a room left is forgotten once its refusals arrive, and then asked about afresh).
    const hidden = o.open(secret);
    await until(() => hidden.access.state === 'not-found' && !o.client.subscriptions.includes(secret));
    expect(o.open(secret)).toBe(hidden);
    expect(count(secret)).toBe(1);
    const missing = o.open('not-yet-a-room');
    await until(() => missing.access.state === 'not-found');
    const before = count('not-yet-a-room');
    expect(o.open('not-yet-a-room')).toBe(missing);
    expect(count('not-yet-a-room')).toBe(before + 1);
  });

  it('a room the server cannot be asked about stays loading, with the problem in words', async () => {
    const down: typeof fetch = async (input, init) => {
      if (String(input).includes('/rooms/unreachable')) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    const t = await ctx.kit.tab(testUser('DownUser'), true, down);
    const room = t.open('unreachable');
    await until(() => t.error !== undefined);
    expect(t.error).toMatch(/could not be reached/);
    expect(room.access.state).toBe('loading');
  });

  it('rooms lost while not on screen are dropped (opened before or never), the open one stays', async () => {
    const [owner, member] = [testUser('GoneOwner'), testUser('GoneMember')];
    await share(owner, member, 'gone-shared');
    const o = await ctx.kit.tab(owner);
    const [seen, unseen] = [await o.create({ name: 'Seen', topic: '', visibility: 'private' }), await o.create({ name: 'Unseen', topic: '', visibility: 'private' })];
    await o.addMember(seen, member.sub);
    await o.addMember(unseen, member.sub);
    const m = await ctx.kit.tab(member);
    await until(() => m.list.has(seen) && m.list.has(unseen));
    m.open(seen);
    const general = m.open('general');
    await o.removeMember(seen, member.sub);
    await o.removeMember(unseen, member.sub);
    // Told by a membership frame, or (removed while this socket's subscriptions were on their way) by their refusal.
    await until(() => !m.list.has(seen) && !m.list.has(unseen));
    expect([m.room(seen), m.room(unseen), m.room('general')]).toEqual([undefined, undefined, general]);
    expect(m.client.subscriptions).not.toContain(seen);
    expect(m.lastEditable(unseen)).toBeUndefined();
  });
});

describe('ChatSession people', () => {
  it("the people the tab knows include members of rooms not opened, sorted by name; an open room's members are not read again", async () => {
    const [owner, zed, amy] = [testUser('KnOwner'), testUser('KnZed'), testUser('KnAmy')];
    const roomId = await ctx.stack.publicRoom(owner, 'known-people');
    for (const u of [zed, amy]) expect((await ctx.stack.as(u, Paths.membership(roomId), { method: 'PUT' })).status).toBe(200);
    await ctx.stack.publicRoom(owner, 'known-open');
    const o = await ctx.kit.tab(owner);
    o.open('known-open');
    await o.loadMembers('known-open');
    const reads: string[] = [];
    const original = o.api.members;
    o.api.members = (id, options) => (reads.push(id), original(id, options));
    o.learn({ userId: zed.sub, displayName: 'KnZed' }); // met first: the order is by name, not by meeting
    const known = await o.knownPeople();
    const names = known.map((p) => p.displayName);
    expect(names.indexOf('KnAmy')).toBeGreaterThanOrEqual(0);
    expect(names.indexOf('KnAmy')).toBeLessThan(names.indexOf('KnZed'));
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));
    expect(reads).toContain(roomId);
    expect(reads).not.toContain('known-open');
  });

  it('members for mentions: every page up to five (500 people), following the cursor', async () => {
    const owner = testUser('FivePages');
    const roomId = await ctx.stack.publicRoom(owner, 'five-pages');
    const joined = Array.from({ length: 5 * LIMITS.listPageMax + 20 }, (_, i) => ({ userId: `five-${String(i).padStart(4, '0')}`, displayName: `F${i}` }));
    await batchPut(ctx.stack.dynamo.tableNames[MEMBERSHIPS_TABLE.envVar]!, joined.map((u) => ({ roomId, ...u, kind: 'public', role: 'member', joinedAt: new Date().toISOString() })));
    const t = await ctx.kit.tab(owner);
    const members = await t.loadMembers(roomId);
    expect(members).toHaveLength(5 * LIMITS.listPageMax);
    expect(new Set(members.map((m) => m.userId)).size).toBe(5 * LIMITS.listPageMax);
    const small = await ctx.stack.publicRoom(owner, 'two-pages');
    await batchPut(ctx.stack.dynamo.tableNames[MEMBERSHIPS_TABLE.envVar]!, joined.slice(0, 150).map((u) => ({ roomId: small, ...u, kind: 'public', role: 'member', joinedAt: new Date().toISOString() })));
    expect(await t.loadMembers(small)).toHaveLength(151);
  });
});
