'use client';
/**
 * The room on screen: title, topic, status, who is online and the room's actions; then the conversation and
 * the composer. Everything comes from the tab's ChatSession, so switching rooms swaps what is shown without
 * a new socket, and a room opened before shows its cached messages at once.
 */
import { useCallback, useState } from 'react';
import type { ChatSession } from '../../lib/chat/chat-session';
import { describeError } from '../../lib/chat/outgoing';
import { DEFAULT_ROOM } from '../../lib/protocol';
import { RoomActions } from '../rooms/room-actions';
import { Composer } from './composer';
import { ConnectionStatusIndicator } from './connection-status';
import { ErrorBanner } from './error-banner';
import { MessageList } from './message-list';
import { OnlineUsers } from './online-users';

export interface ChatRoomProps {
  session: ChatSession;
  roomId: string;
  /** The signed-in user's display name (pending messages are shown under it). */
  userName: string;
  /** Navigate to another room (after leaving this one). */
  go: (roomId: string) => void;
  focusComposer?: boolean;
}

/** "Ada is typing…" / "Ada and Bo are typing…" / "Several people are typing…" (names as text). */
export function typingText(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

function TypingNotice({ names }: { names: readonly string[] }) {
  return (
    <p className="typing-notice" aria-live="polite" data-testid="typing-notice">
      {typingText(names)}
    </p>
  );
}

/** How a room's title starts: # public, 🔒 private, @ direct message. */
export function roomPrefix(kind: string | undefined): string {
  return kind === 'private' ? '🔒 ' : kind === 'dm' ? '@' : '#';
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

  const send = useCallback(
    async (body: string) => {
      try {
        session.send(roomId, body);
        return true;
      } catch (error) {
        setProblem(describeError(error));
        return false;
      }
    },
    [session, roomId],
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
  const messages = room ? room.feed.log.list() : [];
  const loaded = room?.feed.historyLoaded ?? false;
  const error = problem ?? session.error;
  return (
    <section className="room" aria-labelledby="room-title" data-room-id={roomId}>
      <div className="room-header">
        <div className="room-title">
          <h2 id="room-title" data-testid="room-title">
            {title}
          </h2>
          <ConnectionStatusIndicator status={session.status} />
          <OnlineUsers users={online} />
        </div>
        {info?.topic && (
          <p className="room-topic" data-testid="room-topic">
            {info.topic}
          </p>
        )}
        {access.state === 'member' && info && <RoomActions session={session} room={info} go={go} onProblem={setProblem} />}
      </div>
      <ErrorBanner
        message={error}
        onDismiss={() => {
          setProblem(undefined);
          session.dismissError();
        }}
      />
      {room && (
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
            void room.feed
              .loadOlder()
              .catch((e: unknown) => setProblem(describeError(e)))
              .finally(() => setLoadingOlder(false));
          }}
          outgoing={room.outgoing.list()}
          onRetry={(id) => room.outgoing.retry(id)}
          onDiscard={(id) => room.outgoing.discard(id)}
          dividerAfter={room.dividerAfter}
          nameOf={session.nameOf}
        />
      )}
      <TypingNotice names={session.typingIn(roomId)} />
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
          onWantMembers={() => {
            if (room && !room.members && access.state === 'member') void session.loadMembers(roomId).catch(() => undefined);
          }}
        />
      )}
    </section>
  );
}
