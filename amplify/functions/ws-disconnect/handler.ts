/**
 * $disconnect — removes this socket's row and subscriptions, and tells each room where it was the user's last
 * socket that they left. Best effort in API Gateway, hence the heartbeat expiry on rows and a TTL on subscriptions.
 */
import { removeConnection } from '../../chat/connections';
import { closeSocket } from '../../chat/socket-rooms';
import { logger } from '../../chat/logger';
import { count, withMetrics } from '../../chat/metrics';
import type { WebSocketEvent } from '../../chat/websocket';
import { useShardQueue } from '../../chat/broadcast';
import { enqueueShards } from '../../chat/fanout-enqueue';

// A queue sender: a big room's pages go to the fan-out worker through SQS (the only functions carrying its client).
useShardQueue(enqueueShards);

export const handler = withMetrics(async (event: WebSocketEvent): Promise<{ statusCode: number }> => {
  const connectionId = event.requestContext.connectionId;
  const row = await removeConnection(connectionId);
  if (row) {
    count('ConnectionsClosed');
    try {
      await closeSocket(connectionId, { userId: row.userId, displayName: row.displayName });
    } catch (error) {
      logger.warn('subscription cleanup failed', { requestId: event.requestContext.requestId, connectionId, error: (error as Error).name });
    }
  }
  return { statusCode: 200 };
});
