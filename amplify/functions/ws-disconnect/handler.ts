/**
 * $disconnect — removes this socket's row and tells the rest of the room who is left. Best effort in API
 * Gateway, hence the heartbeat TTL on rows too.
 */
import { removeConnection } from '../../chat/connections';
import { announcePresence } from '../../chat/presence';
import { logger } from '../../chat/logger';
import type { WebSocketEvent } from '../../chat/websocket';

export const handler = async (event: WebSocketEvent): Promise<{ statusCode: number }> => {
  const connectionId = event.requestContext.connectionId;
  const row = await removeConnection(connectionId);
  if (row) {
    try {
      await announcePresence(row.roomId, { leavingConnectionId: connectionId });
    } catch (error) {
      logger.warn('presence announcement failed', { requestId: event.requestContext.requestId, connectionId, error: (error as Error).name });
    }
  }
  return { statusCode: 200 };
};
