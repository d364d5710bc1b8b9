/**
 * Protocol versions and the typed error codes with their HTTP statuses: plain data, no validator.
 * Part of lib/protocol.ts (which re-exports everything here).
 */

/**
 * Version of this wire protocol, sent by every client when it asks for a ticket (POST /tickets?protocol=N;
 * a client that predates the parameter speaks version 1). Bump it with a change older clients cannot
 * follow, and raise MIN_CLIENT_PROTOCOL_VERSION once the server stops serving them: an open tab of an
 * older build then gets CLIENT_OUTDATED, which the UI turns into "A new version is available — reload".
 */
export const PROTOCOL_VERSION = 3;
/**
 * Oldest client protocol version the server still serves. 2 = rooms (one socket for all rooms, every frame names
 * its room): a version-1 tab (one socket per room, frames without roomId) cannot work against it, so it is told
 * to reload instead of failing frame by frame. 3 = late-stored messages in the changes feed (kind `stored`): a
 * version-2 tab refuses a changes page holding one, so it is told to reload too.
 */
export const MIN_CLIENT_PROTOCOL_VERSION = 3;
/** Query parameter carrying the client's protocol version on POST /tickets. */
export const PROTOCOL_QUERY = 'protocol';

/** Typed error codes, shared by WebSocket error frames and HTTP error bodies. */
export const ErrorCode = {
  BadJson: 'BAD_JSON',
  BadFrame: 'BAD_FRAME',
  UnknownAction: 'UNKNOWN_ACTION',
  FrameTooLarge: 'FRAME_TOO_LARGE',
  EmptyBody: 'EMPTY_BODY',
  BodyTooLong: 'BODY_TOO_LONG',
  BadRoom: 'BAD_ROOM',
  BadRequest: 'BAD_REQUEST',
  Unauthorized: 'UNAUTHORIZED',
  NotConnected: 'NOT_CONNECTED',
  /** A room that does not exist, OR a private room / DM the caller is not a member of (indistinguishable on purpose). */
  NotFound: 'NOT_FOUND',
  RateLimited: 'RATE_LIMITED',
  Internal: 'INTERNAL',
  // rooms
  /** Room name breaks the name rules. */
  BadRoomName: 'BAD_ROOM_NAME',
  /** Topic breaks the topic rules. */
  BadTopic: 'BAD_TOPIC',
  /** A public room with this name already exists (join it instead). Never answered for private rooms. */
  NameTaken: 'NAME_TAKEN',
  /** The caller (or the person being added) is already in `LIMITS.roomsPerUser` rooms. */
  TooManyRooms: 'TOO_MANY_ROOMS',
  /** The private room already has `LIMITS.membersPerPrivateRoom` members. */
  RoomFull: 'ROOM_FULL',
  /** Public room, caller not a member, for an action that needs membership (read position, mute, typing, adding people). */
  NotMember: 'NOT_MEMBER',
  /** The action is not possible in this kind of room (e.g. adding people to a DM, removing others from a public room). */
  Forbidden: 'FORBIDDEN',
  /** The person to add or message is unknown or shares no room with the caller (indistinguishable on purpose). */
  UserNotFound: 'USER_NOT_FOUND',
  ClientOutdated: 'CLIENT_OUTDATED',
  // message actions
  /** No message with this id in THIS room (missing, or it lives in another room): edit, delete, react, reply. */
  MessageNotFound: 'MESSAGE_NOT_FOUND',
  /** The message was deleted: it cannot be edited, reacted to or replied to. */
  MessageDeleted: 'MESSAGE_DELETED',
  /** The edit or delete window (`MESSAGE_WINDOWS`) of this message has passed. */
  WindowClosed: 'WINDOW_CLOSED',
  /** Not a single emoji. */
  BadEmoji: 'BAD_EMOJI',
  /** The message already has `reactionsMaxEmojis` different emoji, or this emoji has `reactionsMaxUsersPerEmoji` people. */
  TooManyReactions: 'TOO_MANY_REACTIONS',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status for each error code, so every route answers the same code the same way. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  BAD_JSON: 400,
  BAD_FRAME: 400,
  UNKNOWN_ACTION: 400,
  FRAME_TOO_LARGE: 413,
  EMPTY_BODY: 400,
  BODY_TOO_LONG: 400,
  BAD_ROOM: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  NOT_CONNECTED: 409,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  BAD_ROOM_NAME: 400,
  BAD_TOPIC: 400,
  NAME_TAKEN: 409,
  TOO_MANY_ROOMS: 409,
  ROOM_FULL: 409,
  NOT_MEMBER: 403,
  FORBIDDEN: 403,
  USER_NOT_FOUND: 404,
  CLIENT_OUTDATED: 426,
  MESSAGE_NOT_FOUND: 404,
  MESSAGE_DELETED: 409,
  WINDOW_CLOSED: 409,
  BAD_EMOJI: 400,
  TOO_MANY_REACTIONS: 409,
};
