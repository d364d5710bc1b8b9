'use client';
/** The whole client: load config → sign in → the room named in the URL hash (default: general). */
import { useConfig } from '../../hooks/use-config';
import { useRoomId } from '../../hooks/use-room-id';
import { ChatRoom } from '../chat/chat-room';
import { RoomSwitcher } from '../rooms/room-switcher';
import { AccountMenu } from './account-menu';
import { AppHeader } from './app-header';
import { AuthGate } from './auth-gate';
import { ConfigErrorScreen } from './config-error';

/** Every screen lives inside one `<main>` with one `<h1>` (AppHeader). */
export function ChatApp() {
  const state = useConfig();
  const [roomId, joinRoom] = useRoomId();
  return (
    <main className="app" data-config={state.status}>
      {state.status === 'loading' && (
        <>
          <AppHeader />
          <p className="loading" role="status">
            Loading…
          </p>
        </>
      )}
      {state.status === 'error' && (
        <>
          <AppHeader />
          <ConfigErrorScreen error={state.error} />
        </>
      )}
      {state.status === 'ready' && (
        <AuthGate config={state.config}>
          {(session) => (
            <ChatRoom
              key={roomId} // a new room is a new socket, history and composer
              roomId={roomId}
              chat={state.config.chat}
              userId={session.userId}
              header={(roomControls, leave) => (
                <AppHeader>
                  {roomControls}
                  <RoomSwitcher current={roomId} onJoin={joinRoom} />
                  <AccountMenu
                    fallbackName={session.loginId}
                    onSignOut={() => {
                      leave(); // Close the socket first: sign-out must not leave a live connection behind.
                      session.signOut();
                    }}
                  />
                </AppHeader>
              )}
            />
          )}
        </AuthGate>
      )}
    </main>
  );
}
