/**
 * User text — display names, message bodies, room names, topics, previews — renders as escaped text in every
 * component that shows it, never as markup. Rendered to static HTML with the real components and a real
 * ChatSession (its API answers from memory; nothing connects).
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ChatApi } from '../../lib/api';
import { ChatSession } from '../../lib/chat/chat-session';
import type { ChatMessage, MyRoom } from '../../lib/protocol';
import { ChatRoom } from '../chat/chat-room';
import { MessageItem } from '../chat/message-item';
import { PersonActionsContext } from '../chat/person-name';
import { QuickSwitcher } from './quick-switcher';
import { RoomSidebar } from './room-sidebar';

const EVIL = '<img src=x onerror="alert(1)">';
const ESCAPED = '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;';
const noRawMarkup = (html: string) => {
  expect(html).not.toContain('<img');
  expect(html).not.toMatch(/<script/i);
};

const message: ChatMessage = {
  roomId: 'general',
  messageId: '01J00000000000000000000001',
  authorId: 'author-1',
  authorName: `Mallory ${EVIL}`,
  body: `hello ${EVIL} <@friend-1>`,
  createdAt: '2026-01-01T00:00:00.000Z',
  mentions: ['friend-1'],
};

describe('user text is escaped', () => {
  it('message author, body and mentioned names (including behind "Send direct message")', () => {
    const html = renderToStaticMarkup(
      createElement(
        PersonActionsContext.Provider,
        { value: { selfId: 'me', directMessage: () => {} } },
        createElement(MessageItem, { message, own: false, nameOf: (id: string) => (id === 'friend-1' ? `Friend ${EVIL}` : undefined), selfId: 'me' }),
      ),
    );
    noRawMarkup(html);
    expect(html).toContain(`Mallory ${ESCAPED}`);
    expect(html).toContain(`hello ${ESCAPED}`);
    expect(html).toContain(`@Friend ${ESCAPED}`);
    expect(html).toContain('aria-haspopup="menu"'); // the author name is the DM entry point
  });

  it('sidebar room names and previews, and the link name that says the count', () => {
    const html = renderToStaticMarkup(
      createElement(RoomSidebar, {
        id: 'nav',
        rooms: [{ roomId: 'p_01j00000000000000000000000', name: `Secret ${EVIL}`, kind: 'private', unread: 3, mentions: 1, preview: `Eve: ${EVIL}` }],
        dms: [{ roomId: 'dm_a_b', name: `Bob ${EVIL}`, kind: 'dm', unread: 120, mentions: 0 }],
        current: 'general',
        onBrowse: () => {},
        onCreate: () => {},
        onNavigate: () => {},
      }),
    );
    noRawMarkup(html);
    expect(html).toContain(`Secret ${ESCAPED}`);
    expect(html).toContain(`Eve: ${ESCAPED}`);
    expect(html).toContain(`aria-label="Secret ${ESCAPED}, 3 unread, 1 mention"`);
    expect(html).toContain(`aria-label="Bob ${ESCAPED}, 99+ unread"`);
    expect(html).toContain('aria-label="Rooms"');
  });

  it('quick switcher entries', () => {
    const html = renderToStaticMarkup(createElement(QuickSwitcher, { open: true, items: [{ roomId: 'x', name: `X ${EVIL}`, detail: EVIL }], onChoose: () => {}, onClose: () => {} }));
    noRawMarkup(html);
    expect(html).toContain(`X ${ESCAPED}`);
  });

  it('the room title and topic in the room view, which opens marked read', async () => {
    const entry: MyRoom = {
      room: { roomId: 'general', kind: 'public', name: `general ${EVIL}`, topic: `Topic ${EVIL}`, memberCount: 2, createdAt: message.createdAt, lastActivityAt: message.createdAt },
      membership: { role: 'member', joinedAt: message.createdAt, lastReadMessageId: null, muted: false },
      unread: 1,
      mentions: 0,
      lastMessage: null,
    };
    const api = {
      myRooms: async () => ({ rooms: [entry] }),
      getMessages: async () => ({ messages: [message], nextBefore: null }),
      createTicket: async () => ({ ticket: 't', expiresAt: '' }),
      markRead: async (roomId: string, messageId: string) => void reads.push(`${roomId}:${messageId}`),
    } as unknown as ChatApi;
    const reads: string[] = [];
    const session = new ChatSession({ api, webSocketUrl: 'ws://127.0.0.1:9/none', selfId: 'me', client: { WebSocket: class {} as never } });
    await session.refresh();
    const room = session.open('general');
    await room.feed.idle();
    const html = renderToStaticMarkup(createElement(ChatRoom, { session, roomId: 'general', userName: 'Me', go: () => {} }));
    noRawMarkup(html);
    expect(html).toContain(`#general ${ESCAPED}`);
    expect(html).toContain(`Topic ${ESCAPED}`);
    // The virtualized timeline mounts rows only in a browser (it measures them), so static markup holds none:
    // message bodies are checked escaped in components/message/escaping.test.ts, the divider in e2e/rooms-unread.spec.ts.
    expect(html).toContain('data-testid="message-list"');
    // Opening it marked it read (over HTTP here: no socket), and the sidebar count cleared.
    expect(reads).toEqual([`general:${message.messageId}`]);
    expect(session.list.get('general')!.unread).toBe(0);
    session.close();
  });
});
