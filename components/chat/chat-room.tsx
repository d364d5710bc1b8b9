'use client';
/**
 * The room on screen: title, topic, status, who is online and the room's actions; then the conversation and
 * the composer. Everything comes from the tab's ChatSession, so switching rooms swaps what is shown without
 * a new socket, and a room opened before shows its cached messages at once.
 */
import { useCallback, useMemo, useState } from 'react';
import type { ChatSession } from '../../lib/chat/chat-session';
import { describeError } from '../../lib/chat/outgoing';
import { DEFAULT_ROOM, type ChatMessage } from '../../lib/protocol';
import { parseBody } from '../../lib/chat-error';
import { MessageActionsContext, type MessageActions } from '../message/message-actions';
import { LockIcon } from '../rooms/lock-icon';
import { RoomActions } from '../rooms/room-actions';
import { Composer, type ComposerMode } from './composer';
import { ConnectionStatusIndicator } from './connection-status';
import { ErrorBanner } from './error-banner';
import { UpdatePrompt } from './update-prompt';
import { MessageList } from './message-list';
import { OnlineUsers } from './online-users';
import { TypingIndicator } from './typing-indicator';

export interface ChatRoomProps {
  session: ChatSession;
  roomId: string;
  /** The signed-in user's display name (pending messages are shown under it). */
  userName: string;
  /** Navigate to another room (after leaving this one). */
  go: (roomId: string) => void;
  focusComposer?: boolean;
}

/** The typing sentence lives with the typing indicator (lib/chat/typing); re-exported for the rooms helpers' test. */
export { typingText } from '../../lib/chat/typing';

/** How a room's title starts: # public, @ direct message; a private room shows a lock icon instead. */
export function roomPrefix(kind: string | undefined): string {
  return kind === 'private' ? '' : kind === 'dm' ? '@' : '#';
}


