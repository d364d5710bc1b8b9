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

  it('clears counts when read up to the last message, asks for a reload when read to the middle', () => {
    const list = new RoomList(ME);
    list.replace([entry('general', 'public', '2026-01-01T00:00:00Z')]);
    for (let n = 1; n <= 3; n++) list.onMessage(msg('general', n), false);
    expect(list.onReadState({ roomId: 'general', lastReadMessageId: id(2), muted: false })).toBe('reload');
    expect(list.get('general')!.unread).toBe(3);
    expect(list.onReadState({ roomId: 'general', lastReadMessageId: id(3), muted: true })).toBe('exact');
    expect(list.get('general')).toMatchObject({ unread: 0, mentions: 0, membership: { lastReadMessageId: id(3), muted: true } });
    // Never backwards: an older position from a slow tab does not bring counts back.
    expect(list.onReadState({ roomId: 'general', lastReadMessageId: id(1), muted: true })).toBe('exact');
    expect(list.get('general')!.membership.lastReadMessageId).toBe(id(3));
    list.onMessage(msg('general', 4), false);
    expect(list.get('general')!.unread).toBe(1);
    expect(list.onReadState({ roomId: 'nope', lastReadMessageId: id(1), muted: false })).toBe('unknown');
  });
});
