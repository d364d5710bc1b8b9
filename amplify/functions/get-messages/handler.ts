/**
 * The read side of a room's messages (one function, two routes, the same access rules):
 * - GET /rooms/{roomId}/messages?limit&before&after | &around | &from — history, newest first, cursor-paged, with
 *   the room's `changeSeq` read BEFORE the messages (a change racing the read is re-fetched, never skipped);
 * - GET /rooms/{roomId}/changes?since&limit — messages changed since a point of the room's change order.
 * Public rooms: anyone signed in; private rooms and DMs: members only (anyone else gets the NOT_FOUND of a missing room).
 */
import type * as z from 'zod/mini';
import { ChatError } from '../../../lib/chat-error';
import { ErrorCode, HttpRoutes, changesQuerySchema, historyQuerySchema } from '../../../lib/protocol';
import { listAround, listFrom, listMessages } from '../../chat/messages';
import { currentChangeSeq, listChanges } from '../../chat/changes';
import { readableRoom } from '../../chat/room-access';
import { httpHandler, json, requireUser, type HttpEvent } from '../../chat/http';

/** Parses the query string with `schema` or throws BAD_REQUEST naming the parameter. */
function query<S extends z.ZodMiniType>(schema: S, event: HttpEvent): z.infer<S> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ChatError(ErrorCode.BadRequest, `Invalid "${issue?.path.join('.') || 'query'}": ${issue?.message}`);
}

const CHANGES_ROUTE = `${HttpRoutes.getChanges.method} ${HttpRoutes.getChanges.path}`;

export const handler = httpHandler(async (event) => {
  const user = requireUser(event);
  if (event.routeKey === CHANGES_ROUTE) {
    const { since, limit } = query(changesQuerySchema, event);
    const { roomId } = await readableRoom(user, event.pathParameters?.roomId);
    return json(200, await listChanges(roomId, since, limit));
  }
  const q = query(historyQuerySchema, event);
  const { roomId } = await readableRoom(user, event.pathParameters?.roomId);
  const changeSeq = await currentChangeSeq(roomId);
  const page = q.around
    ? await listAround(roomId, q.around, q.limit)
    : q.from
      ? await listFrom(roomId, q.from, q.limit)
      : await listMessages(roomId, q);
  return json(200, { ...page, changeSeq });
});
