'use client';
/** A whole room: header (name, status, account), error banner, conversation and composer. */
import { useMemo, useState, type ReactNode } from 'react';
import { createChatApi } from '../../lib/api';
import type { ChatOutputs } from '../../lib/outputs';
import { useChat } from '../../hooks/use-chat';
import { useDisplayName } from '../../hooks/use-display-name';
import { Composer } from './composer';
import { ConnectionStatusIndicator } from './connection-status';
import { OnlineUsers } from './online-users';
import { ErrorBanner } from './error-banner';
import { UpdatePrompt } from './update-prompt';
import { MessageList } from './message-list';

export interface ChatRoomProps {
  roomId: string;
  chat: ChatOutputs;
  /** The signed-in user's id (Cognito `sub`), to mark their own messages. */
  userId: string;
  /** Renders the top bar around the room's controls; `leave` closes the socket now (call it before signing out). */
  header: (roomControls: ReactNode, leave: () => void) => ReactNode;
}

/** Joins `roomId` for as long as it is mounted. */
export function ChatRoom({ roomId, chat, userId, header }: ChatRoomProps) {
  const api = useMemo(() => createChatApi(chat.httpApiUrl), [chat.httpApiUrl]);
  const room = useChat({ roomId, webSocketUrl: chat.webSocketUrl, api });
  // Pending messages are shown under the name others will see once they are stored ("You" until it is read).
  const userName = useDisplayName('You');
  // Focus the composer once, on devices with a keyboard; on phones it would pop the keyboard up.
  const [focusComposer] = useState(() => typeof window !== 'undefined' && window.matchMedia?.('(pointer: fine)').matches);

  return (
    <div className="room">
      {header(
        <div className="room-title">
          <h2>#{roomId}</h2>
          <ConnectionStatusIndicator status={room.status} />
          <OnlineUsers users={room.online} />
        </div>,
        room.disconnect,
      )}
      {room.outdated ? <UpdatePrompt /> : <ErrorBanner message={room.error} onDismiss={room.dismissError} />}
      <MessageList
        roomId={roomId}
        messages={room.messages}
        currentUserId={userId}
        currentUserName={userName}
        historyLoaded={room.historyLoaded}
        hasOlder={room.hasOlder}
        loadingOlder={room.loadingOlder}
        onLoadOlder={() => void room.loadOlder()}
        outgoing={room.outgoing}
        onRetry={room.retry}
        onDiscard={room.discard}
      />
      <Composer roomId={roomId} status={room.status} onSend={room.send} autoFocus={focusComposer} />
    </div>
  );
}
