/**
 * The signed-in tab's ChatSession for React: created once per sign-in (one socket for every room), closed on
 * sign-out/unmount. Components re-render on any change through `useSessionVersion`.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ChatApi } from '../lib/api';
import { ChatSession } from '../lib/chat/chat-session';

/** Starts a session for `selfId`; undefined until the first effect ran. `api` must be memoised. */
export function useChatSession(api: ChatApi, webSocketUrl: string, selfId: string): ChatSession | undefined {
  const [session, setSession] = useState<ChatSession>();
  useEffect(() => {
    const next = new ChatSession({ api, webSocketUrl, selfId });
    next.start();
    setSession(next);
    const online = () => next.client.retryNow();
    const visibility = () => next.setVisible(document.visibilityState === 'visible');
    visibility();
    window.addEventListener('online', online);
    document.addEventListener('visibilitychange', visibility);
    return () => {
      window.removeEventListener('online', online);
      document.removeEventListener('visibilitychange', visibility);
      next.close();
    };
  }, [api, webSocketUrl, selfId]);
  return session;
}

const noop = () => () => {};

/** Re-renders the caller whenever the session changes; returns the change counter. */
export function useSessionVersion(session: ChatSession | undefined): number {
  return useSyncExternalStore(session?.subscribe ?? noop, () => session?.version ?? -1, () => -1);
}
