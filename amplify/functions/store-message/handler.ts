/** POST /rooms/{roomId}/messages — store and broadcast, for clients without a socket (same rules as the socket's sendMessage). */
import { ChatError } from '../../../lib/chat-error';
import { ErrorCode, storeMessageRequestSchema } from '../../../lib/protocol';
import { sendMessage } from '../../chat/send-message';
import { httpHandler, json, jsonBody, requireUser } from '../../chat/http';
import { useShardQueue } from '../../chat/broadcast';
import { enqueueShards } from '../../chat/fanout-enqueue';

// A queue sender: a big room's pages go to the fan-out worker through SQS (the only functions carrying its client).
useShardQueue(enqueueShards);

export const handler = httpHandler(async (event) => {
  const author = requireUser(event);
  // Validated and authorized by sendMessage (BAD_ROOM, NOT_FOUND, or a public room joined by this send).
  const roomId = event.pathParameters?.roomId ?? '';
  const request = storeMessageRequestSchema.safeParse(jsonBody(event));
  if (!request.success) {
    const issue = request.error.issues[0];
    throw new ChatError(ErrorCode.BadRequest, `Invalid "${issue?.path.join('.')}": ${issue?.message}`);
  }
  const { message } = await sendMessage({ roomId, author, ...request.data });
  return json(201, { message });
});
