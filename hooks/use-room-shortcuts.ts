/**
 * Workspace keyboard shortcuts: Ctrl/Cmd+K opens the quick switcher, Alt+↑/↓ go to the previous/next room
 * in sidebar order, Esc marks the current room read (when nothing else — a dialog, a menu, an edit — took it).
 */
import { useEffect, useRef } from 'react';

export interface RoomShortcuts {
  /** Room ids in sidebar order. */
  readonly order: readonly string[];
  readonly current: string;
  openSwitcher(): void;
  go(roomId: string): void;
  markRead(): void;
}

/** The room `step` places away from `current` in `order`, wrapping around; undefined when there is none. */
export function neighbourRoom(order: readonly string[], current: string, step: 1 | -1): string | undefined {
  if (order.length === 0) return undefined;
  const at = order.indexOf(current);
  if (at < 0) return order[step === 1 ? 0 : order.length - 1];
  const next = order[(at + step + order.length) % order.length];
  return next === current ? undefined : next;
}

/** Installs the shortcuts on the window for as long as the component is mounted. */
export function useRoomShortcuts(shortcuts: RoomShortcuts): void {
  const latest = useRef(shortcuts);
  latest.current = shortcuts;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const s = latest.current;
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        s.openSwitcher();
      } else if (event.altKey && !event.ctrlKey && !event.metaKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
        const next = neighbourRoom(s.order, s.current, event.key === 'ArrowDown' ? 1 : -1);
        event.preventDefault();
        if (next) s.go(next);
      } else if (event.key === 'Escape' && !event.defaultPrevented && !document.querySelector('dialog[open]')) {
        s.markRead();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
