import { describe, expect, it } from 'vitest';
import type { ChatMessage, MyRoom } from '../protocol';
import { RoomList } from './room-list';

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
