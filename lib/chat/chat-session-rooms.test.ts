/**
 * ChatSession's rooms against the real local stack: who is online (pages and deltas), previews of public rooms
 * (followed only while open), rooms that do not exist or are not the person's, join / leave / create / DM / mute,
 * members and the people the tab knows, a room's display name, and problems put into words.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { testUser } from '../../amplify/local/testing';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../protocol';
import { until, useClientStack } from './client-stack';

const ctx = useClientStack();

const names = (map: Map<string, { displayName: string }>) => [...map.values()].map((u) => u.displayName).sort();

describe('ChatSession rooms', () => {
  it("who is online: the room's page on open, then arrivals and departures as they happen", async () => {
    const [ada, bo, cy] = [testUser('OnAda'), testUser('OnBo'), testUser('OnCy')];
    const roomId = await ctx.stack.publicRoom(ada, 'online-room');
    const a = await ctx.kit.tab(ada);
    a.open(roomId);
    await until(() => a.room(roomId)!.online.has(ada.sub));
    const b = await ctx.kit.tab(bo);
    await b.join(roomId);
    await until(() => a.room(roomId)!.online.has(bo.sub));
    const c = await ctx.kit.tab(cy);
    await c.join(roomId);
    await until(() => a.room(roomId)!.online.size === 3);
    expect(names(a.room(roomId)!.online)).toEqual(['OnAda', 'OnBo', 'OnCy']);
    expect(a.nameOf(cy.sub)).toBe('OnCy'); // learnt from presence
    c.close();
    await until(() => !a.room(roomId)!.online.has(cy.sub));
    expect(names(a.room(roomId)!.online)).toEqual(['OnAda', 'OnBo']);
    // Opened later, another tab reads the page of who is there now.
    const late = await ctx.kit.tab(bo);
    late.open(roomId);
    await until(() => late.room(roomId)!.online.size === 2 && !late.room(roomId)!.online.has(cy.sub));
  });

  it('a public room not joined is a preview (readable, Join), followed only while open; joining makes it a member room', async () => {
    const [owner, visitor] = [testUser('PrevOwner'), testUser('PrevVisitor')];
    const roomId = await ctx.stack.publicRoom(owner, 'preview-room');
    await ctx.kit.post(owner, roomId, 'hello visitors');
    const v = await ctx.kit.tab(visitor);
    const room = v.open(roomId);
    expect(room.access).toEqual({ state: 'loading' });
    await until(() => room.access.state === 'preview' && room.feed.log.size === 1);
    expect(v.displayName(roomId)).toBe('preview-room');
    expect(v.list.has(roomId)).toBe(false);
    expect(v.client.subscriptions).toContain(roomId);
    // Left: not the person's room, so not followed any more.
    v.open('general');
    expect(v.room(roomId)).toBeUndefined();
    expect(v.client.subscriptions).not.toContain(roomId);

    const again = v.open(roomId);
    await until(() => again.access.state === 'preview');
    await v.join(roomId);
    expect(again.access.state).toBe('member');
    expect(v.list.get(roomId)?.unread).toBe(0); // joined while reading it: read
    v.open('general');
    expect(v.room(roomId)).toBe(again); // a member room stays cached
    expect(v.client.subscriptions).toContain(roomId);
  });

  it('a room that does not exist, or is private and not theirs, is not-found (the same words either way)', async () => {
    const [owner, other] = [testUser('NfOwner'), testUser('NfOther')];
    const secret = await ctx.stack.privateRoom(owner, 'not yours');
    const o = await ctx.kit.tab(other);
    const missing = o.open('no-such-room');
    await until(() => missing.access.state === 'not-found');
    const hidden = o.open(secret);
    await until(() => hidden.access.state === 'not-found');
    expect(o.displayName(secret)).toBe(secret); // no name leaks
    expect(o.error).toBeUndefined();
  });

  it('leave: gone from the list; the open public room falls back to a preview, a private one to not-found', async () => {
    const [owner, member] = [testUser('LvOwner'), testUser('LvMember')];
    const roomId = await ctx.stack.publicRoom(owner, 'leave-room');
    const m = await ctx.kit.tab(member);
    await m.join(roomId);
    const ownerTab = await ctx.kit.tab(owner);
    const secret = await ownerTab.create({ name: 'Inner circle', topic: '', visibility: 'private' });
    expect(ownerTab.list.get(secret)?.room.name).toBe('Inner circle');
    expect(ownerTab.client.subscriptions).toContain(secret);
    await ownerTab.addMember(secret, member.sub); // they share leave-room
    await until(() => m.list.has(secret));

    const room = m.open(roomId);
    await until(() => room.access.state === 'member');
    await m.leave(roomId);
    expect(m.list.has(roomId)).toBe(false);
    await until(() => room.access.state === 'preview');
    expect(m.room(roomId)).toBe(room);

    const inner = m.open(secret);
    await until(() => inner.access.state === 'member');
    await m.leave(secret);
    expect(inner.access.state).toBe('not-found');
    expect(inner.online.size).toBe(0);
  });

  it('a DM with someone: created once, named after them on both sides, their name learnt', async () => {
    const [ada, bo] = [testUser('DmAda'), testUser('DmBo')];
    const a = await ctx.kit.tab(ada);
    const b = await ctx.kit.tab(bo);
    const dm = await a.directMessage(bo.sub);
    expect(await a.directMessage(bo.sub)).toBe(dm);
    expect(a.displayName(dm)).toBe('DmBo');
    expect(a.nameOf(bo.sub)).toBe('DmBo');
    expect(a.client.subscriptions).toContain(dm);
    a.open(dm);
    a.send(dm, 'psst');
    await until(() => b.list.get(dm)?.unread === 1);
    expect(b.displayName(dm)).toBe('DmAda');
  });

  it('mute: the list says so at once; members and the people the tab knows come from the member lists', async () => {
    const [owner, ann, bea] = [testUser('MuOwner'), testUser('MuAnn'), testUser('MuBea')];
    const roomId = await ctx.stack.publicRoom(owner, 'mute-room');
    for (const u of [ann, bea]) expect((await ctx.stack.as(u, `/rooms/${roomId}/membership`, { method: 'PUT' })).status).toBe(200);
    const o = await ctx.kit.tab(owner);
    await o.setMuted(roomId, true);
    expect(o.list.get(roomId)?.membership.muted).toBe(true);
    await o.setMuted(roomId, false);
    expect(o.list.get(roomId)?.membership.muted).toBe(false);

    const room = o.open(roomId);
    const members = await o.loadMembers(roomId);
    expect(members.map((m) => m.displayName).sort()).toEqual(['MuAnn', 'MuBea', 'MuOwner']);
    expect(room.members).toBe(members);
    const known = await o.knownPeople();
    expect(known.map((p) => p.displayName)).toEqual(expect.arrayContaining(['MuAnn', 'MuBea']));
    expect(known.some((p) => p.userId === owner.sub)).toBe(false);
    expect(known.map((p) => p.displayName)).toEqual([...known.map((p) => p.displayName)].sort((x, y) => x.localeCompare(y)));
  });

  it('problems in words: a refused join, a reply whose original is gone, dismissed on request', async () => {
    const [owner, other] = [testUser('ErrOwner'), testUser('ErrOther')];
    const secret = await ctx.stack.privateRoom(owner, 'closed');
    const o = await ctx.kit.tab(other);
    await expect(o.join(secret)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    const roomId = await ctx.stack.publicRoom(owner, 'err-room');
    const elsewhere = (await ctx.kit.seededRoom('err-elsewhere', 'ErrElse', 2)).ids[0]!;
    o.open(roomId);
    expect(await o.jumpTo(roomId, elsewhere)).toBe(false);
    expect(o.room(roomId)!.target).toBeUndefined();
    expect(o.error).toMatch(/not in this room any more/);
    let renders = 0;
    const off = o.subscribe(() => renders++);
    o.dismissError();
    off();
    expect([o.error, renders]).toEqual([undefined, 1]);
    o.report('Something to say');
    expect(o.error).toBe('Something to say');
  });

  it('typing in a room that is not theirs sends nothing; closing stops every feed and the socket', async () => {
    const [owner, visitor] = [testUser('TyOwner'), testUser('TyVisitor')];
    const roomId = await ctx.stack.publicRoom(owner, 'typing-preview');
    const v = await ctx.kit.tab(visitor);
    v.open(roomId);
    let frames = 0;
    const original = v.client.typing.bind(v.client);
    v.client.typing = (id: string) => (frames++, original(id));
    v.noteTyping(roomId);
    v.noteTyping('general');
    expect(frames).toBe(1); // general only: the preview is not theirs
    v.close();
    expect(v.client.status).toBe('closed');
    expect(v.client.stats.sockets).toBe(1);
  });
});
