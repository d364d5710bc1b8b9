'use client';
/** Who is in the room now: a count, and the names in a disclosure (names are plain text, never markup). */
import type { PresenceUser } from '../../lib/protocol';
import { PersonName } from './person-name';

/** Shown in the room header; hidden until someone is known to be online. */
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
            <PersonName userId={user.userId} name={user.displayName} />
          </li>
        ))}
      </ul>
    </details>
  );
}
