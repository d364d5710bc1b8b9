/**
 * A local stand-in for API Gateway: one http server that is at once the WebSocket API (on `/`), the
 * HTTP API (tickets, history, store) and the WebSocket API's `@connections` management endpoint. It
 * calls the very same handler modules that deploy to Lambda with API Gateway-shaped events.
 * Local-only; deployed code never imports it.
 */
import { createServer } from 'node:http';
import { LIMITS } from '../../lib/protocol';
import { CALLBACK_URL_ENV } from '../chat/tables';
import { CONNECTIONS_PREFIX, handleConnectionsApi } from './gateway/connections-api';
import { Invoker, loadHandlers, type Handlers } from './gateway/handlers';
import { requestUrl, sendJson } from './gateway/http-io';
import { createHttpSide } from './gateway/http-routes';
import { createWebSocketSide } from './gateway/websocket';
import { closeServer, listen } from './net';
import { LocalQueue } from './queue';
import { FANOUT_QUEUE_URL_ENV } from '../chat/fanout-shards';

export interface GatewayOptions {
  /** Interface and port to bind; 0/undefined = a free port on 127.0.0.1. */
  host?: string;
  port?: number;
  /** Verifies a Bearer JWT like API Gateway's HTTP JWT authorizer; resolves to the claims or rejects. */
  verifyJwt: (token: string) => Promise<Record<string, unknown>>;
  /** Origins allowed by CORS on HTTP routes (exact match), e.g. ['http://127.0.0.1:3000']. */
  allowedOrigins: string[];
  /**
   * Env vars the handlers need (table names, AWS_ENDPOINT_URL_DYNAMODB, region, dummy credentials); applied
   * to process.env before the first handler import. WS_CALLBACK_URL is set by the gateway to its own URL.
   */
  handlerEnv: Record<string, string>;
  /** Close sockets with no frame in either direction for this long (default LIMITS.idleTimeoutMs). */
  idleTimeoutMs?: number;
  /** Close every socket after this long (default LIMITS.maxConnectionMs). */
  maxConnectionMs?: number;
  /** Operational lines (never tokens, tickets or message bodies). */
  log?: (line: string) => void;
}

/** A running local gateway. */
export interface LocalGateway {
  /** HTTP API base URL, no trailing slash. */
  readonly httpUrl: string;
  /** WebSocket URL (add `?ticket=…&room=…`). */
  readonly webSocketUrl: string;
  readonly port: number;
  /** Ids of the sockets open right now. */
  openConnections(): string[];
  /** Bodies the emulated fan-out queue moved to its dead-letter list. */
  deadLetters(): string[];
  /** Closes every socket (running $disconnect), waits for running handlers, then stops listening. */
  stop(): Promise<void>;
}

/**
 * The handler modules are loaded once per process and, like a Lambda container, keep their SDK clients
 * (db() binds to the DynamoDB endpoint it first sees). So: one gateway at a time per process, and every
 * gateway in a process must use the same DynamoDB endpoint. Checked, because breaking it fails quietly.
 */
const processState: { running: boolean; dynamoEndpoint?: string } = { running: false };

function claimProcess(handlerEnv: Record<string, string>): void {
  if (processState.running) {
    throw new Error('A local gateway already runs in this process; the handler modules hold one set of clients, so stop it first');
  }
  const endpoint = handlerEnv.AWS_ENDPOINT_URL_DYNAMODB;
  if (processState.dynamoEndpoint !== undefined && endpoint !== processState.dynamoEndpoint) {
    throw new Error('The handlers in this process are bound to another DynamoDB endpoint; use a new process (or test file) for a new one');
  }
  processState.running = true;
  processState.dynamoEndpoint = endpoint;
}

/** Starts the gateway; handlers are imported only after `handlerEnv` is applied. */
export async function startGateway(opts: GatewayOptions): Promise<LocalGateway> {
  claimProcess(opts.handlerEnv);
  try {
    return await start(opts);
  } catch (error) {
    processState.running = false;
    throw error;
  }
}

async function start(opts: GatewayOptions): Promise<LocalGateway> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? (() => {});
  const invoker = new Invoker(log);
  const server = createServer();
  const port = await listen(server, opts.port ?? 0, host);
  // Callbacks must reach this process even when it listens on every interface.
  const callbackHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const httpUrl = `http://${callbackHost}:${port}`;

  // The fan-out queue is served by this same server (SQS calls are told apart by their X-Amz-Target).
  const queueUrl = `${httpUrl}/queue/fanout`;
  Object.assign(process.env, opts.handlerEnv, { [CALLBACK_URL_ENV]: httpUrl, [FANOUT_QUEUE_URL_ENV]: queueUrl, AWS_ENDPOINT_URL_SQS: httpUrl });
  let handlers: Handlers;
  try {
    handlers = await loadHandlers();
  } catch (error) {
    await closeServer(server);
    throw error;
  }

  const sockets = createWebSocketSide({
    handlers,
    invoker,
    idleTimeoutMs: opts.idleTimeoutMs ?? LIMITS.idleTimeoutMs,
    maxConnectionMs: opts.maxConnectionMs ?? LIMITS.maxConnectionMs,
    log,
  });
  const queue = new LocalQueue({
    url: queueUrl,
    invoke: async (event) => {
      const run = await invoker.invoke('fanoutWorker', (e: typeof event) => handlers.fanoutWorker(e), event);
      if (!run.ok) throw run.error;
      return run.result;
    },
    log,
  });
  const handleHttp = createHttpSide({ handlers, invoker, verifyJwt: opts.verifyJwt, allowedOrigins: opts.allowedOrigins });

  server.on('upgrade', (req, socket, head) => {
    sockets.handleUpgrade(req, socket, head).catch((error: unknown) => {
      log(`gateway error: ${(error as Error | null)?.name ?? 'Error'}`);
      socket.destroy();
    });
  });
  server.on('request', (req, res) => {
    const url = requestUrl(req);
    if (!url) return sendJson(res, 400, { message: 'Bad Request' });
    const served = LocalQueue.claims(req)
      ? queue.handle(req, res)
      : url.pathname.startsWith(CONNECTIONS_PREFIX)
        ? handleConnectionsApi(req, res, url.pathname, sockets)
        : handleHttp(req, res, url);
    served.catch((error: unknown) => {
      // Last resort: a gateway bug must answer 500, never crash the process.
      log(`gateway error: ${(error as Error | null)?.name ?? 'Error'}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
    });
  });

  let stopped: Promise<void> | undefined;
  return {
    httpUrl,
    webSocketUrl: `ws://${callbackHost}:${port}`,
    port,
    openConnections: () => sockets.ids(),
    deadLetters: () => queue.deadLetters(),
    stop: () =>
      (stopped ??= (async () => {
        await sockets.stop();
        queue.stop();
        await invoker.drain();
        await closeServer(server);
        processState.running = false;
      })()),
  };
}
