/**
 * The rooms HTTP routes, one thin function each: identity from the verified token, input parsed with the protocol's
 * schemas, the work done by the domain core (amplify/chat/), a JSON reply. Keyed by `HttpRoutes` name.
 */
import type * as z from 'zod/mini';
import { ChatError } from '../../../lib/chat-error';
import {
  ErrorCode,
  addMemberRequestSchema,
  listQuerySchema,
  markReadRequestSchema,
  muteRequestSchema,
  openDmRequestSchema,
} from '../../../lib/protocol';
import type { RoomRouteName } from './route-names';
import { json, jsonBody, requireUser, type HttpEvent, type HttpResult } from '../../chat/http';
import { myRooms } from '../../chat/my-rooms';
import { browsePublicRooms } from '../../chat/rooms';
import { createRoom, openDm } from '../../chat/room-create';
import { roomInfo, roomMembers } from '../../chat/room-info';
import { addMember, joinRoom, leaveRoom, removeMember } from '../../chat/room-membership';
import { markRead, setMute } from '../../chat/read-state';

/** Parses `input` with `schema` or throws BAD_REQUEST naming the field. */
export function parseWith<S extends z.ZodMiniType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ChatError(ErrorCode.BadRequest, `Invalid "${issue?.path.join('.') || 'body'}": ${issue?.message ?? 'bad value'}`);
}

const roomParam = (event: HttpEvent) => event.pathParameters?.roomId;
const NO_CONTENT: HttpResult = { statusCode: 204, headers: { 'cache-control': 'no-store' } };

/** The rooms routes this function serves. */
export const ROOM_ROUTES = {
  myRooms: async (event) => json(200, { rooms: await myRooms(requireUser(event)) }),
  browseRooms: async (event) => {
    requireUser(event);
    return json(200, await browsePublicRooms(parseWith(listQuerySchema, event.queryStringParameters)));
  },
  createRoom: async (event) => json(201, await createRoom(requireUser(event), jsonBody(event))),
  roomInfo: async (event) => json(200, await roomInfo(requireUser(event), roomParam(event))),
  joinRoom: async (event) => json(200, await joinRoom(requireUser(event), roomParam(event))),
  leaveRoom: async (event) => {
    await leaveRoom(requireUser(event), roomParam(event));
    return NO_CONTENT;
  },
  listMembers: async (event) => {
    const user = requireUser(event);
    return json(200, await roomMembers(user, roomParam(event), parseWith(listQuerySchema, event.queryStringParameters)));
  },
  addMember: async (event) => {
    const user = requireUser(event);
    const { userId } = parseWith(addMemberRequestSchema, jsonBody(event));
    const { member, created } = await addMember(user, roomParam(event), userId);
    return json(created ? 201 : 200, { member });
  },
  removeMember: async (event) => {
    await removeMember(requireUser(event), roomParam(event), event.pathParameters?.userId ?? '');
    return NO_CONTENT;
  },
  markRead: async (event) => {
    const user = requireUser(event);
    const { messageId } = parseWith(markReadRequestSchema, jsonBody(event));
    return json(200, await markRead(user, roomParam(event), messageId));
  },
  muteRoom: async (event) => {
    const user = requireUser(event);
    const { muted } = parseWith(muteRequestSchema, jsonBody(event));
    return json(200, await setMute(user, roomParam(event), muted));
  },
  openDm: async (event) => {
    const user = requireUser(event);
    const { userId } = parseWith(openDmRequestSchema, jsonBody(event));
    const { response, created } = await openDm(user, userId);
    return json(created ? 201 : 200, response);
  },
} satisfies Record<RoomRouteName, (event: HttpEvent) => Promise<HttpResult>>;
