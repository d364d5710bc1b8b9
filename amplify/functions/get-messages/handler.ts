/**
 * GET /rooms/{roomId}/messages?limit&before&after — a room's history, newest first, cursor-paged. Public rooms:
 * anyone signed in; private rooms and DMs: members only (anyone else gets the NOT_FOUND of a missing room).
 */
import { ChatError } from '../../../lib/chat-error';
import { ErrorCode, historyQuerySchema } from '../../../lib/protocol';
import { listMessages } from '../../chat/messages';
import { readableRoom } from '../../chat/room-access';
import { httpHandler, json, requireUser } from '../../chat/http';

export const handler = httpHandler(async (event) => {
  const user = requireUser(event);
  const query = historyQuerySchema.safeParse(event.queryStringParameters ?? {});
  if (!query.success) {
    const issue = query.error.issues[0];
    throw new ChatError(ErrorCode.BadRequest, `Invalid "${issue?.path.join('.')}": ${issue?.message}`);
  }
  const { roomId } = await readableRoom(user, event.pathParameters?.roomId);
  return json(200, await listMessages(roomId, query.data));
});
