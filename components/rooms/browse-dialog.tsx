'use client';
/** "Browse rooms": public rooms, most recent activity first (name, topic, members, last activity); join, open, leave. */
import { useCallback, useEffect, useState } from 'react';
import type { ChatSession } from '../../lib/chat/chat-session';
import { describeError } from '../../lib/chat/outgoing';
import type { RoomSummary } from '../../lib/protocol';
import { PanelDialog } from './panel-dialog';

const when = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function BrowseDialog({ open, session, onClose, go }: { open: boolean; session: ChatSession; onClose: () => void; go: (roomId: string) => void }) {
  const [rooms, setRooms] = useState<RoomSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<string>();
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (after?: string) => {
      setLoading(true);
      setProblem(undefined);
      try {
        const page = await session.api.browseRooms(after ? { cursor: after } : {});
        setRooms((old) => (after ? [...old, ...page.rooms] : page.rooms));
        setCursor(page.nextCursor);
      } catch (error) {
        setProblem(describeError(error));
      } finally {
        setLoading(false);
      }
    },
    [session],
  );

  useEffect(() => {
    if (open) void load();
  }, [open, load]);

  const act = (work: () => Promise<void>) => void work().catch((error: unknown) => setProblem(describeError(error)));

  return (
    <PanelDialog open={open} title="Browse rooms" onClose={onClose} testId="browse-dialog">
      {problem && (
        <p className="form-problem" role="alert">
          {problem}
        </p>
      )}
      <ul className="panel-list" aria-label="Public rooms" aria-busy={loading}>
        {rooms.map((room) => {
          const member = session.list.has(room.roomId);
          return (
            <li key={room.roomId} data-testid="browse-room" data-room-id={room.roomId}>
              <span className="grow">
                <strong># {room.name}</strong>
                {room.topic && <span className="panel-meta">{room.topic}</span>}
                <span className="panel-meta">
                  {room.memberCount} {room.memberCount === 1 ? 'member' : 'members'} · active {when.format(new Date(room.lastActivityAt))}
                </span>
              </span>
              <button
                type="button"
                className="button-quiet"
                onClick={() => {
                  go(room.roomId);
                  onClose();
                }}
              >
                Open
              </button>
              {member ? (
                <button type="button" className="button-quiet" aria-label={`Leave ${room.name}`} onClick={() => act(() => session.leave(room.roomId).then(() => load()))}>
                  Leave
                </button>
              ) : (
                <button type="button" className="button-primary" aria-label={`Join ${room.name}`} onClick={() => act(() => session.join(room.roomId).then(() => load()))}>
                  Join
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {!loading && rooms.length === 0 && !problem && <p className="sidebar-empty">No public rooms yet: create one.</p>}
      <div className="dialog-actions">
        {cursor && (
          <button type="button" className="button-quiet" onClick={() => void load(cursor)}>
            Load more
          </button>
        )}
        <button type="button" className="button-quiet" onClick={onClose}>
          Close
        </button>
      </div>
    </PanelDialog>
  );
}
