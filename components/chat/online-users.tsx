'use client';
/** Who is in the room now: a count, and the names in a disclosure (names are plain text, never markup). */
import type { PresenceUser } from '../../lib/protocol';

/** Shown in the room header; hidden until the first presence frame arrives. */
export function OnlineUsers({ users }: { users: readonly PresenceUser[] }) {
  if (users.length === 0) return null;
  return (
    <details className="online-users" data-testid="online-users">
      <summary>
        <span className="online-dot" aria-hidden="true" /> {users.length} online
      </summary>
      <ul>
        {users.map((user) => (
          <li key={user.userId} data-testid="online-user">
            {user.displayName}
          </li>
        ))}
      </ul>
    </details>
  );
}
