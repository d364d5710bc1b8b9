/** $connect — records the socket in its room. The user comes from the authorizer, never the client. */
import { parseRoomId, ChatError } from '../../../lib/chat-error';
import { DEFAULT_ROOM } from '../../../lib/protocol';
import { saveConnection } from '../../chat/connections';
import { userFromAuthorizer, type WebSocketEvent } from '../../chat/websocket';
import { logger } from '../../chat/logger';

export const handler = async (event: WebSocketEvent): Promise<{ statusCode: number; body?: string }> => {
  const user = userFromAuthorizer(event);
  if (!user) return { statusCode: 401, body: 'Unauthorized' };
  let roomId: string;
  try {
    roomId = parseRoomId(event.queryStringParameters?.room ?? DEFAULT_ROOM);
  } catch (error) {
    return { statusCode: 400, body: (error as ChatError).message };
  }
  await saveConnection(event.requestContext.connectionId, roomId, user);
  logger.info('connected', { connectionId: event.requestContext.connectionId, roomId });
  return { statusCode: 200 };
};
