/**
 * One room's conversation for React: a thin adapter over the framework-free pieces in lib/ — ChatClient
 * (socket, reconnects, outbox), RoomFeed (live frames + history + gap fill) and Outgoing (sends the person
 * is waiting on). Unmounting (leaving the room, signing out) closes the socket.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatApi } from '../lib/api';
import { ChatClient, type ConnectionStatus } from '../lib/chat-client';
import { Outgoing, describeError, type OutgoingMessage } from '../lib/chat/outgoing';
import { RoomFeed } from '../lib/chat/room-feed';
import { ErrorCode, type ChatMessage, type PresenceUser } from '../lib/protocol';

export interface UseChatOptions {
  readonly roomId: string;
  readonly webSocketUrl: string;
  /** Must be stable (memoised): a new object reconnects. */
  readonly api: ChatApi;
}

/** Everything the room UI needs. */
export interface ChatState {
  readonly messages: readonly ChatMessage[];
  /** Own messages not confirmed yet (on their way, or failed with a reason). */
  readonly outgoing: readonly OutgoingMessage[];
  readonly status: ConnectionStatus;
  /** Human words for the latest problem, until dismissed. */
  readonly error: string | undefined;
  /** The server speaks a newer protocol (CLIENT_OUTDATED): only a reload helps. */
  readonly outdated: boolean;
  /** True once the newest history page has arrived. */
  readonly historyLoaded: boolean;
  readonly hasOlder: boolean;
  readonly loadingOlder: boolean;
  /** Who is in the room now, one entry per user (from the server's presence frames). */
  readonly online: readonly PresenceUser[];
  /** Resolves true once the message is queued (it is re-sent across reconnects until the server confirms it). */
  send(body: string): Promise<boolean>;
  retry(clientMessageId: string): void;
  discard(clientMessageId: string): void;
  loadOlder(): Promise<void>;
  dismissError(): void;
  disconnect(): void;
}

interface Room {
  client: ChatClient;
  feed: RoomFeed;
  outgoing: Outgoing;
}

/** Joins `roomId`: loads history, connects, and keeps both merged. */
export function useChat({ roomId, webSocketUrl, api }: UseChatOptions): ChatState {
  const [messages, setMessages] = useState<readonly ChatMessage[]>([]);
  const [outgoing, setOutgoing] = useState<readonly OutgoingMessage[]>([]);
  const [history, setHistory] = useState({ loaded: false, hasOlder: false });
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [error, setError] = useState<string>();
  const [outdated, setOutdated] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [online, setOnline] = useState<readonly PresenceUser[]>([]);
  const room = useRef<Room | undefined>(undefined);

  useEffect(() => {
    let live = true;
    const client = new ChatClient({ webSocketUrl, roomId, fetchTicket: async () => (await api.createTicket()).ticket });
    const feed = new RoomFeed(client, (options) => api.getMessages(roomId, options));
    const outgoing = new Outgoing(client, () => live && setOutgoing(outgoing.list()));
    room.current = { client, feed, outgoing };
    setMessages([]);
    setOutgoing([]);
    setHistory({ loaded: false, hasOlder: false });
    setError(undefined);

    const offs = [
      feed.on('change', () => {
        if (!live) return;
        setMessages(feed.log.list());
        setHistory({ loaded: feed.historyLoaded, hasOlder: feed.hasOlder });
      }),
      feed.on('error', (e) => live && setError(describeError(e))),
      client.on('status', (s) => live && setStatus(s)),
      client.on('presence', (frame) => live && setOnline(frame.users)),
      client.on('error', (frame) => live && (frame.code === ErrorCode.ClientOutdated ? setOutdated(true) : setError(frame.message))),
      client.on('ack', () => live && setError(undefined)),
    ];
    feed.start();
    client.connect();
    const online = () => client.retryNow();
    window.addEventListener('online', online);
    return () => {
      live = false;
      offs.forEach((off) => off());
      window.removeEventListener('online', online);
      feed.stop();
      client.close();
    };
  }, [roomId, webSocketUrl, api]);

  const send = useCallback(async (body: string) => {
    try {
      room.current?.outgoing.send(body);
      return room.current !== undefined;
    } catch (e) {
      setError(describeError(e));
      return false;
    }
  }, []);

  const loadOlder = useCallback(async () => {
    const feed = room.current?.feed;
    if (!feed?.hasOlder || loadingOlder) return;
    setLoadingOlder(true);
    try {
      await feed.loadOlder();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setLoadingOlder(false);
    }
  }, [loadingOlder]);

  return {
    messages,
    outgoing,
    status,
    error,
    outdated,
    historyLoaded: history.loaded,
    hasOlder: history.hasOlder,
    loadingOlder,
    online,
    send,
    retry: useCallback((id: string) => room.current?.outgoing.retry(id), []),
    discard: useCallback((id: string) => room.current?.outgoing.discard(id), []),
    loadOlder,
    dismissError: useCallback(() => setError(undefined), []),
    disconnect: useCallback(() => room.current?.client.close(), []),
  };
}
