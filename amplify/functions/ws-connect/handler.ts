/**
 * $connect — records the socket for the user the authorizer verified (never the client). No room and no fan-out:
 * the socket names its rooms with `subscribe` once open, and $connect never waits for a room-wide post.
 */
import { saveConnection } from '../../chat/connections';
import { userFromAuthorizer, type WebSocketEvent } from '../../chat/websocket';
import { logger } from '../../chat/logger';
import { count, withMetrics } from '../../chat/metrics';

export const handler = withMetrics(async (event: WebSocketEvent): Promise<{ statusCode: number; body?: string }> => {
  const user = userFromAuthorizer(event);
  if (!user) return { statusCode: 401, body: 'Unauthorized' };
  const connectionId = event.requestContext.connectionId;
  await saveConnection(connectionId, user);
  count('ConnectionsOpened');
  logger.info('connected', { requestId: event.requestContext.requestId, connectionId });
  return { statusCode: 200 };
});
