/** $disconnect — removes this socket's row. Best effort in API Gateway, hence the TTL on rows too. */
import { removeConnection } from '../../chat/connections';
import type { WebSocketEvent } from '../../chat/websocket';

export const handler = async (event: WebSocketEvent): Promise<{ statusCode: number }> => {
  await removeConnection(event.requestContext.connectionId);
  return { statusCode: 200 };
};