export function ChatRoom({ session, roomId, userName, go, focusComposer }: ChatRoomProps) {
  const room = session.room(roomId);
  const [problem, setProblem] = useState<string>();
  const [joining, setJoining] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const access = room?.access ?? { state: 'loading' as const };
  const info = 'room' in access ? access.room : undefined;
  const name = session.displayName(roomId);
  const title = `${roomPrefix(info?.kind)}${name}`;
  const selfId = session.selfId;

  const [mode, setMode] = useState<ComposerMode>();
  // A new room starts with a plain composer.
  const [modeRoom, setModeRoom] = useState(roomId);
  if (modeRoom !== roomId) {
    setModeRoom(roomId);
    setMode(undefined);
  }

  const send = useCallback(
    async (body: string) => {
      try {
        if (mode?.kind === 'edit') {
          if (parseBody(body) !== mode.message.body) session.edit(roomId, mode.message.messageId, body);
        } else {
          session.send(roomId, body, mode?.message.messageId);
        }
        setMode(undefined);
        return true;
      } catch (error) {
        setProblem(describeError(error));
        return false;
      }
    },
    [session, roomId, mode],
  );

  const messages = room ? room.feed.log.list() : [];
  const actions = useMemo<MessageActions>(
    () => ({
      edit: (message: ChatMessage) => setMode({ kind: 'edit', message }),
      reply: (message: ChatMessage) => setMode({ kind: 'reply', message }),
      remove: (message: ChatMessage) => {
        setMode((m) => (m?.message.messageId === message.messageId ? undefined : m));
        session.remove(roomId, message.messageId);
      },
      react: (message: ChatMessage, emoji: string, op: 'set' | 'unset') => session.react(roomId, message.messageId, emoji, op),
      jumpTo: (messageId: string) => void session.jumpTo(roomId, messageId),
      held: (messageId: string) => session.room(roomId)?.feed.log.get(messageId),
    }),
    // `messages`: a new log snapshot re-renders the rows, so reply quotes follow edits of their originals.
    [session, roomId, messages],
  );

  const join = async () => {
    setJoining(true);
    try {
      await session.join(roomId);
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setJoining(false);
    }
  };

  if (access.state === 'not-found') {
    return (
      <section className="room" aria-labelledby="room-title">
        <div className="not-found" data-testid="room-not-found">
          <h2 id="room-title">Room not found</h2>
          <p>This room does not exist, or you are not a member of it.</p>
          <a href={`#${DEFAULT_ROOM}`} onClick={() => go(DEFAULT_ROOM)}>
            Go to #{DEFAULT_ROOM}
          </a>
        </div>
      </section>
    );
  }

  const online = room ? [...room.online.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)) : [];
  const loaded = room?.feed.historyLoaded ?? false;
  const error = problem ?? session.error;
  return (
    <section className="room" aria-labelledby="room-title" data-room-id={roomId}>
      <div className="room-header">
        <div className="room-title">
          <h2 id="room-title" data-testid="room-title">
            {info?.kind === 'private' && <LockIcon />}
            {title}
          </h2>
          <ConnectionStatusIndicator status={session.status} />
          <OnlineUsers users={online} roomName={title} />
        </div>
        {info?.topic && (
          <p className="room-topic" data-testid="room-topic">
            {info.topic}
          </p>
        )}
        {access.state === 'member' && info && <RoomActions session={session} room={info} go={go} onProblem={setProblem} />}
      </div>
      {session.outdated ? (
        <UpdatePrompt />
      ) : (
        <ErrorBanner
          message={error}
          onDismiss={() => {
            setProblem(undefined);
            session.dismissError();
          }}
        />
      )}
      {room && (
        <MessageActionsContext.Provider value={actions}>
        <MessageList
          key={`messages-${roomId}`}
          roomId={roomId}
          messages={messages}
          currentUserId={selfId}
          currentUserName={userName}
          historyLoaded={loaded}
          hasOlder={room.feed.hasOlder}
          loadingOlder={loadingOlder}
          onLoadOlder={() => {
            if (loadingOlder) return;
            setLoadingOlder(true);
            // Returned: the timeline waits for it before asking for the next page.
            return room.feed
              .loadOlder()
              .catch((e: unknown) => setProblem(describeError(e)))
              .finally(() => setLoadingOlder(false));
          }}
          outgoing={room.outgoing.list()}
          onRetry={(id) => room.outgoing.retry(id)}
          onDiscard={(id) => room.outgoing.discard(id)}
          dividerAfter={room.dividerAfter}
          nameOf={session.nameOf}
          target={room.target}
          hasNewer={room.feed.hasNewer}
          onLoadNewer={() => room.feed.loadNewer().catch((e: unknown) => setProblem(describeError(e)))}
          onJumpToLatest={() => void room.feed.backToLatest()}
        />
        </MessageActionsContext.Provider>
      )}
      <TypingIndicator names={session.typingIn(roomId)} />
      {access.state === 'preview' && (
        <div className="room-preview-bar" data-testid="room-preview-bar">
          <p>You are previewing {title}.</p>
          <button type="button" className="button-primary" onClick={() => void join()} aria-disabled={joining}>
            Join
          </button>
        </div>
      )}
      {access.state !== 'loading' && (
        <Composer
          key={`composer-${roomId}`}
          roomId={roomId}
          roomLabel={title}
          status={session.status}
          onSend={send}
          autoFocus={focusComposer}
          members={room?.members}
          selfId={selfId}
          onTyping={() => session.noteTyping(roomId)}
          mode={mode}
          onCancelMode={() => setMode(undefined)}
          onEditLast={() => {
            const last = session.lastEditable(roomId);
            if (last) setMode({ kind: 'edit', message: last });
            return !!last;
          }}
          nameOf={session.nameOf}
          onWantMembers={() => {
            if (room && !room.members && access.state === 'member') void session.loadMembers(roomId).catch(() => undefined);
          }}
        />
      )}
    </section>
  );
}
