/**
 * WebSocket route keys (`action` values), the connect query, HTTP routes and paths: plain data, no validator.
 * Part of lib/protocol.ts (which re-exports everything here).
 */

/** Route key values (API Gateway route selection: `$request.body.action`). */
export const Action = {
  SendMessage: 'sendMessage',
  Ping: 'ping',
  Presence: 'presence',
  Subscribe: 'subscribe',
  Unsubscribe: 'unsubscribe',
  MarkRead: 'markRead',
  Typing: 'typing',
  EditMessage: 'editMessage',
  DeleteMessage: 'deleteMessage',
  React: 'react',
} as const;

/** WebSocket connect URL query parameters: `wss://…?ticket=T` (the authorizer's identity source). No room: one socket serves all rooms. */
export const ConnectQuery = { ticket: 'ticket' } as const;

/** HTTP API routes in API Gateway's `{param}` syntax: the CDK stack and the local gateway declare exactly these. */
export const HttpRoutes = {
  createTicket: { method: 'POST', path: '/tickets' },
  getMessages: { method: 'GET', path: '/rooms/{roomId}/messages' },
  getChanges: { method: 'GET', path: '/rooms/{roomId}/changes' },
  storeMessage: { method: 'POST', path: '/rooms/{roomId}/messages' },
  myRooms: { method: 'GET', path: '/me/rooms' },
  browseRooms: { method: 'GET', path: '/rooms' },
  createRoom: { method: 'POST', path: '/rooms' },
  roomInfo: { method: 'GET', path: '/rooms/{roomId}' },
  joinRoom: { method: 'PUT', path: '/rooms/{roomId}/membership' },
  leaveRoom: { method: 'DELETE', path: '/rooms/{roomId}/membership' },
  listMembers: { method: 'GET', path: '/rooms/{roomId}/members' },
  addMember: { method: 'POST', path: '/rooms/{roomId}/members' },
  removeMember: { method: 'DELETE', path: '/rooms/{roomId}/members/{userId}' },
  markRead: { method: 'PUT', path: '/rooms/{roomId}/read' },
  muteRoom: { method: 'PUT', path: '/rooms/{roomId}/mute' },
  openDm: { method: 'POST', path: '/dms' },
} as const;
export type HttpRouteName = keyof typeof HttpRoutes;

/** HTTP paths (relative to the HTTP API base URL). */
export const Paths = {
  tickets: HttpRoutes.createTicket.path,
  roomMessages: (roomId: string) => `/rooms/${encodeURIComponent(roomId)}/messages`,
  roomChanges: (roomId: string) => `/rooms/${encodeURIComponent(roomId)}/changes`,
  myRooms: HttpRoutes.myRooms.path,
  rooms: HttpRoutes.browseRooms.path,
  room: (roomId: string) => `/rooms/${encodeURIComponent(roomId)}`,
  membership: (roomId: string) => `/rooms/${encodeURIComponent(roomId)}/membership`,
  members: (roomId: string) => `/rooms/${encodeURIComponent(roomId)}/members`,
  member: (roomId: string, userId: string) => `/rooms/${encodeURIComponent(roomId)}/members/${encodeURIComponent(userId)}`,
  read: (roomId: string) => `/rooms/${encodeURIComponent(roomId)}/read`,
  mute: (roomId: string) => `/rooms/${encodeURIComponent(roomId)}/mute`,
  dms: HttpRoutes.openDm.path,
} as const;
