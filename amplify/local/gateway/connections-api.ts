/**
 * The `@connections` management API (what PostToConnection / GetConnection / DeleteConnection call),
 * answering exactly as AWS does where the SDK cares: an unknown socket is a 410 carrying
 * `x-amzn-errortype: GoneException`, without which the SDK would surface an `Unknown` error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebSocket } from 'ws';
import { LIMITS } from '../../../lib/protocol';
import { BodyTooLargeError, readBody, sendJson } from './http-io';
import type { WebSocketSide } from './websocket';

/** Path prefix of the management API (the callback URL has no stage segment locally). */
export const CONNECTIONS_PREFIX = '/@connections/';

/** An AWS JSON error: the SDK picks the error class from the header and the text from `message`. */
function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { message }, { 'x-amzn-errortype': type });
}

/** Serves one `@connections/{connectionId}` request. */
export async function handleConnectionsApi(req: IncomingMessage, res: ServerResponse, pathname: string, sockets: WebSocketSide): Promise<void> {
  // Only back-end code calls this API. Browsers always send Origin, so a web page cannot push frames.
  if (req.headers.origin) return awsError(res, 403, 'ForbiddenException', 'Forbidden');
  let connectionId: string;
  try {
    connectionId = decodeURIComponent(pathname.slice(CONNECTIONS_PREFIX.length));
  } catch {
    return awsError(res, 400, 'BadRequestException', 'Invalid connection id');
  }
  const method = req.method ?? 'GET';
  let data: Buffer | undefined;
  if (method === 'POST') {
    try {
      data = await readBody(req, LIMITS.frameMaxBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return awsError(res, 413, 'PayloadTooLargeException', 'Payload too large');
      throw error;
    }
  }
  const conn = sockets.get(connectionId);
  if (!conn || conn.socket.readyState !== WebSocket.OPEN) return awsError(res, 410, 'GoneException', 'Gone');

  switch (method) {
    case 'POST':
      conn.socket.send(data!.toString('utf8'));
      sockets.touch(connectionId);
      res.writeHead(200).end();
      return;
    case 'GET':
      // The wire names are camelCase; the SDK maps them to ConnectedAt, LastActiveAt, Identity.
      return sendJson(res, 200, {
        connectedAt: new Date(conn.connectedAt).toISOString(),
        lastActiveAt: new Date(conn.lastActiveAt).toISOString(),
        identity: { sourceIp: conn.sourceIp, userAgent: conn.userAgent },
      });
    case 'DELETE':
      // The close fires $disconnect, as when AWS drops a socket on DeleteConnection.
      conn.socket.close(1000, 'Connection deleted');
      res.writeHead(204).end();
      return;
    default:
      return awsError(res, 405, 'MethodNotAllowedException', 'Method not allowed');
  }
}
