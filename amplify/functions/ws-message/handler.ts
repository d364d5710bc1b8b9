/**
 * `sendMessage`, `ping`, `presence` and `$default` routes: parse the frame, act for the connection's
 * verified user, answer the sender (ack, pong, presence or a typed error frame). Nothing a client sends
 * can crash this handler.
 */
import { ChatError, parseClientFrame, toErrorFrame } from '../../../lib/chat-error';
import { Action, ErrorCode, clientMessageIdSchema, type ChatMessage, type ServerFrame } from '../../../lib/protocol';
import { getConnection, refreshConnection } from '../../chat/connections';
import { postToConnection } from '../../chat/broadcast';
import { roomPresence } from '../../chat/presence';
import { sendMessage } from '../../chat/send-message';
import { logger } from '../../chat/logger';
import type { WebSocketEvent } from '../../chat/websocket';

/** The row is gone or stale (missed heartbeats): the client must open a new socket. */
const notConnected = () => new ChatError(ErrorCode.NotConnected, 'This connection has expired; reconnect and try again');

/** The frame to answer with, or undefined when the answer (an ack) was already sent. */
async function reply(event: WebSocketEvent): Promise<ServerFrame | undefined> {
  const frame = parseClientFrame(event.body);
  const connectionId = event.requestContext.connectionId;
  // The heartbeat: one conditional write keeps the row (and so fan-out and presence) alive.
  if (frame.action === Action.Ping) {
    if (!(await refreshConnection(connectionId))) throw notConnected();
    return { type: 'pong' };
  }
  const connection = await getConnection(connectionId);
  if (!connection) throw notConnected();
  // Answered to the asker only, so a chatty client cannot make the whole room receive frames.
  if (frame.action === Action.Presence) return roomPresence(connection.roomId);
  const author = { userId: connection.userId, displayName: connection.displayName };
  const { clientMessageId } = frame;
  // Ack as soon as the message is stored, before the room's fan-out.
  const ack = async (message: ChatMessage) => {
    await postToConnection(connectionId, { type: 'ack', clientMessageId, message }).catch((error: Error) =>
      logger.warn('ack failed', { error: error.name }),
    );
  };
  await sendMessage({ roomId: connection.roomId, author, body: frame.body, clientMessageId, onStored: ack });
  return undefined;
}

export const handler = async (event: WebSocketEvent): Promise<{ statusCode: number }> => {
  const connectionId = event.requestContext.connectionId;
  logger.appendKeys({ requestId: event.requestContext.requestId, connectionId, route: event.requestContext.routeKey });
  let frame: ServerFrame | undefined;
  try {
    frame = await reply(event);
  } catch (error) {
    if (!(error instanceof ChatError)) logger.error('unhandled error', { error: error as Error });
    frame = toErrorFrame(error, clientMessageIdOf(event.body));
  }
  try {
    if (frame) await postToConnection(connectionId, frame);
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
