/**
 * ChatSession hearing the server's frames, on the real local stack: an outdated build is told to reload, refusals
 * are put into words (or kept on the message they belong to), a membership added by another tab turns an open preview into a member room, a read position set in the middle reloads exact counts,
 * an edit of a room's last message reaches the room list, and a person who sends stops "typing".
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { testUser } from '../../amplify/local/testing';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_QUERY, PROTOCOL_VERSION, Paths } from '../protocol';
import { until, useClientStack } from './client-stack';

const ctx = useClientStack();

/** The requests of a build one protocol version older than the server's minimum (the real server refuses them). */
const olderBuild: typeof fetch = (input, init) =>
  fetch(String(input).replace(`${PROTOCOL_QUERY}=${PROTOCOL_VERSION}`, `${PROTOCOL_QUERY}=${PROTOCOL_VERSION - 1}`), init);

describe('ChatSession and the frames it hears', () => {
  it('an outdated build is told to reload, not shown an error; a current one is not', async () => {
    const user = testUser('OldBuild');
    const old = await ctx.kit.tab(user, false, olderBuild);
    old.start();
    await until(() => old.outdated);
    expect(old.error).toBeUndefined();
    await until(() => old.client.status === 'closed'); // it stops trying: only a reload helps
    const current = await ctx.kit.tab(user);
    expect(current.outdated).toBe(false);
  });

  it('a refusal without a message (a malformed frame) is put into words; the room and the build stay', async () => {
    const [owner, visitor] = [testUser('RefOwner'), testUser('RefVisitor')];
    const roomId = await ctx.stack.publicRoom(owner, 'refusal-room');
    await ctx.kit.post(owner, roomId, 'hello');
    const v = await ctx.kit.tab(visitor);
    const general = v.open('general');
    await until(() => general.online.has(visitor.sub));
    // A malformed frame about the open room: BAD_FRAME in words; the room, its presence and the build stay.
    v.client.markRead('general', 'not a message id');
    await until(() => v.error !== undefined);
    expect(v.error).toMatch(/\S/);
    expect([v.outdated, v.client.subscriptions.includes('general'), v.room('general')]).toEqual([false, true, general]);

  });

  it('a refused send (a reply to a message of another room) stays on the message, not the session; the room is kept', async () => {
    const [owner, visitor] = [testUser('SendOwner'), testUser('SendVisitor')];
    const roomId = await ctx.stack.publicRoom(owner, 'refused-send');
    const elsewhere = (await ctx.kit.seededRoom('send-elsewhere', 'SendElse', 1)).ids[0]!;
    const owners = await ctx.kit.tab(owner);
    owners.open(roomId);
    const v = await ctx.kit.tab(visitor);
    const preview = v.open(roomId);
    await until(() => preview.access.state === 'preview' && preview.online.has(owner.sub));
    v.send(roomId, 'a reply to another room', elsewhere);
    await until(() => preview.outgoing.list().some((m) => m.error !== undefined));
    expect(v.error).toBeUndefined();
    expect([v.room(roomId), preview.online.has(owner.sub), v.client.subscriptions.includes(roomId)]).toEqual([preview, true, true]);
  });

  it('joined in another tab: an open preview becomes a member room at once, and what arrives in it is read', async () => {
    const [owner, visitor] = [testUser('AddOwner'), testUser('AddVisitor')];
    const roomId = await ctx.stack.publicRoom(owner, 'added-room');
    await ctx.kit.post(owner, roomId, 'before you came');
    const [v1, v2, other] = [await ctx.kit.tab(visitor), await ctx.kit.tab(visitor), await ctx.kit.tab(visitor)];
    const p1 = v1.open(roomId);
    const p2 = v2.open(roomId);
    await until(() => p1.access.state === 'preview' && p2.access.state === 'preview' && p1.feed.log.size === 1);
    // Each open tab reloads its list after the frame (it marks the room read then too): counted, to post after it.
    const reloads = [v1, v2].map((t) => {
      const original = t.api.myRooms;
      const seen = { answers: 0 };
      t.api.myRooms = async () => {
        const answer = await original();
        seen.answers++;
        return answer;
      };
      return seen;
    });
    await other.join(roomId);
    // The frame does both at once: wait on one, the other is already true.
    await until(() => p1.access.state === 'member');
    expect(v1.list.has(roomId)).toBe(true);
    await until(() => v2.list.has(roomId));
    expect(p2.access.state).toBe('member');
    await until(() => reloads.every((r) => r.answers > 0));
    // A new message in the open room is read there: the joining tab (not reading it) hears that from the server.
    await ctx.kit.post(owner, roomId, 'welcome');
    await until(() => p1.feed.log.size === 2 && other.list.get(roomId)?.lastMessage?.body === 'welcome');
    const welcome = p1.feed.log.newest()!.messageId;
    await until(() => other.list.get(roomId)?.membership.lastReadMessageId === welcome);
    expect(other.list.get(roomId)?.unread).toBe(0);
  });

  it('read up to a message in the middle (another tab): the counts are reloaded, exact', async () => {
    const [reader, writer] = [testUser('MidReader'), testUser('MidWriter')];
    const roomId = await ctx.stack.publicRoom(writer, 'middle-read');
    expect((await ctx.stack.as(reader, Paths.membership(roomId), { method: 'PUT' })).status).toBe(200);
    const r = await ctx.kit.tab(reader);
    for (let i = 0; i < 5; i++) await ctx.kit.post(writer, roomId, `m${i}`);
    await until(() => r.list.get(roomId)?.unread === 5);
    const other = await ctx.kit.tab(reader);
    expect(other.list.get(roomId)?.unread).toBe(5);
    const ids = (await other.api.getMessages(roomId)).messages.map((m) => m.messageId).sort();
    await other.api.markRead(roomId, ids[1]!);
    await until(() => r.list.get(roomId)?.unread === 3);
    expect(r.list.get(roomId)?.membership.lastReadMessageId).toBe(ids[1]);
  });

  it("an edit of a room's last message reaches the room list's preview; someone who sends stops typing", async () => {
    const [ada, bo] = [testUser('PrevAda'), testUser('PrevBo')];
    const roomId = await ctx.stack.publicRoom(ada, 'preview-edit');
    const a = await ctx.kit.tab(ada);
    const b = await ctx.kit.tab(bo);
    await b.join(roomId);
    a.open('general');
    b.open(roomId);
    await until(() => a.client.subscriptions.includes(roomId) && b.room(roomId)!.access.state === 'member');
    b.noteTyping(roomId);
    await until(() => a.typingIn(roomId).includes('PrevBo'));
    b.send(roomId, 'frist');
    await until(() => a.list.get(roomId)?.lastMessage?.body === 'frist');
    expect(a.typingIn(roomId)).toEqual([]); // gone with the message, not seconds later
    const sent = b.room(roomId)!.feed.log.list().at(-1)!;
    b.edit(roomId, sent.messageId, 'first');
    await until(() => a.list.get(roomId)?.lastMessage?.body === 'first');
  });
});
