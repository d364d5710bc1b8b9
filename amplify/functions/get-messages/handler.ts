/** GET /rooms/{roomId}/messages?limit&before — a room's history, newest first, cursor-paged. */
import { ChatError, parseRoomId } from '../../../lib/chat-error';
import { ErrorCode, historyQuerySchema } from '../../../lib/protocol';
import { listMessages } from '../../chat/messages';
import { httpHandler, json, requireUser } from '../../chat/http';

export const handler = httpHandler(async (event) => {
  requireUser(event);
  const roomId = parseRoomId(event.pathParameters?.roomId);
  const query = historyQuerySchema.safeParse(event.queryStringParameters ?? {});
  if (!query.success) {
    const issue = query.error.issues[0];
    throw new ChatError(ErrorCode.BadRequest, `Invalid "${issue?.path.join('.')}": ${issue?.message}`);
  }
  return json(200, await listMessages(roomId, query.data));
});
