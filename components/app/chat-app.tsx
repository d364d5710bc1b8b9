'use client';
/** The whole client: load config → sign in → the default room. */
import { useConfig } from '../../hooks/use-config';
import { DEFAULT_ROOM } from '../../lib/protocol';
import { ChatRoom } from '../chat/chat-room';
import { AccountMenu } from './account-menu';
import { AppHeader } from './app-header';
import { AuthGate } from './auth-gate';
import { ConfigErrorScreen } from './config-error';

/** Every screen lives inside one `<main>` with one `<h1>` (AppHeader). */
export function ChatApp({ roomId = DEFAULT_ROOM }: { roomId?: string }) {
  const state = useConfig();
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
              roomId={roomId}
              chat={state.config.chat}
              userId={session.userId}
              header={(roomControls, leave) => (
                <AppHeader>
                  {roomControls}
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
