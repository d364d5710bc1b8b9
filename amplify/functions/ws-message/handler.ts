/**
 * `sendMessage`, `ping` and `$default` routes: parse the frame, act for the connection's verified user,
 * answer the sender (ack, pong or a typed error frame). Nothing a client sends can crash this handler.
 */
import { ChatError, parseClientFrame, toErrorFrame } from '../../../lib/chat-error';
import { Action, ErrorCode, clientMessageIdSchema, type ServerFrame } from '../../../lib/protocol';
import { getConnection } from '../../chat/connections';
import { postToConnection } from '../../chat/broadcast';
import { sendMessage } from '../../chat/send-message';
import { logger } from '../../chat/logger';
import type { WebSocketEvent } from '../../chat/websocket';

async function reply(event: WebSocketEvent): Promise<ServerFrame> {
  const frame = parseClientFrame(event.body);
  if (frame.action === Action.Ping) return { type: 'pong' };
  const connection = await getConnection(event.requestContext.connectionId);
  if (!connection) throw new ChatError(ErrorCode.NotConnected, 'This connection has expired; reconnect and try again');
  const author = { userId: connection.userId, displayName: connection.displayName };
  const { message } = await sendMessage({ roomId: connection.roomId, author, body: frame.body, clientMessageId: frame.clientMessageId });
  return { type: 'ack', clientMessageId: frame.clientMessageId, message };
}

export const handler = async (event: WebSocketEvent): Promise<{ statusCode: number }> => {
  const connectionId = event.requestContext.connectionId;
  logger.appendKeys({ requestId: event.requestContext.requestId, connectionId, route: event.requestContext.routeKey });
  let frame: ServerFrame;
  try {
    frame = await reply(event);
  } catch (error) {
    if (!(error instanceof ChatError)) logger.error('unhandled error', { error: error as Error });
    frame = toErrorFrame(error, clientMessageIdOf(event.body));
  }
  try {
    await postToConnection(connectionId, frame);
  } catch (error) {
    logger.warn('reply failed', { error: (error as Error).name });
  } finally {
    logger.resetKeys();
  }
  return { statusCode: 200 };
};

/** Best-effort echo of the client's id on error frames so the client can match them up. */
function clientMessageIdOf(body: string | undefined): string | undefined {
  try {
    const id = (JSON.parse(body ?? '') as { clientMessageId?: unknown }).clientMessageId;
    return clientMessageIdSchema.safeParse(id).success ? (id as string) : undefined;
  } catch {
    return undefined;
  }
}
