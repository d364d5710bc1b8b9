'use client';
/**
 * Who is in the room now. Up to ONLINE_NAMES_MAX people: a count and the names in a disclosure. Above it, only the
 * count ("1,234 online"), a button that opens the names in a dialog, shown a page at a time ("Show more") — a big
 * room's header never renders thousands of names. Names are plain text, never markup.
 */
import { useState } from 'react';
import type { PresenceUser } from '../../lib/protocol';
import { PanelDialog } from '../rooms/panel-dialog';
import { PersonName } from './person-name';

/** Above this many people online the header shows a count instead of names (docs/scaling.md, Presence). */
export const ONLINE_NAMES_MAX = 100;
/** Names per page of the "People online" dialog. */
export const ONLINE_DIALOG_PAGE = 100;

/** "3 online", "1,234 online". */
export function onlineLabel(count: number): string {
  return `${count.toLocaleString('en-US')} online`;
}

function NameList({ users, label, className }: { users: readonly PresenceUser[]; label?: string; className?: string }) {
  return (
    <ul className={className} aria-label={label}>
      {users.map((user) => (
        <li key={user.userId} data-testid="online-user">
          <PersonName userId={user.userId} name={user.displayName} />
        </li>
      ))}
    </ul>
  );
}

/** Shown in the room header; hidden until someone is known to be online. */
export function OnlineUsers({ users, roomName = 'this room' }: { users: readonly PresenceUser[]; roomName?: string }) {
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState(ONLINE_DIALOG_PAGE);
  if (users.length === 0) return null;
  if (users.length <= ONLINE_NAMES_MAX) {
    return (
      <details className="online-users" data-testid="online-users">
        <summary>
          <span className="online-dot" aria-hidden="true" /> {onlineLabel(users.length)}
        </summary>
        <NameList users={users} />
      </details>
    );
  }
  const close = () => {
    setOpen(false);
    setShown(ONLINE_DIALOG_PAGE);
  };
  return (
    <div className="online-users" data-testid="online-users">
      <button type="button" className="button-quiet" aria-haspopup="dialog" data-testid="online-count" onClick={() => setOpen(true)}>
        <span className="online-dot" aria-hidden="true" /> {onlineLabel(users.length)}
      </button>
      <PanelDialog open={open} title={`People online in ${roomName}`} onClose={close} testId="online-dialog">
        <NameList users={users.slice(0, shown)} label="People online" className="panel-list" />
        {shown < users.length && (
          <button type="button" className="button-quiet" onClick={() => setShown((n) => n + ONLINE_DIALOG_PAGE)}>
            Show more ({(users.length - shown).toLocaleString('en-US')} more)
          </button>
        )}
        <div className="dialog-actions">
          <button type="button" className="button-quiet" onClick={close}>
            Close
          </button>
        </div>
      </PanelDialog>
    </div>
  );
}
