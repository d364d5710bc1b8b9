'use client';
/** A member's actions on the room on screen: members (private rooms), mute/unmute, leave. */
import { useState } from 'react';
import type { ChatSession } from '../../lib/chat/chat-session';
import { describeError } from '../../lib/chat/outgoing';
import { DEFAULT_ROOM, type RoomSummary } from '../../lib/protocol';
import { MembersDialog } from './members-dialog';

export function RoomActions({ session, room, go, onProblem }: { session: ChatSession; room: RoomSummary; go: (roomId: string) => void; onProblem: (text: string) => void }) {
  const [membersOpen, setMembersOpen] = useState(false);
  const muted = session.list.get(room.roomId)?.membership.muted ?? false;
  const act = (work: () => Promise<unknown>) => void work().catch((error: unknown) => onProblem(describeError(error)));
  return (
    <div className="room-actions">
      {room.kind === 'private' && (
        <button type="button" className="button-quiet" onClick={() => setMembersOpen(true)}>
          Members ({room.memberCount})
        </button>
      )}
      <button type="button" className="button-quiet" aria-pressed={muted} onClick={() => act(() => session.setMuted(room.roomId, !muted))}>
        {muted ? 'Unmute' : 'Mute'}
      </button>
      {room.kind !== 'dm' && (
        <button
          type="button"
          className="button-quiet"
          onClick={() =>
            act(async () => {
              await session.leave(room.roomId);
              if (room.roomId !== DEFAULT_ROOM) go(DEFAULT_ROOM);
            })
          }
        >
          Leave room
        </button>
      )}
      {room.kind === 'private' && <MembersDialog open={membersOpen} session={session} room={room} onClose={() => setMembersOpen(false)} />}
    </div>
  );
}
