'use client';
/** The header's theme switch: a toggle button named "Dark theme", pressed while the dark theme is on. */
import { useTheme } from '../../hooks/use-theme';

/** Switches between light and dark; the choice persists (see hooks/use-theme.ts). */
export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  const dark = theme === 'dark';
  return (
    <button
      type="button"
      className="button-quiet theme-toggle"
      aria-pressed={dark}
      data-testid="theme-toggle"
      title={dark ? 'Switch to the light theme' : 'Switch to the dark theme'}
      onClick={() => setTheme(dark ? 'light' : 'dark')}
    >
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
        <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" fill="currentColor" />
      </svg>
      <span className="visually-hidden">Dark theme</span>
    </button>
  );
}
