'use client';
/**
 * Ctrl/Cmd+K: a modal `dialog` listing rooms and DMs; typing filters, ↑/↓ choose, Enter goes, Esc closes.
 * A native <dialog> opened with showModal() traps focus and restores it on close, with no inline styles.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';

/** One destination in the switcher. */
export interface SwitcherItem {
  readonly roomId: string;
  readonly name: string;
  /** Shown after the name, e.g. "Direct message" or "3 unread". */
  readonly detail?: string;
}

export interface QuickSwitcherProps {
  open: boolean;
  items: readonly SwitcherItem[];
  onChoose: (roomId: string) => void;
  onClose: () => void;
}

/** Case-insensitive match on the name or the id; names starting with the query come first. */
export function filterItems(items: readonly SwitcherItem[], query: string): SwitcherItem[] {
  const q = query.trim().toLowerCase().replace(/^#/, '');
  if (!q) return [...items];
  const hits = items.filter((item) => item.name.toLowerCase().includes(q) || item.roomId.includes(q));
  const starts = (item: SwitcherItem) => (item.name.toLowerCase().startsWith(q) ? 0 : 1);
  return hits.sort((a, b) => starts(a) - starts(b));
}

export function QuickSwitcher({ open, items, onChoose, onClose }: QuickSwitcherProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const matches = useMemo(() => filterItems(items, query), [items, query]);
  const current = matches[Math.min(active, matches.length - 1)];

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) {
      setQuery('');
      setActive(0);
      el.showModal();
    } else if (!open && el.open) el.close();
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (matches.length ? (Math.min(i, matches.length - 1) + step + matches.length) % matches.length : 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (current) onChoose(current.roomId);
    }
  };

  return (
    <dialog ref={dialog} className="quick-switcher" aria-label="Switch room" data-testid="quick-switcher" onClose={onClose} onCancel={onClose}>
      <input
        className="quick-switcher-input"
        role="combobox"
        aria-label="Find a room or person"
        aria-expanded="true"
        aria-controls={listId}
        aria-activedescendant={current ? `${listId}-${current.roomId}` : undefined}
        aria-autocomplete="list"
        placeholder="Find a room or person…"
        value={query}
        autoComplete="off"
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label="Rooms and direct messages" className="quick-switcher-list">
        {matches.map((item) => (
          <li
            key={item.roomId}
            id={`${listId}-${item.roomId}`}
            role="option"
            aria-selected={item === current}
            className="quick-switcher-option"
            onMouseDown={(e) => e.preventDefault()} // keep focus in the input
            onClick={() => onChoose(item.roomId)}
          >
            <span className="quick-switcher-name">{item.name}</span>
            {item.detail && <span className="quick-switcher-detail">{item.detail}</span>}
          </li>
        ))}
        {matches.length === 0 && (
          <li role="option" aria-selected="false" aria-disabled="true" className="quick-switcher-empty">
            No room or person matches
          </li>
        )}
      </ul>
    </dialog>
  );
}
