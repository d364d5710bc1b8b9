/**
 * $connect — records the socket in its room and tells the others who is there now. The user comes from
 * the authorizer, never the client. The newcomer itself gets presence by asking once its socket is open.
 */
import { parseRoomId, ChatError } from '../../../lib/chat-error';
import { ConnectQuery, DEFAULT_ROOM } from '../../../lib/protocol';
import { saveConnection } from '../../chat/connections';
import { announcePresence } from '../../chat/presence';
import { userFromAuthorizer, type WebSocketEvent } from '../../chat/websocket';
import { logger } from '../../chat/logger';

export const handler = async (event: WebSocketEvent): Promise<{ statusCode: number; body?: string }> => {
  const user = userFromAuthorizer(event);
  if (!user) return { statusCode: 401, body: 'Unauthorized' };
  let roomId: string;
  try {
    roomId = parseRoomId(event.queryStringParameters?.[ConnectQuery.room] ?? DEFAULT_ROOM);
  } catch (error) {
    return { statusCode: 400, body: (error as ChatError).message };
  }
  const connectionId = event.requestContext.connectionId;
  const row = await saveConnection(connectionId, roomId, user);
  logger.info('connected', { requestId: event.requestContext.requestId, connectionId, roomId });
  try {
    await announcePresence(roomId, { joining: row });
  } catch (error) {
    // Presence is a courtesy; failing it must not refuse a socket that is otherwise fine.
    logger.warn('presence announcement failed', { requestId: event.requestContext.requestId, connectionId, error: (error as Error).name });
  }
  return { statusCode: 200 };
};
