import { describe, expect, it } from 'vitest';
import { PREVIEW_MAX_CHARS, type ChatMessage, type MessagePreview, type MyRoom } from '../protocol';
import { freshMembership, previewOf, RoomList, roomName } from './room-list';

const ME = 'me-1';
const id = (n: number) => `01J00000000000000000000${String(n).padStart(3, '0')}`;
const msg = (roomId: string, n: number, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  roomId,
  messageId: id(n),
  authorId: 'other',
  authorName: 'Other',
  body: `message ${n}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  ...extra,
});
const entry = (roomId: string, kind: MyRoom['room']['kind'], lastActivityAt: string, extra: Partial<MyRoom> = {}): MyRoom => ({
  room: { roomId, kind, name: roomId, topic: '', memberCount: 2, createdAt: lastActivityAt, lastActivityAt },
  membership: { role: 'member', joinedAt: lastActivityAt, lastReadMessageId: null, muted: false },
  unread: 0,
  mentions: 0,
  lastMessage: null,
  ...extra,
});

describe('RoomList', () => {
  it('sorts rooms and DMs into sections by last activity', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:01Z'), entry('dm_a_b', 'dm', '2026-01-01T00:00:09Z'), entry('p_x', 'private', '2026-01-01T00:00:05Z')]);
    expect(list.sections().rooms.map((e) => e.room.roomId)).toEqual(['p_x', 'general']);
    expect(list.order()).toEqual(['p_x', 'general', 'dm_a_b']);
    list.onMessage(msg('general', 20), false);
    expect(list.order()).toEqual(['general', 'p_x', 'dm_a_b']);
  });

  it('counts messages from others (and mentions of me) unless seen or my own; caps at the server\'s 99+ value', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    list.onMessage(msg('general', 1), false);
    list.onMessage(msg('general', 2, { mentions: [ME] }), false);
    list.onMessage(msg('general', 3, { authorId: ME }), false);
    list.onMessage(msg('general', 4), true);
    list.onMessage(msg('general', 2), false); // an older/duplicate id changes nothing
    expect(list.get('general')).toMatchObject({ unread: 2, mentions: 1, lastMessage: { messageId: id(4) } });
    for (let n = 5; n < 200; n++) list.onMessage(msg('general', n), false);
    expect(list.get('general')!.unread).toBe(100);
    expect(list.onMessage(msg('elsewhere', 1), false)).toBe(false);
  });

  it('clears counts when read up to the last message; read to the middle is exact for live messages, a reload for a server count', () => {
    const server = new RoomList(ME);
    const preview = { messageId: id(3), authorId: 'other', authorName: 'Other', body: 'message 3', createdAt: '2026-01-01T00:00:03Z' };
    server.replace([entry('general', 'public', '2026-01-01T00:00:03Z', { unread: 3, lastMessage: preview })]);
    expect(server.onReadState({ roomId: 'general', lastReadMessageId: id(2), muted: false })).toBe('reload');
    expect(server.get('general')!.unread).toBe(3); // shown until the reload says better

    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    for (let n = 1; n <= 3; n++) list.onMessage(msg('general', n), false);
    expect(list.onReadState({ roomId: 'general', lastReadMessageId: id(2), muted: false })).toBe('exact');
    expect(list.get('general')!.unread).toBe(1);
    expect(list.onReadState({ roomId: 'general', lastReadMessageId: id(3), muted: true })).toBe('exact');
    expect(list.get('general')).toMatchObject({ unread: 0, mentions: 0, membership: { lastReadMessageId: id(3), muted: true } });
    // Never backwards: an older position from a slow tab does not bring counts back.
    expect(list.onReadState({ roomId: 'general', lastReadMessageId: id(1), muted: true })).toBe('exact');
    expect(list.get('general')!.membership.lastReadMessageId).toBe(id(3));
    list.onMessage(msg('general', 4), false);
    expect(list.get('general')!.unread).toBe(1);
    expect(list.onReadState({ roomId: 'nope', lastReadMessageId: id(1), muted: false })).toBe('unknown');
  });

  it('counts frames that arrive out of order once each; a late duplicate changes nothing', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    list.onMessage(msg('general', 3), false);
    list.onMessage(msg('general', 2, { mentions: [ME] }), false); // older than the preview: still unread
    list.onMessage(msg('general', 1), false);
    list.onMessage(msg('general', 2), false);
    expect(list.get('general')).toMatchObject({ unread: 3, mentions: 1, lastMessage: { messageId: id(3) } });
  });

  it('a reload never loses a message it had not seen, nor counts twice one it had', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    list.onMessage(msg('general', 1), false);
    list.onMessage(msg('general', 2), false);
    // The server counted up to message 1 (message 2 was stored after it counted).
    list.replace([entry('general', 'public', '2026-01-01T00:00:01Z', { unread: 1, mentions: 0, lastMessage: { messageId: id(1), authorId: 'other', authorName: 'Other', body: 'message 1', createdAt: '2026-01-01T00:00:01Z' } })]);
    expect(list.get('general')!.unread).toBe(2);
    // A late frame of message 1 (already in the server's count) and a new message 3.
    list.onMessage(msg('general', 1), false);
    list.onMessage(msg('general', 3), false);
    expect(list.get('general')!.unread).toBe(3);
    expect(list.onReadState({ roomId: 'general', lastReadMessageId: id(3), muted: false })).toBe('exact');
    expect(list.get('general')!.unread).toBe(0);
    list.onMessage(msg('general', 2), false); // a very late frame from before the read position
    expect(list.get('general')!.unread).toBe(0);
  });

  it('counts local membership and read changes (a reload in flight across one is stale)', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    const v0 = list.version;
    list.onMessage(msg('general', 1), false);
    expect(list.version).toBe(v0); // messages are merged, not a reason to re-read
    list.onReadState({ roomId: 'general', lastReadMessageId: id(1), muted: false });
    const v1 = list.version;
    expect(v1).toBeGreaterThan(v0);
    list.onReadState({ roomId: 'general', lastReadMessageId: id(1), muted: false }); // the echo of our own read
    expect(list.version).toBe(v1);
    list.remove('general');
    expect(list.version).toBeGreaterThan(v1);
  });

  it('flags a live message it cannot place exactly (id not above the server count\'s newest) for a reload', () => {
    const list = new RoomList(ME);
    const preview = { messageId: id(5), authorId: 'other', authorName: 'Other', body: 'message 5', createdAt: '2026-01-01T00:00:05Z' };
    list.replace([entry('general', 'public', '2026-01-01T00:00:05Z', { unread: 1, lastMessage: preview })]);
    list.onMessage(msg('general', 6), false);
    expect(list.uncertain).toBe(false);
    list.onMessage(msg('general', 4), false); // stored late: the server may or may not have counted it
    expect(list.uncertain).toBe(true);
    expect(list.get('general')!.unread).toBe(2);
  });
});

/** The preview the server sends for message n. */
const preview = (n: number, extra: Partial<MessagePreview> = {}): MessagePreview => ({ messageId: id(n), authorId: 'other', authorName: 'Other', body: `message ${n}`, createdAt: msg('r', n).createdAt, ...extra });

describe('RoomList: helpers', () => {
  it('a fresh membership is a plain member with nothing read, not muted, joined now', () => {
    expect(freshMembership(new Date('2026-02-03T04:05:06.000Z'))).toEqual({ role: 'member', joinedAt: '2026-02-03T04:05:06.000Z', lastReadMessageId: null, muted: false });
  });

  it('a preview keeps the first PREVIEW_MAX_CHARS characters, never half an emoji', () => {
    const long = previewOf(msg('general', 1, { body: '😀'.repeat(PREVIEW_MAX_CHARS + 5) }));
    expect(long.body).toBe('😀'.repeat(PREVIEW_MAX_CHARS));
  });

  it('names a DM after the other person (its own name until they are known), other rooms by their name', () => {
    const dm = entry('dm_a_b', 'dm', '2026-01-01T00:00:00Z');
    const peer = { userId: 'b', displayName: 'Bea' } as NonNullable<MyRoom['peer']>;
    expect(roomName({ ...dm, peer })).toBe('Bea');
    expect(roomName(dm)).toBe('dm_a_b');
    expect(roomName({ ...entry('general', 'public', '2026-01-01T00:00:00Z'), peer })).toBe('general');
  });
});

describe('RoomList: membership changes', () => {
  it('is not loaded until the first list arrives', () => {
    const list = new RoomList(ME);
    expect(list.loaded).toBe(false);
    list.replace([]);
    expect(list.loaded).toBe(true);
  });

  it('adds a joined room with a fresh membership and no counts, and counts its messages from then on', () => {
    const list = new RoomList(ME);
    list.replace([]);
    const v0 = list.version;
    list.upsert(entry('general', 'public', '2026-01-01T00:00:00Z').room, null);
    expect(list.version).toBe(v0 + 1);
    expect(list.has('general')).toBe(true);
    expect(list.has('other')).toBe(false);
    expect(list.ids()).toEqual(['general']);
    const added = list.get('general')!;
    expect(added).toStrictEqual({ room: added.room, membership: { ...freshMembership(), joinedAt: added.membership.joinedAt }, unread: 0, mentions: 0, lastMessage: null });
    expect(list.onMessage(msg('general', 1), false)).toBe(true);
    expect(list.get('general')!.unread).toBe(1);
  });

  it('an update of a room keeps its membership, counts, preview and DM peer unless given new ones', () => {
    const list = new RoomList(ME);
    list.replace([]);
    const owner = { role: 'owner' as const, joinedAt: '2026-01-01T00:00:00Z', lastReadMessageId: null, muted: false };
    const peer = { userId: 'b', displayName: 'Bea' } as NonNullable<MyRoom['peer']>;
    const room = entry('dm_a_b', 'dm', '2026-01-01T00:00:00Z').room;
    list.upsert(room, owner, peer);
    expect(list.get('dm_a_b')).toMatchObject({ membership: owner, peer });
    list.onMessage(msg('dm_a_b', 1), false);
    list.onMessage(msg('dm_a_b', 2, { mentions: [ME] }), false);
    list.upsert({ ...room, topic: 'renamed' }, null); // a summary change (membership frame without a membership)
    expect(list.get('dm_a_b')).toMatchObject({ room: { topic: 'renamed' }, membership: owner, peer, unread: 2, mentions: 1, lastMessage: { messageId: id(2) } });
    list.onMessage(msg('dm_a_b', 3), false); // counting goes on from the same counts
    expect(list.get('dm_a_b')).toMatchObject({ unread: 3, mentions: 1 });
    // A room without a peer gets no peer field at all.
    list.upsert(entry('general', 'public', '2026-01-01T00:00:00Z').room, null);
    expect(list.get('general')).not.toHaveProperty('peer');
  });
});

describe('RoomList: live messages in detail', () => {
  it('reports a change for every message that moves the preview or a count, and none for one that does not', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    expect(list.onMessage(msg('general', 2), false)).toBe(true);
    expect(list.onMessage(msg('general', 2), false)).toBe(false); // the same frame again (e.g. a broadcast after the ack)
    expect(list.onMessage(msg('general', 1), false)).toBe(true); // older, but a new unread one
    expect(list.onMessage(msg('general', 1), false)).toBe(false);
    expect(list.onMessage(msg('general', 3, { authorId: ME }), false)).toBe(true); // my own: preview only
    expect(list.get('general')).toMatchObject({ unread: 2, lastMessage: { messageId: id(3), authorId: ME } });
  });

  it('does not count a message at or before the read position (read elsewhere before its frame came)', () => {
    const list = new RoomList(ME);
    // The server's preview lags its read position (read up to 5, newest counted message 3).
    list.replace([entry('general', 'public', '2026-01-01T00:00:03Z', { lastMessage: preview(3), membership: { role: 'member', joinedAt: 'x', lastReadMessageId: id(5), muted: false } })]);
    list.onMessage(msg('general', 4), false);
    list.onMessage(msg('general', 5), false);
    expect(list.get('general')).toMatchObject({ unread: 0, lastMessage: { messageId: id(5) } });
    list.onMessage(msg('general', 6), false);
    expect(list.get('general')!.unread).toBe(1);
    expect(list.uncertain).toBe(false);
  });

  it('activity never goes back: a newer message stamped earlier (clock skew) keeps the later time', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T01:00:00.000Z')]);
    list.onMessage(msg('general', 5), false); // createdAt 00:00:05
    expect(list.get('general')!.room.lastActivityAt).toBe('2026-01-01T01:00:00.000Z');
    list.onMessage(msg('general', 6, { createdAt: '2026-01-01T02:00:00.000Z' }), false);
    expect(list.get('general')!.room.lastActivityAt).toBe('2026-01-01T02:00:00.000Z');
  });
});

describe('RoomList: reloads keep exactly the live messages the server had not counted', () => {
  it('keeps those above the server\'s newest message, drops those it counted', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    for (let n = 1; n <= 3; n++) list.onMessage(msg('general', n), false);
    list.replace([entry('general', 'public', '2026-01-01T00:00:01Z', { unread: 1, lastMessage: preview(1) })]);
    expect(list.get('general')!.unread).toBe(3); // 1 counted by the server + 2 and 3
  });

  it('a server that had stored nothing yet: every live message still counts', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    list.onMessage(msg('general', 1), false);
    list.onMessage(msg('general', 2), false);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    expect(list.get('general')!.unread).toBe(2);
  });

  it('drops those at or before the read position the reload brings', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    for (let n = 1; n <= 4; n++) list.onMessage(msg('general', n), false);
    // Counted up to 1; read up to 3 (on another device): of the live ones only 4 is unread.
    list.replace([entry('general', 'public', '2026-01-01T00:00:01Z', { unread: 0, lastMessage: preview(1), membership: { role: 'member', joinedAt: 'x', lastReadMessageId: id(3), muted: false } })]);
    expect(list.get('general')!.unread).toBe(1);
  });
});

describe('RoomList: edits and deletes of the last message', () => {
  it('an edit of the last message updates the preview; unknown rooms, rooms without messages and other messages do not', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:02Z', { lastMessage: preview(2) }), entry('empty', 'public', '2026-01-01T00:00:00Z')]);
    expect(list.onChanged(msg('general', 2, { body: 'edited', rev: 1 }))).toBe(true);
    expect(list.get('general')!.lastMessage).toMatchObject({ messageId: id(2), body: 'edited' });
    expect(list.onChanged(msg('general', 1, { body: 'edited too', rev: 1 }))).toBe(false);
    expect(list.get('general')!.lastMessage!.body).toBe('edited');
    expect(list.onChanged(msg('empty', 1, { body: 'x', rev: 1 }))).toBe(false);
    expect(list.onChanged(msg('nowhere', 1, { body: 'x', rev: 1 }))).toBe(false);
    expect(list.get('empty')!.lastMessage).toBeNull();
  });

  it('a reload answered before a live message or a delete keeps the newer preview; newer server answers win', () => {
    const list = new RoomList(ME);
    const at = '2026-01-01T00:00:02Z';
    list.replace([entry('general', 'public', at, { lastMessage: preview(2) }), entry('quiet', 'public', at)]);
    list.onMessage(msg('general', 3), false);
    list.replace([entry('general', 'public', at, { lastMessage: preview(2) }), entry('quiet', 'public', at)]); // stale
    expect(list.get('general')!.lastMessage).toEqual(preview(3));
    list.onChanged(msg('general', 3, { body: '', deletedAt: '2026-01-01T00:01:00Z', rev: 1 }));
    list.replace([entry('general', 'public', at, { lastMessage: preview(3) }), entry('quiet', 'public', at)]); // stale
    expect(list.get('general')!.lastMessage).toEqual(preview(3, { body: '', deleted: true }));
    // The server's answer wins when it is newer: a later message; the same one edited (not deleted here); a first one.
    list.replace([entry('general', 'public', at, { lastMessage: preview(4) }), entry('quiet', 'public', at, { lastMessage: preview(1) })]);
    expect(list.get('general')!.lastMessage).toEqual(preview(4));
    expect(list.get('quiet')!.lastMessage).toEqual(preview(1));
    list.replace([entry('general', 'public', at, { lastMessage: preview(4, { body: 'edited' }) }), entry('quiet', 'public', at, { lastMessage: preview(1) })]);
    expect(list.get('general')!.lastMessage!.body).toBe('edited');
    expect(list.get('quiet')!.lastMessage).toEqual(preview(1));
  });

  it('a delete of a last message whose preview was already empty (older server) still marks it deleted', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:02Z', { lastMessage: preview(2, { body: '' }) })]);
    expect(list.onChanged(msg('general', 2, { body: '', deletedAt: '2026-01-01T00:01:00Z', rev: 1 }))).toBe(true);
    expect(list.get('general')!.lastMessage).toMatchObject({ body: '', deleted: true });
  });
});

describe('RoomList: read state in detail', () => {
  it('a frame without a read position never forgets the one known', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    list.onMessage(msg('general', 1), false);
    list.onReadState({ roomId: 'general', lastReadMessageId: id(1), muted: false });
    expect(list.onReadState({ roomId: 'general', lastReadMessageId: null, muted: false })).toBe('exact');
    expect(list.get('general')!.membership.lastReadMessageId).toBe(id(1));
  });

  it('muting alone is a local change (a reload in flight is stale)', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    const v0 = list.version;
    list.onReadState({ roomId: 'general', lastReadMessageId: null, muted: true });
    expect(list.version).toBe(v0 + 1);
    expect(list.get('general')!.membership.muted).toBe(true);
  });

  it('reading to the middle of a server count asks for a reload; of live messages only, or not moving, is exact', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:03Z', { unread: 3, lastMessage: preview(3), membership: { role: 'member', joinedAt: 'x', lastReadMessageId: id(1), muted: false } })]);
    expect(list.onReadState({ roomId: 'general', lastReadMessageId: id(1), muted: true })).toBe('exact'); // mute only
    expect(list.onReadState({ roomId: 'general', lastReadMessageId: id(2), muted: true })).toBe('reload');
    expect(list.onReadState({ roomId: 'general', lastReadMessageId: id(3), muted: true })).toBe('exact');
    expect(list.get('general')).toMatchObject({ unread: 0, mentions: 0 });
  });

  it('after reading everything, a message it cannot place (at or below the newest counted) is flagged, a newer one counted', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    for (let n = 1; n <= 3; n++) list.onMessage(msg('general', n), false);
    // Read up to 5 elsewhere (4 and 5 not received here yet): everything known is read.
    expect(list.onReadState({ roomId: 'general', lastReadMessageId: id(5), muted: false })).toBe('exact');
    // A membership frame brings the stored (older) read position: the count's boundary stays at 5.
    list.upsert(list.get('general')!.room, { role: 'member', joinedAt: 'x', lastReadMessageId: id(3), muted: false });
    list.onMessage(msg('general', 4), false);
    expect(list.uncertain).toBe(true);
    list.uncertain = false;
    list.onMessage(msg('general', 6), false);
    expect(list.uncertain).toBe(false);
    expect(list.get('general')!.unread).toBe(1);
  });

  it('the count\'s boundary never moves back when a membership frame brings an older stored read position', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    for (let n = 1; n <= 3; n++) list.onMessage(msg('general', n), false);
    list.onReadState({ roomId: 'general', lastReadMessageId: id(5), muted: false }); // read to 5 elsewhere
    list.upsert(list.get('general')!.room, { role: 'member', joinedAt: 'x', lastReadMessageId: id(3), muted: false });
    // Reading everything known again (up to 3) keeps the boundary at 5: message 4 may be in a server count.
    expect(list.onReadState({ roomId: 'general', lastReadMessageId: id(3), muted: false })).toBe('exact');
    list.onMessage(msg('general', 4), false);
    expect(list.uncertain).toBe(true);
    expect(list.get('general')!.unread).toBe(0);
  });

  it('reading everything moves the boundary up to the read position', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:01Z', { unread: 1, lastMessage: preview(1) })]);
    list.onMessage(msg('general', 2), false);
    list.onMessage(msg('general', 3), false);
    list.onReadState({ roomId: 'general', lastReadMessageId: id(3), muted: false });
    // A membership frame with the stored (older) read position, then a late frame of message 2: it was read and
    // is at or below the boundary (3), so it is not counted again but flagged for a reload.
    list.upsert(list.get('general')!.room, { role: 'member', joinedAt: 'x', lastReadMessageId: id(1), muted: false });
    list.onMessage(msg('general', 2), false);
    expect(list.uncertain).toBe(true);
    expect(list.get('general')!.unread).toBe(0);
  });
});
