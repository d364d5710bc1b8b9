'use client';
/**
 * A person's name wherever it appears (message author, online list): choosing it offers "Send direct
 * message". The name is text, never markup. Without a provider (or for yourself) it is plain text.
 */
import { createContext, useContext, useEffect, useId, useRef, useState } from 'react';

/** What choosing a name can do; provided by the workspace. */
export interface PersonActions {
  readonly selfId: string;
  directMessage(userId: string, displayName: string): void;
}

export const PersonActionsContext = createContext<PersonActions | undefined>(undefined);

export function PersonName({ userId, name, className }: { userId: string; name: string; className?: string }) {
  const actions = useContext(PersonActionsContext);
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    if (!open) return;
    const away = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);

  if (!actions || userId === actions.selfId) return <span className={className}>{name}</span>;
  return (
    <span className="person" ref={root}>
      <button
        type="button"
        className={`person-button ${className ?? ''}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-testid="person-name"
        onClick={() => setOpen((v) => !v)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && open) {
            e.preventDefault();
            setOpen(false);
          }
        }}
      >
        {name}
      </button>
      {open && (
        <span id={menuId} role="menu" className="person-menu" aria-label={name}>
          <button
            type="button"
            role="menuitem"
            className="person-menu-item"
            autoFocus
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                setOpen(false);
              }
            }}
            onClick={() => {
              setOpen(false);
              actions.directMessage(userId, name);
            }}
          >
            Send direct message
          </button>
        </span>
      )}
    </span>
  );
}
