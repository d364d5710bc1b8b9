'use client';
/** The whole client: load config → sign in → the workspace (sidebar + the room named in the URL hash). */
import { lazy, Suspense } from 'react';
import { useConfig } from '../../hooks/use-config';
import { loadRichText } from '../../hooks/use-rich-text';
import { AppHeader } from './app-header';
import { AuthGate } from './auth-gate';
import { ConfigErrorScreen } from './config-error';

// Only a signed-in user needs the chat: its code loads after sign-in, keeping the sign-in page lean. The rich-text
// parser (its own chunk) starts loading alongside, so messages usually render rich from the first paint.
const Workspace = lazy(() => {
  loadRichText().catch(() => undefined); // on failure messages stay plain text (hooks/use-rich-text.ts)
  return import('./workspace');
});

function Loading({ text }: { text: string }) {
  return (
    <>
      <AppHeader />
      <p className="loading" role="status">
        {text}
      </p>
    </>
  );
}

/** Every screen lives inside one `<main>` with one `<h1>` (AppHeader). */
export function ChatApp() {
  const state = useConfig();
  return (
    <main className="app" data-config={state.status}>
      {state.status === 'loading' && <Loading text="Loading…" />}
      {state.status === 'error' && (
        <>
          <AppHeader />
          <ConfigErrorScreen error={state.error} />
        </>
      )}
      {state.status === 'ready' && (
        <AuthGate config={state.config}>
          {(session) => (
            <Suspense fallback={<Loading text="Opening the chat…" />}>
              <Workspace chat={state.config.chat} auth={session} />
            </Suspense>
          )}
        </AuthGate>
      )}
    </main>
  );
}
