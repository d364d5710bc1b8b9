/** ChatRoom's wiring, rendered to static markup with the socket-owning hook replaced by a fixed state. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { ChatState } from '../../hooks/use-chat';
import type { ChatOutputs } from '../../lib/outputs';
import { ChatRoom } from './chat-room';

const state: ChatState = {
  messages: [],
  outgoing: [{ clientMessageId: 'c1', body: 'on its way' }],
  status: 'open',
  error: undefined,
  outdated: false,
  historyLoaded: true,
  hasOlder: false,
  loadingOlder: false,
  online: [{ userId: 'u1', displayName: '<b>Ada</b>' }],
  send: async () => true,
  retry: () => {},
  discard: () => {},
  loadOlder: async () => {},
  dismissError: () => {},
  disconnect: () => {},
};
let mockState: ChatState = state;
vi.mock('../../hooks/use-chat', () => ({ useChat: () => mockState }));
vi.mock('../../hooks/use-display-name', () => ({ useDisplayName: () => 'Ada Lovelace' }));

describe('ChatRoom', () => {
  it("shows a pending message under the signed-in user's display name", () => {
    const html = renderToStaticMarkup(
      createElement(ChatRoom, { roomId: 'general', chat: { httpApiUrl: 'http://x', webSocketUrl: 'ws://x' } as ChatOutputs, userId: 'u1', header: () => null }),
    );
    expect(html).toContain('data-testid="outgoing-message"');
    expect(html).toMatch(/class="message-author">Ada Lovelace</);
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
