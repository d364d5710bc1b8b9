'use client';
/**
 * Light or dark: follows the system until the reader picks the other one with the toggle; the pick is kept
 * in localStorage (and applied before the first paint by public/theme.js) and shared by every tab. Picking the
 * system's own theme again forgets the pick, so the page follows the system once more.
 */
import { useCallback, useEffect, useState } from 'react';

export type Theme = 'light' | 'dark';

/** localStorage key (public/theme.js reads the same one). */
export const THEME_KEY = 'chatroom-theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

/** The saved pick, if any. */
export function savedTheme(storage: Pick<Storage, 'getItem'> | undefined): Theme | undefined {
  try {
    const value = storage?.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : undefined;
  } catch {
    return undefined; // Storage can be blocked; the system decides then.
  }
}

/** What to save when the reader picks `theme` while the system prefers `system`: nothing when they agree. */
export function themeToSave(theme: Theme, system: Theme): Theme | undefined {
  return theme === system ? undefined : theme;
}

function systemTheme(): Theme {
  return typeof window !== 'undefined' && window.matchMedia?.(DARK_QUERY).matches ? 'dark' : 'light';
}

function apply(saved: Theme | undefined) {
  if (saved) document.documentElement.dataset.theme = saved;
  else delete document.documentElement.dataset.theme;
}

/** The theme on screen and a way to pick one. */
export function useTheme(): { theme: Theme; setTheme: (theme: Theme) => void } {
  const [system, setSystem] = useState<Theme>(systemTheme);
  const [saved, setSaved] = useState<Theme | undefined>(() => (typeof window === 'undefined' ? undefined : savedTheme(window.localStorage)));

  useEffect(() => {
    const query = window.matchMedia?.(DARK_QUERY);
    const onSystem = () => setSystem(query?.matches ? 'dark' : 'light');
    const onStorage = (event: StorageEvent) => {
      if (event.key !== THEME_KEY && event.key !== null) return;
      const next = savedTheme(window.localStorage);
      apply(next);
      setSaved(next);
    };
    query?.addEventListener('change', onSystem);
    window.addEventListener('storage', onStorage);
    return () => {
      query?.removeEventListener('change', onSystem);
      window.removeEventListener('storage', onStorage);
    };
  }, []);

  const setTheme = useCallback(
    (theme: Theme) => {
      const next = themeToSave(theme, system);
      try {
        if (next) window.localStorage.setItem(THEME_KEY, next);
        else window.localStorage.removeItem(THEME_KEY);
      } catch {
        // Not persisted (storage blocked); it still applies to this page.
      }
      apply(next);
      setSaved(next);
    },
    [system],
  );

  return { theme: saved ?? system, setTheme };
}
