/** The page's one `<h1>` plus whatever the current screen adds beside it. */
import type { ReactNode } from 'react';

/** Top bar: app name on the left, `children` (room, account) on the right. */
export function AppHeader({ children }: { children?: ReactNode }) {
  return (
    <header className="app-header">
      <h1 className="brand">
        <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" fill="currentColor" />
        </svg>
        <span className="brand-text">Chatroom</span>
      </h1>
      {children}
    </header>
  );
}
