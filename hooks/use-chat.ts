/**
 * One room's conversation for React: history pages from the HTTP API plus live frames from a
 * ChatClient, merged by messageId. Unmounting (leaving the room, signing out) closes the socket.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatApi } from '../lib/api';
import { ChatClient, type ConnectionStatus } from '../lib/chat-client';
import { ChatError } from '../lib/chat-error';
import type { ChatMessage } from '../lib/protocol';
import { mergeMessages } from './merge-messages';

export interface UseChatOptions {
  readonly roomId: string;
  readonly webSocketUrl: string;
  /** Must be stable (memoised): a new object reconnects. */
  readonly api: ChatApi;
}

/** Everything the room UI needs. */
export interface ChatState {
  readonly messages: readonly ChatMessage[];
  readonly status: ConnectionStatus;
  /** Human words for the latest problem, until dismissed. */
  readonly error: string | undefined;
  /** True once the newest history page has arrived. */
  readonly historyLoaded: boolean;
  readonly hasOlder: boolean;
  readonly loadingOlder: boolean;
  /** Resolves true once the server accepted the message (the composer clears only then). */
  send(body: string): Promise<boolean>;
  loadOlder(): Promise<void>;
  dismissError(): void;
  disconnect(): void;
}

/** After a reconnect, read back at most this many pages to fill the gap. */
const CATCH_UP_PAGES = 5;

function describe(error: unknown): string {
  return error instanceof ChatError ? error.message : 'Something went wrong; try again';
}

/** Joins `roomId`: loads history, connects, and keeps both merged. */
export function useChat({ roomId, webSocketUrl, api }: UseChatOptions): ChatState {
  const [messages, setMessages] = useState<readonly ChatMessage[]>([]);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [error, setError] = useState<string>();
  // undefined: newest page not loaded yet; null: no older page exists.
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const clientRef = useRef<ChatClient | undefined>(undefined);
  const knownIds = useRef(new Set<string>());

  const add = useCallback((incoming: readonly ChatMessage[]) => {
    for (const message of incoming) knownIds.current.add(message.messageId);
    setMessages((current) => mergeMessages(current, incoming));
  }, []);

  useEffect(() => {
    let live = true;
    knownIds.current = new Set();
    setMessages([]);
    setCursor(undefined);
    setError(undefined);
    const client = new ChatClient({ webSocketUrl, roomId, fetchTicket: async () => (await api.createTicket()).ticket });
    clientRef.current = client;
    const report = (e: unknown) => live && setError(describe(e));

    // Newest page first; after a drop, keep paging back until we meet a message we already had.
    const catchUp = async () => {
      const hadMessages = knownIds.current.size > 0;
      let before: string | undefined;
      for (let page = 0; page < CATCH_UP_PAGES; page++) {
        const result = await api.getMessages(roomId, before ? { before } : {});
        if (!live) return;
        const overlaps = result.messages.some((m) => knownIds.current.has(m.messageId));
        add(result.messages);
        if (page === 0) setCursor((c) => (c === undefined ? result.nextBefore : c));
        if (!hadMessages || overlaps || !result.nextBefore) return;
        before = result.nextBefore;
      }
    };

    const unsubscribe = [
      client.on('status', (s) => {
        if (!live) return;
        setStatus(s);
        if (s === 'open') catchUp().catch(report);
      }),
      client.on('message', (m) => live && add([m])),
      client.on('error', (frame) => live && setError(frame.message)),
    ];
    catchUp().catch(report);
    client.connect();
    const online = () => client.retryNow();
    window.addEventListener('online', online);
    return () => {
      live = false;
      unsubscribe.forEach((off) => off());
      window.removeEventListener('online', online);
      client.close();
    };
  }, [roomId, webSocketUrl, api, add]);

  const send = useCallback(
    async (body: string) => {
      const client = clientRef.current;
      if (!client) return false;
      try {
        add([await client.send(body)]);
        setError(undefined);
        return true;
      } catch (e) {
        setError(describe(e));
        return false;
      }
    },
    [add],
  );

  const loadOlder = useCallback(async () => {
    if (!cursor || loadingOlder) return;
    setLoadingOlder(true);
    try {
      const page = await api.getMessages(roomId, { before: cursor });
      add(page.messages);
      setCursor(page.nextBefore);
    } catch (e) {
      setError(describe(e));
    } finally {
      setLoadingOlder(false);
    }
  }, [api, roomId, cursor, loadingOlder, add]);

  const dismissError = useCallback(() => setError(undefined), []);
  const disconnect = useCallback(() => clientRef.current?.close(), []);

  return {
    messages,
    status,
    error,
    historyLoaded: cursor !== undefined,
    hasOlder: typeof cursor === 'string',
    loadingOlder,
    send,
    loadOlder,
    dismissError,
    disconnect,
  };
}
