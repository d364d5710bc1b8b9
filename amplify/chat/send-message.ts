/**
 * The one "send a message" use case, shared by the WebSocket sendMessage route and the HTTP POST:
 * validate, store, broadcast to the room.
 */
import type { ChatMessage } from '../../lib/protocol';
import { parseBody } from '../../lib/chat-error';
import type { ChatUser } from './identity';
import { storeMessage } from './messages';
import { broadcast, type BroadcastResult } from './broadcast';

/** Validates and stores `body` from `author` in `roomId`, then fans it out. */
export async function sendMessage(input: {
  roomId: string;
  author: ChatUser;
  body: unknown;
  clientMessageId?: string;
}): Promise<{ message: ChatMessage; broadcast: BroadcastResult }> {
  const body = parseBody(input.body);
  const message = await storeMessage({ roomId: input.roomId, author: input.author, body, clientMessageId: input.clientMessageId });
  const result = await broadcast(input.roomId, { type: 'message', message });
  return { message, broadcast: result };
}
