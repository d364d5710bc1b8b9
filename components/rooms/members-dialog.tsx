'use client';
/**
 * Members of a private room: any member adds people they share a room with, and removes members (a removed
 * member's sockets stop receiving the room at once, server-side). The list is paged from the server with its
 * cursor ("Load more members") however many there are. Names are text, never markup.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ChatSession } from '../../lib/chat/chat-session';
import { describeError } from '../../lib/chat/outgoing';
import type { Member, PresenceUser, RoomSummary } from '../../lib/protocol';
import { PanelDialog } from './panel-dialog';

/** Members per page of the dialog. */
export const MEMBERS_DIALOG_PAGE = 50;

export function MembersDialog({ open, session, room, onClose }: { open: boolean; session: ChatSession; room: RoomSummary; onClose: () => void }) {
  const [people, setPeople] = useState<PresenceUser[]>([]);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [members, setMembers] = useState<readonly Member[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const memberIds = new Set(members.map((m) => m.userId));
  const candidates = people.filter((p) => !memberIds.has(p.userId));

  /** Reads a page: the first (replacing the list) or the one after `after`. */
  const load = useCallback(
    async (after?: string) => {
      setLoading(true);
      try {
        const page = await session.memberPage(room.roomId, after, MEMBERS_DIALOG_PAGE);
        setMembers((held) => (after ? [...held, ...page.members.filter((m) => !held.some((h) => h.userId === m.userId))] : page.members));
        setCursor(page.nextCursor);
      } catch (error) {
        setProblem(describeError(error));
      } finally {
        setLoading(false);
      }
    },
    [session, room.roomId],
  );

  useEffect(() => {
    if (!open) return;
    setProblem(undefined);
    void load();
    void session.knownPeople().then(setPeople, () => undefined);
  }, [open, session, load]);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await work();
      await load(); // from the first page again: the change may be on any page
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PanelDialog open={open} title={`Members of ${room.name}`} onClose={onClose} testId="members-dialog">
      {problem && (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      )}
      <ul className="panel-list" aria-label="Members" data-testid="member-list">
        {members.map((m) => (
          <li key={m.userId} data-testid="member">
            <span className="grow">
              {m.displayName}
              {m.userId === session.selfId && ' (you)'}
              {m.role === 'owner' && <span className="panel-meta">Owner</span>}
            </span>
            {m.userId !== session.selfId && (
              <button type="button" className="button-quiet" aria-disabled={busy} aria-label={`Remove ${m.displayName}`} onClick={() => void act(() => session.removeMember(room.roomId, m.userId))}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {cursor && (
        <button type="button" className="button-quiet" aria-disabled={loading} onClick={() => !loading && void load(cursor)}>
          Load more members
        </button>
      )}
      <h3 className="sidebar-heading">Add people</h3>
      {candidates.length === 0 ? (
        <p className="sidebar-empty">Nobody else you share a room with yet.</p>
      ) : (
        <ul className="panel-list" aria-label="People you can add" data-testid="candidate-list">
          {candidates.map((p) => (
            <li key={p.userId} data-testid="candidate">
              <span className="grow">{p.displayName}</span>
              <button type="button" className="button-quiet" aria-disabled={busy} aria-label={`Add ${p.displayName}`} onClick={() => void act(() => session.addMember(room.roomId, p.userId))}>
                Add
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        <button type="button" className="button-quiet" onClick={onClose}>
          Close
        </button>
      </div>
    </PanelDialog>
  );
}
