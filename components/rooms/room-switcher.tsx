'use client';
/** Join another room by name; the rule the server enforces (roomIdSchema) is checked here first. */
import { useId, useState, type FormEvent } from 'react';
import { roomIdSchema } from '../../lib/protocol';

/** Suggested rooms, always offered. */
const SUGGESTED_ROOMS = ['general', 'random', 'help'] as const;

export function RoomSwitcher({ current, onJoin }: { current: string; onJoin: (roomId: string) => void }) {
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();
  const listId = useId();
  const hintId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = draft.trim().toLowerCase();
    const parsed = roomIdSchema.safeParse(name);
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? 'Invalid room name');
      return;
    }
    setProblem(null);
    setDraft('');
    if (parsed.data !== current) onJoin(parsed.data);
  };

  return (
    <form className="room-switcher" onSubmit={submit} aria-label="Switch room">
      <label htmlFor={inputId} className="visually-hidden">
        Room name
      </label>
      <input
        id={inputId}
        data-testid="room-input"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        placeholder="Join a room…"
        list={listId}
        maxLength={40}
        autoComplete="off"
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? hintId : undefined}
      />
      <datalist id={listId}>
        {SUGGESTED_ROOMS.filter((r) => r !== current).map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <button type="submit" data-testid="room-join">
        Join
      </button>
      {problem && (
        <p id={hintId} className="room-switcher-problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
