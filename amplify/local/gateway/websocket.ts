/**
 * The WebSocket half of the local API Gateway: handshake through the authorizer and $connect, route
 * selection on `$request.body.action`, $disconnect on close, and API Gateway's limits (message size,
 * binary frames, idle and maximum connection time). Open sockets are listed for the `@connections` API.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { Action, LIMITS } from '../../../lib/protocol';
import { disconnectEvent, messageEvent, newConnectionId, originalCaseHeaders, queryParameters, type ConnectRequest } from './events';
import type { Handlers, Invoker } from './handlers';
import { requestUrl } from './http-io';
import { isWebSocketHandshake, refuseHandshake, runConnect } from './handshake';

/** One open socket, as `@connections` describes it. */
export interface LiveSocket {
  readonly id: string;
  readonly socket: WebSocket;
  readonly connectedAt: number;
  lastActiveAt: number;
  readonly sourceIp: string;
  readonly userAgent: string;
}

/** Internal bookkeeping of an open socket. */
type Entry = LiveSocket & { readonly idle: NodeJS.Timeout };

const ROUTE_KEYS: ReadonlySet<string> = new Set(Object.values(Action));

/** Route selection `$request.body.action`: a known action is its own route, anything else `$default`. */
export function selectRoute(body: string): string {
  try {
    const action = (JSON.parse(body) as { action?: unknown } | null)?.action;
    return typeof action === 'string' && ROUTE_KEYS.has(action) ? action : '$default';
  } catch {
    return '$default';
  }
}

const asText = (data: RawData): string =>
  (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');

/** Options of the WebSocket side. */
export interface WebSocketSideOptions {
  readonly handlers: Handlers;
  readonly invoker: Invoker;
  readonly idleTimeoutMs: number;
  readonly maxConnectionMs: number;
  readonly log: (line: string) => void;
}

/** Creates the WebSocket side; feed it the http server's `upgrade` events. */
export function createWebSocketSide(opts: WebSocketSideOptions) {
  const { handlers, invoker, log } = opts;
  // maxPayload makes `ws` close oversized messages with 1009, as API Gateway does.
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.frameMaxBytes });
  const live = new Map<string, Entry>();
  const handshaking = new Set<Duplex>();
  let stopping = false;

  function open(ws: WebSocket, request: ConnectRequest): void {
    const idle = setTimeout(() => ws.close(1001, 'Going away'), opts.idleTimeoutMs);
    const max = setTimeout(() => ws.close(1001, 'Going away'), opts.maxConnectionMs);
    const conn: Entry = { ...request, id: request.connectionId, socket: ws, lastActiveAt: Date.now(), idle };
    live.set(conn.id, conn);
    ws.on('message', (data, isBinary) => {
      touch(conn.id);
      // API Gateway refuses binary frames and disconnects with 1003.
      if (isBinary) return ws.close(1003, 'Binary frames are not supported');
      const body = asText(data);
      void invoker.invoke('ws-message', handlers.wsMessage, messageEvent(conn.id, conn.connectedAt, selectRoute(body), body, request.domainName));
    });
    ws.on('error', (error) => log(`socket error: ${(error as { code?: string }).code ?? error.name}`));
    ws.on('close', (code, reason) => {
      clearTimeout(idle);
      clearTimeout(max);
      live.delete(conn.id);
      void invoker.invoke('ws-disconnect', handlers.wsDisconnect, disconnectEvent(conn.id, conn.connectedAt, request.domainName, code, reason.toString()));
    });
  }

  /** Any frame, either direction, restarts the idle clock. */
  function touch(id: string): void {
    const conn = live.get(id);
    if (!conn) return;
    conn.lastActiveAt = Date.now();
    conn.idle.refresh();
  }

  /** Handles one `upgrade` event of the http server. */
  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    if (stopping) return refuseHandshake(socket, 503, 'Service Unavailable');
    if (url?.pathname !== '/') return refuseHandshake(socket, 404, 'Not Found');
    if (!isWebSocketHandshake(req)) return refuseHandshake(socket, 400, 'Bad Request');
    const request: ConnectRequest = {
      connectionId: newConnectionId(),
      connectedAt: Date.now(),
      headers: originalCaseHeaders(req),
      query: queryParameters(url.searchParams),
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      userAgent: req.headers['user-agent'] ?? '',
      domainName: req.headers.host ?? 'localhost',
    };
    handshaking.add(socket);
    try {
      const outcome = await runConnect(handlers, invoker, request);
      if (!outcome.accept) return refuseHandshake(socket, outcome.status, outcome.message);
      if (stopping || socket.destroyed || !socket.writable) {
        // The client left while $connect ran: the row exists, so run $disconnect as API Gateway would.
        socket.destroy();
        void invoker.invoke('ws-disconnect', handlers.wsDisconnect, disconnectEvent(request.connectionId, request.connectedAt, request.domainName, 1006, ''));
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => open(ws, request));
    } finally {
      handshaking.delete(socket);
    }
  }

  return {
    handleUpgrade,
    /** The open socket with this id, if any. */
    get: (id: string): LiveSocket | undefined => live.get(id),
    /** Records traffic on a socket (frames sent through `@connections` count against idleness too). */
    touch,
    /** Ids of the open sockets. */
    ids: () => [...live.keys()],
    /** Drops every socket (each still gets its $disconnect) and refuses new handshakes. */
    async stop(): Promise<void> {
      stopping = true;
      for (const socket of handshaking) socket.destroy();
      const closed = [...live.values()].map((c) => new Promise((resolve) => c.socket.once('close', resolve)));
      for (const c of live.values()) c.socket.terminate();
      await Promise.all(closed);
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

/** The WebSocket side's public surface. */
export type WebSocketSide = ReturnType<typeof createWebSocketSide>;
