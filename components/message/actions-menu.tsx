'use client';
/**
 * The "Message actions" button and its menu (menu button pattern): Enter, Space or ↓ opens it on the first item,
 * ↑ on the last; ↑/↓ move (wrapping), Home/End jump, Enter/Space choose, Esc closes and returns focus to the
 * button, Tab closes. A click outside closes it too.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

/** One entry; `label` is its exact accessible name. */
export interface MenuAction {
  readonly label: string;
  readonly run: () => void;
  readonly danger?: boolean;
}

/** The accessible name of the button on every message. */
export const ACTIONS_LABEL = 'Message actions';

export function ActionsMenu({ actions }: { actions: readonly MenuAction[] }) {
  const [open, setOpen] = useState(false);
  const [focusAt, setFocusAt] = useState(0);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const items = useRef<Array<HTMLButtonElement | null>>([]);

  useEffect(() => {
    if (!open) return;
    items.current[focusAt]?.focus();
  }, [open, focusAt]);

  useEffect(() => {
    if (!open) return;
    const away = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  const show = (at: number) => {
    setFocusAt((at + actions.length) % actions.length);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      show(event.key === 'ArrowDown' ? 0 : -1);
    }
  };
  const onMenuKey = (event: KeyboardEvent) => {
    const moves: Record<string, number | undefined> = { ArrowDown: focusAt + 1, ArrowUp: focusAt - 1, Home: 0, End: actions.length - 1 };
    const next = moves[event.key];
    if (next !== undefined) {
      event.preventDefault();
      setFocusAt((next + actions.length) % actions.length);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation(); // Esc here closes the menu only (it must not also mark the room read)
      close(true);
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  if (actions.length === 0) return null;
  return (
    <div className="message-actions" ref={root}>
      <button
        ref={button}
        type="button"
        className="message-actions-button"
        aria-label={ACTIONS_LABEL}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        data-testid="message-actions"
        onClick={() => (open ? close(false) : show(0))}
        onKeyDown={onButtonKey}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open && (
        <div id={id} role="menu" aria-label={ACTIONS_LABEL} className="message-actions-menu" onKeyDown={onMenuKey}>
          {actions.map((action, i) => (
            <button
              key={action.label}
              ref={(el) => {
                items.current[i] = el;
              }}
              type="button"
              role="menuitem"
              tabIndex={i === focusAt ? 0 : -1}
              className={action.danger ? 'message-actions-item danger' : 'message-actions-item'}
              onClick={() => {
                close(true);
                action.run();
              }}
            >
              {action.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
