/**
 * ChatRoom's wiring, rendered to static markup with the socket-owning hook replaced by a fixed state.
 * Every place user-controlled text renders (display names in messages, pending messages, the online list and
 * the account menu; message bodies; the room name; error text) must come out as escaped text, never markup.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { ChatState } from '../../hooks/use-chat';
import type { ChatOutputs } from '../../lib/outputs';
import { AccountMenu } from '../app/account-menu';
import { ChatRoom } from './chat-room';

/** Markup that must never reach the DOM as elements; each carries its own marker so a leak names its source. */
const hostile = (where: string) => `<b class="x-${where}">${where}</b><img src=x onerror=alert(1)>`;
/** The same text as React must write it: escaped. */
const escaped = (where: string) => `&lt;b class=&quot;x-${where}&quot;&gt;${where}&lt;/b&gt;&lt;img src=x onerror=alert(1)&gt;`;

const own = { userId: 'u1', name: hostile('own-name') };
const state: ChatState = {
  messages: [
    { roomId: 'general', messageId: 'm1', authorId: 'u2', authorName: hostile('author'), body: hostile('body'), createdAt: new Date(0).toISOString() },
    { roomId: 'general', messageId: 'm2', authorId: own.userId, authorName: hostile('own-author'), body: hostile('own-body'), createdAt: new Date(0).toISOString() },
  ],
  outgoing: [
    { clientMessageId: 'c1', body: hostile('pending') },
    { clientMessageId: 'c2', body: 'failed one', error: hostile('failure') },
  ],
  status: 'open',
  error: hostile('banner'),
  outdated: false,
  historyLoaded: true,
  hasOlder: false,
  loadingOlder: false,
  online: [
    { userId: 'u1', displayName: hostile('online-1') },
    { userId: 'u2', displayName: hostile('online-2') },
  ],
  send: async () => true,
  retry: () => {},
  discard: () => {},
  loadOlder: async () => {},
  dismissError: () => {},
  disconnect: () => {},
};
let mockState: ChatState = state;
vi.mock('../../hooks/use-chat', () => ({ useChat: () => mockState }));
vi.mock('../../hooks/use-display-name', () => ({ useDisplayName: () => own.name }));

const chat = { httpApiUrl: 'http://x', webSocketUrl: 'ws://x' } as ChatOutputs;

/** The whole room, with a header that renders the room controls (name, status, who is online) and the account. */
function renderRoom(roomId: string): string {
  return renderToStaticMarkup(
    createElement(ChatRoom, {
      roomId,
      chat,
      userId: own.userId,
      header: (controls) => createElement('header', null, controls, createElement(AccountMenu, { fallbackName: 'fallback', onSignOut: () => {} })),
    }),
  );
}

describe('ChatRoom', () => {
  it("shows a pending message under the signed-in user's display name", () => {
    const html = renderRoom('general');
    expect(html).toContain('data-testid="outgoing-message"');
    expect(html).toContain(`class="message-author">${escaped('own-name')}<`);
  });

  it('renders every piece of user text as escaped text, never as markup', () => {
    const html = renderRoom(hostile('room'));
    const places = ['author', 'body', 'own-author', 'own-body', 'own-name', 'pending', 'failure', 'banner', 'online-1', 'online-2', 'room'];
    for (const where of places) {
      expect(html, where).not.toContain(`class="x-${where}"`);
      expect(html, where).toContain(escaped(where));
    }
    expect(html).not.toMatch(/<img|<b[\s>]/);
    // Each text lands where it belongs (so "escaped somewhere" is not mistaken for "rendered in its place").
    expect(html).toContain(`<h2>#${escaped('room')}</h2>`);
    expect(html).toMatch(new RegExp(`data-testid="online-user">${escapeRegExp(escaped('online-1'))}</li>`));
    expect(html).toMatch(new RegExp(`data-testid="message-author">${escapeRegExp(escaped('author'))}`));
    expect(html).toMatch(new RegExp(`data-testid="message-body">${escapeRegExp(escaped('body'))}</p>`));
    expect(html).toMatch(new RegExp(`data-testid="outgoing-body">${escapeRegExp(escaped('pending'))}</p>`));
  });

  it('an outdated client sees the reload prompt instead of a broken room', () => {
    const render = () =>
      renderToStaticMarkup(
        createElement(ChatRoom, { roomId: 'general', chat: { httpApiUrl: 'http://x', webSocketUrl: 'ws://x' } as ChatOutputs, userId: 'u1', header: () => null }),
      );
    expect(render()).not.toContain('update-prompt');
    mockState = { ...state, outdated: true, error: 'ignored' };
    try {
      const html = render();
      expect(html).toContain('A new version is available — reload');
      expect(html).toMatch(/<button type="button">Reload<\/button>/);
      expect(html).not.toContain('data-testid="error-banner"');
    } finally {
      mockState = state;
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
