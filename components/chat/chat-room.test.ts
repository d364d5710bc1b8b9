/** ChatRoom's states, rendered to static markup from a real ChatSession whose API answers from memory (nothing connects). */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ChatApi } from '../../lib/api';
import { ChatError } from '../../lib/chat-error';
import { ChatSession } from '../../lib/chat/chat-session';
import { ErrorCode, type MyRoom } from '../../lib/protocol';
import { ChatRoom } from './chat-room';

const general: MyRoom = {
  room: { roomId: 'general', kind: 'public', name: 'general', topic: '', memberCount: 1, createdAt: '2026-01-01T00:00:00Z', lastActivityAt: '2026-01-01T00:00:00Z' },
  membership: { role: 'member', joinedAt: '2026-01-01T00:00:00Z', lastReadMessageId: null, muted: false },
  unread: 0,
  mentions: 0,
  lastMessage: null,
};

async function sessionWith(api: Partial<ChatApi>) {
  const full = {
    myRooms: async () => ({ rooms: [general] }),
    getMessages: async () => ({ messages: [], nextBefore: null }),
    createTicket: async () => ({ ticket: 't', expiresAt: '' }),
    ...api,
  } as unknown as ChatApi;
  const session = new ChatSession({ api: full, webSocketUrl: 'ws://127.0.0.1:9/none', selfId: 'me', client: { WebSocket: class {} as never } });
  await session.refresh();
  return session;
}

const render = (session: ChatSession, roomId: string) => renderToStaticMarkup(createElement(ChatRoom, { session, roomId, userName: 'Me', go: () => {} }));

describe('ChatRoom', () => {
  it('an outdated client (CLIENT_OUTDATED) sees the reload prompt instead of a broken room', async () => {
    const session = await sessionWith({
      createTicket: async () => {
        throw new ChatError(ErrorCode.ClientOutdated, 'A new version is available — reload');
      },
    });
    session.open('general');
    expect(render(session, 'general')).not.toContain('update-prompt');
    session.start(); // the ticket request is refused: the client stops for good
    await new Promise((r) => setTimeout(r, 20));
    expect(session.outdated).toBe(true);
    expect(session.client.status).toBe('closed');
    const html = render(session, 'general');
    expect(html).toContain('A new version is available — reload');
    expect(html).toMatch(/<button type="button">Reload<\/button>/);
    session.close();
  });

  it('a private room or DM the person is not in reads exactly like a room that does not exist', async () => {
    const notFound = async () => {
      throw new ChatError(ErrorCode.NotFound, 'Room not found');
    };
    const session = await sessionWith({ roomInfo: notFound, getMessages: notFound });
    const shown: string[] = [];
    for (const roomId of ['p_01j00000000000000000000000', 'dm_a_b']) {
      session.open(roomId);
      await new Promise((r) => setTimeout(r, 20));
      shown.push(render(session, roomId));
    }
    const [privateRoom, dm] = shown;
    expect(privateRoom).toContain('data-testid="room-not-found"');
    expect(privateRoom).toBe(dm);
    expect(privateRoom).not.toContain('composer');
    session.close();
  });
});
