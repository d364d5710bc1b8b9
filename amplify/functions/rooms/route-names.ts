/**
 * The HTTP routes served by the rooms function, by `HttpRoutes` name. Kept apart from the handler code so the CDK
 * stack and the local gateway can wire them without loading any handler module.
 */
import type { HttpRouteName } from '../../../lib/protocol';

export const ROOM_ROUTE_NAMES = [
  'myRooms',
  'browseRooms',
  'createRoom',
  'roomInfo',
  'joinRoom',
  'leaveRoom',
  'listMembers',
  'addMember',
  'removeMember',
  'markRead',
  'muteRoom',
  'openDm',
] as const satisfies readonly HttpRouteName[];

/** One of the rooms routes. */
export type RoomRouteName = (typeof ROOM_ROUTE_NAMES)[number];
