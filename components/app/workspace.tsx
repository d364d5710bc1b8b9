'use client';
/**
 * The signed-in app (loaded only after sign-in): header, the "Rooms" sidebar (a drawer under 768 px), the
 * room on screen, the quick switcher and the keyboard shortcuts. One ChatSession — one socket — serves every
 * room; the URL hash names the room on screen, so links can be shared and Back/Forward switch rooms.
 */
import { useEffect, useMemo, useState } from 'react';
import { useChatSession, useSessionVersion } from '../../hooks/use-chat-session';
import { useDisplayName } from '../../hooks/use-display-name';
import { useRoomId } from '../../hooks/use-room-id';
import { useRoomShortcuts } from '../../hooks/use-room-shortcuts';
import { createChatApi } from '../../lib/api';
import { previewLine } from '../../lib/chat/preview-line';
import { describeError } from '../../lib/chat/outgoing';
import { roomName } from '../../lib/chat/room-list';
import { unreadBadge } from '../../lib/chat/unread';
import type { ChatOutputs } from '../../lib/outputs';
import type { MyRoom } from '../../lib/protocol';
import { ChatRoom } from '../chat/chat-room';
import { PersonActionsContext, type PersonActions } from '../chat/person-name';
import { BrowseDialog } from '../rooms/browse-dialog';
import { CreateDialog } from '../rooms/create-dialog';
import { QuickSwitcher, type SwitcherItem } from '../rooms/quick-switcher';
import { RoomSidebar, type SidebarRoom } from '../rooms/room-sidebar';
import { AccountMenu } from './account-menu';
import { AppHeader } from './app-header';
import { ThemeToggle } from './theme-toggle';
import type { Session } from './auth-gate';

const SIDEBAR_ID = 'room-sidebar';

export interface WorkspaceProps {
  chat: ChatOutputs;
  auth: Session;
}

export default function Workspace({ chat, auth }: WorkspaceProps) {
  const api = useMemo(() => createChatApi(chat.httpApiUrl), [chat.httpApiUrl]);
  const session = useChatSession(api, chat.webSocketUrl, auth.userId);
  useSessionVersion(session);
  const [roomId, go] = useRoomId();
  const userName = useDisplayName('You');
  const [drawer, setDrawer] = useState(false);
  const [switcher, setSwitcher] = useState(false);
  const [browse, setBrowse] = useState(false);
  const [create, setCreate] = useState(false);
  // Focus the composer on devices with a keyboard; on phones it would pop the keyboard up.
  const [focusComposer] = useState(() => typeof window !== 'undefined' && window.matchMedia?.('(pointer: fine)').matches);

  useEffect(() => {
    session?.open(roomId);
  }, [session, roomId]);

  // The drawer (phones): focus moves into it when it opens; Esc closes it and returns focus to its button.
  useEffect(() => {
    if (!drawer) return;
    document.querySelector<HTMLElement>(`#${SIDEBAR_ID} a, #${SIDEBAR_ID} button`)?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault(); // closing the drawer is all Esc does here
      setDrawer(false);
      document.querySelector<HTMLElement>('[data-testid="drawer-toggle"]')?.focus();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [drawer]);

  useEffect(() => {
    if (session && userName !== 'You') session.learn({ userId: auth.userId, displayName: userName });
  }, [session, userName, auth.userId]);

  const sections = session?.list.sections() ?? { rooms: [], dms: [] };
  const toRow = (entry: MyRoom): SidebarRoom => ({
    roomId: entry.room.roomId,
    name: roomName(entry),
    kind: entry.room.kind,
    unread: entry.unread,
    mentions: entry.mentions,
    muted: entry.membership.muted,
    ...(entry.lastMessage ? previewLine(entry.lastMessage, auth.userId, (id) => session?.nameOf(id)) : {}),
  });
  const rooms = sections.rooms.map(toRow);
  const dms = sections.dms.map(toRow);
  const order = [...rooms, ...dms].map((r) => r.roomId);
  const items: SwitcherItem[] = [...rooms, ...dms].map((r) => ({
    roomId: r.roomId,
    name: r.name,
    detail: [r.kind === 'dm' ? 'Direct message' : r.kind === 'private' ? 'Private' : '', r.unread && !r.muted ? `${unreadBadge(r.unread)} unread` : ''].filter(Boolean).join(' · ') || undefined,
  }));

  useRoomShortcuts({
    order,
    current: roomId,
    openSwitcher: () => setSwitcher(true),
    go,
    markRead: () => session?.markRead(true),
  });

  const people = useMemo<PersonActions | undefined>(
    () =>
      session && {
        selfId: auth.userId,
        directMessage: (userId) =>
          void session.directMessage(userId).then(go, (error: unknown) => session.report(describeError(error))),
      },
    [session, auth.userId, go],
  );

  return (
    <div className="workspace" data-drawer={drawer ? 'open' : 'closed'}>
      <AppHeader>
        <button
          type="button"
          className="button-quiet drawer-toggle"
          aria-expanded={drawer}
          aria-controls={SIDEBAR_ID}
          data-testid="drawer-toggle"
          onClick={() => setDrawer((v) => !v)}
        >
          Rooms
        </button>
        <button type="button" className="button-quiet switch-room-button" onClick={() => setSwitcher(true)} aria-keyshortcuts="Control+K Meta+K">
          Switch room
        </button>
        <ThemeToggle />
        <AccountMenu
          fallbackName={auth.loginId}
          onSignOut={() => {
            session?.close(); // Close the socket first: sign-out must not leave a live connection behind.
            auth.signOut();
          }}
        />
      </AppHeader>
      <div className="workspace-body">
        <RoomSidebar
          id={SIDEBAR_ID}
          rooms={rooms}
          dms={dms}
          current={roomId}
          loading={!session?.list.loaded}
          onBrowse={() => {
            setDrawer(false);
            setBrowse(true);
          }}
          onCreate={() => {
            setDrawer(false);
            setCreate(true);
          }}
          onNavigate={() => setDrawer(false)}
        />
        {drawer && <button type="button" className="drawer-backdrop" aria-label="Close rooms" onClick={() => setDrawer(false)} />}
        <PersonActionsContext.Provider value={people}>
          {session ? (
            <ChatRoom session={session} roomId={roomId} userName={userName} go={go} focusComposer={focusComposer} />
          ) : (
            <p className="loading" role="status">
              Connecting…
            </p>
          )}
        </PersonActionsContext.Provider>
      </div>
      <QuickSwitcher
        open={switcher}
        items={items}
        onClose={() => setSwitcher(false)}
        onChoose={(id) => {
          setSwitcher(false);
          go(id);
        }}
      />
      {session && <BrowseDialog open={browse} session={session} onClose={() => setBrowse(false)} go={go} />}
      {session && <CreateDialog open={create} session={session} onClose={() => setCreate(false)} go={go} />}
    </div>
  );
}
