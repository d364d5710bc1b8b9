/**
 * Every socket route but $connect/$disconnect: sendMessage, ping, subscribe, unsubscribe, markRead, typing,
 * presence, editMessage, deleteMessage, react and $default. Parse the frame, act for the connection's verified user, answer the sender (ack, pong,
 * subscribed, presenceList or a typed error frame naming the room). Nothing a client sends can crash this handler.
 */
import { ChatError, parseClientFrame, toErrorFrame } from '../../../lib/chat-error';
import {
  Action,
  ErrorCode,
  clientMessageIdSchema,
  messageIdSchema,
  requestIdSchema,
  type ChatMessage,
  type ClientFrame,
  type ServerFrame,
} from '../../../lib/protocol';
import { getConnection, refreshConnection, type Connection } from '../../chat/connections';
import { postToConnection, useShardQueue } from '../../chat/broadcast';
import { presencePage } from '../../chat/presence';
import { memberRoom, readableRoom } from '../../chat/room-access';
import { markRead } from '../../chat/read-state';
import { sendMessage } from '../../chat/send-message';
import { deleteMessage, editMessage, react } from '../../chat/message-actions';
import { subscribe, typing, unsubscribe } from '../../chat/socket-rooms';
import { referenceError } from '../../chat/error-ref';
import { logger } from '../../chat/logger';
import { count, timing, withMetrics, type ChatMetric } from '../../chat/metrics';
import type { WebSocketEvent } from '../../chat/websocket';
import { enqueueShards } from '../../chat/fanout-enqueue';

// A queue sender: a big room's pages go to the fan-out worker through SQS (the only functions carrying its client).
useShardQueue(enqueueShards);

/** Counts `name` once `answer` succeeded (a refused action throws and counts nothing). */
async function counted<T>(name: ChatMetric, answer: Promise<T>): Promise<T> {
  const result = await answer;
  count(name);
  return result;
}

/** The row is gone or stale (missed heartbeats): the client must open a new socket. */
const notConnected = () => new ChatError(ErrorCode.NotConnected, 'This connection has expired; reconnect and try again');

/** Acts on one frame of a live connection; returns the answer for the sender, if any. */
async function act(frame: Exclude<ClientFrame, { action: 'ping' }>, connection: Connection, receivedAt: number): Promise<ServerFrame | undefined> {
  const { connectionId } = connection;
  const user = { userId: connection.userId, displayName: connection.displayName };
  switch (frame.action) {
    case Action.Subscribe:
      return { type: 'subscribed', ...(await subscribe(connectionId, user, frame.roomIds)) };
    case Action.Unsubscribe:
      return { type: 'unsubscribed', roomIds: await unsubscribe(connectionId, user, frame.roomIds) };
    case Action.Presence: {
      // Answered to the asker only, so a chatty client cannot make the whole room receive frames.
      const { roomId } = await readableRoom(user, frame.roomId);
      return presencePage(roomId, frame.cursor);
    }
    case Action.MarkRead:
      // The readState frame reaches all the user's sockets, this one included.
      await markRead(user, frame.roomId, frame.messageId);
      return undefined;
    case Action.Typing: {
      const { roomId } = await memberRoom(user, frame.roomId);
      await typing(connectionId, user, roomId);
      return undefined;
    }
    case Action.SendMessage: {
      const { clientMessageId } = frame;
      // Ack as soon as the message is stored, before the room's fan-out.
      const ack = async (message: ChatMessage) => {
        await postToConnection(connectionId, { type: 'ack', clientMessageId, message }).then(
          () => timing('AckLatency', Date.now() - receivedAt),
          (error: Error) => logger.warn('ack failed', { error: error.name }),
        );
      };
      await sendMessage({ roomId: frame.roomId, author: user, body: frame.body, clientMessageId, replyToMessageId: frame.replyToMessageId, onStored: ack });
      return undefined;
    }
    // The actor's answer is the messageChanged frame itself; the rest of the room gets it by fan-out.
    case Action.EditMessage:
      return counted('MessagesEdited', editMessage(frame, { user, connectionId, requestId: frame.requestId }));
    case Action.DeleteMessage:
      return counted('MessagesEdited', deleteMessage(frame, { user, connectionId, requestId: frame.requestId }));
    case Action.React:
      return counted('ReactionsChanged', react(frame, { user, connectionId, requestId: frame.requestId }));
  }
}

/** The frame to answer with, or undefined when the answer (an ack, a readState) was already sent. */
async function reply(event: WebSocketEvent): Promise<ServerFrame | undefined> {
  const frame = parseClientFrame(event.body);
  const connectionId = event.requestContext.connectionId;
  // The heartbeat: one conditional write keeps the socket alive, however many rooms it carries.
  if (frame.action === Action.Ping) {
    if (!(await refreshConnection(connectionId))) throw notConnected();
    return { type: 'pong' };
  }
  const connection = await getConnection(connectionId);
  if (!connection) throw notConnected();
  logger.appendKeys({ userId: connection.userId });
  return act(frame, connection, event.requestContext.requestTimeEpoch ?? Date.now());
}

export const handler = withMetrics(async (event: WebSocketEvent): Promise<{ statusCode: number }> => {
  const connectionId = event.requestContext.connectionId;
  logger.appendKeys({ requestId: event.requestContext.requestId, connectionId, route: event.requestContext.routeKey });
  let frame: ServerFrame | undefined;
  try {
    frame = await reply(event);
  } catch (error) {
    const ref = referenceError(error);
    const echo = echoOf(event.body);
    frame = {
      ...toErrorFrame(error, echo.clientMessageId),
      ...(echo.roomId ? { roomId: echo.roomId } : {}),
      ...(echo.requestId ? { requestId: echo.requestId } : {}),
      ...(echo.messageId ? { messageId: echo.messageId } : {}),
      ref,
    };
  }
  try {
    if (frame) await postToConnection(connectionId, frame);
  } catch (error) {
    logger.warn('reply failed', { error: (error as Error).name });
  } finally {
    logger.resetKeys();
  }
  return { statusCode: 200 };
});

/** Best-effort echo of the client's ids (message, request, room) on error frames so the client can match them up. */
function echoOf(body: string | undefined): { clientMessageId?: string; roomId?: string; requestId?: string; messageId?: string } {
  try {
    const parsed = JSON.parse(body ?? '') as { clientMessageId?: unknown; roomId?: unknown; requestId?: unknown; messageId?: unknown; replyToMessageId?: unknown };
    const clientMessageId = clientMessageIdSchema.safeParse(parsed.clientMessageId).success ? (parsed.clientMessageId as string) : undefined;
    const roomId = typeof parsed.roomId === 'string' && parsed.roomId.length <= 140 ? parsed.roomId : undefined;
    const requestId = requestIdSchema.safeParse(parsed.requestId).success ? (parsed.requestId as string) : undefined;
    const named = parsed.messageId ?? parsed.replyToMessageId;
    const messageId = messageIdSchema.safeParse(named).success ? (named as string) : undefined;
    return { clientMessageId, roomId, requestId, messageId };
  } catch {
    return {};
  }
}
