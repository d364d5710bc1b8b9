'use client';
/**
 * The `navigation` named "Rooms": my public and private rooms, then direct messages, each sorted by last
 * activity, with unread/mention badges and the last message's preview. Under 768 px it is a drawer.
 * Every user-supplied string (names, previews) is rendered as text, never markup.
 */
import { isUnread, roomLinkName, unreadBadge } from '../../lib/chat/unread';
import { LockIcon } from './lock-icon';

/** One row of the sidebar. */
export interface SidebarRoom {
  readonly roomId: string;
  readonly name: string;
  readonly kind: 'public' | 'private' | 'dm';
  readonly unread: number;
  readonly mentions: number;
  readonly muted?: boolean;
  /** "Ada: see you at 3", already shortened; absent when the room has no messages. */
  readonly preview?: string;
  /** The last message was deleted: the preview ("Ada: message deleted") is styled like the timeline's placeholder. */
  readonly previewDeleted?: boolean;
}

export interface RoomSidebarProps {
  id: string;
  rooms: readonly SidebarRoom[];
  dms: readonly SidebarRoom[];
  current: string;
  /** True while the first list is loading. */
  loading?: boolean;
  onBrowse: () => void;
  onCreate: () => void;
  /** A link was followed (the drawer closes). */
  onNavigate: () => void;
}

function RoomRow({ room, current, onNavigate }: { room: SidebarRoom; current: boolean; onNavigate: () => void }) {
  const unread = isUnread(room);
  return (
    <li>
      <a
        href={`#${room.roomId}`}
        className="room-link"
        data-testid="room-link"
        data-room-id={room.roomId}
        data-unread={unread ? 'true' : undefined}
        data-muted={room.muted ? 'true' : undefined}
        aria-current={current ? 'page' : undefined}
        aria-label={roomLinkName(room.name, room)}
        onClick={onNavigate}
      >
        <span className="room-link-top">
          <span className="room-link-name">
            {room.kind === 'private' ? <LockIcon /> : room.kind === 'dm' ? '' : '# '}
            {room.name}
          </span>
          {room.mentions > 0 && (
            <span className="badge badge-mention" data-testid="mention-badge">
              @{unreadBadge(room.mentions)}
            </span>
          )}
          {!room.muted && room.unread > 0 && (
            <span className="badge" data-testid="unread-badge">
              {unreadBadge(room.unread)}
            </span>
          )}
        </span>
        {room.preview && (
          <span className={room.previewDeleted ? 'room-link-preview room-link-preview-deleted' : 'room-link-preview'} data-testid="room-preview" data-deleted={room.previewDeleted ? 'true' : undefined}>
            {room.preview}
          </span>
        )}
      </a>
    </li>
  );
}

export function RoomSidebar({ id, rooms, dms, current, loading, onBrowse, onCreate, onNavigate }: RoomSidebarProps) {
  return (
    <nav id={id} className="sidebar" aria-label="Rooms" data-testid="sidebar">
      <div className="sidebar-actions">
        <button type="button" className="button-quiet" onClick={onBrowse}>
          Browse rooms
        </button>
        <button type="button" className="button-quiet" onClick={onCreate}>
          Create room
        </button>
      </div>
      <h2 className="sidebar-heading">Rooms</h2>
      {loading && rooms.length === 0 ? <p className="sidebar-empty">Loading…</p> : null}
      <ul className="room-links" data-testid="room-list">
        {rooms.map((room) => (
          <RoomRow key={room.roomId} room={room} current={room.roomId === current} onNavigate={onNavigate} />
        ))}
      </ul>
      <h2 className="sidebar-heading">Direct messages</h2>
      {dms.length === 0 && !loading ? <p className="sidebar-empty">Choose a person’s name to send a direct message.</p> : null}
      <ul className="room-links" data-testid="dm-list">
        {dms.map((room) => (
          <RoomRow key={room.roomId} room={room} current={room.roomId === current} onNavigate={onNavigate} />
        ))}
      </ul>
    </nav>
  );
}
