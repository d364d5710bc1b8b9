/**
 * The HTTP API half of the local gateway: route matching, the JWT authorizer (Bearer token checked by
 * `verifyJwt` before any handler runs), CORS as HTTP API's CORS configuration answers it, the payload
 * quota, and payload 2.0 events and responses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { httpEvent } from './http-event';
import { BodyTooLargeError, HTTP_BODY_MAX_BYTES, readBody, sendJson } from './http-io';
import { HttpRoutes } from '../../../lib/protocol';
import { ROOM_ROUTE_NAMES } from '../../functions/rooms/route-names';
import type { Handlers, Invoker } from './handlers';

type HttpHandler = (event: ReturnType<typeof httpEvent>) => Promise<APIGatewayProxyResultV2>;

/** A route of the HTTP API, e.g. `GET /rooms/{roomId}/messages`. */
interface Route {
  readonly method: string;
  readonly path: string;
  readonly name: string;
  readonly handler: HttpHandler;
}

/** Options of the HTTP side. */
export interface HttpSideOptions {
  readonly handlers: Handlers;
  readonly invoker: Invoker;
  readonly verifyJwt: (token: string) => Promise<Record<string, unknown>>;
  readonly allowedOrigins: readonly string[];
}

const CORS_PREFLIGHT = {
  'access-control-allow-methods': 'GET,POST,PUT,DELETE,OPTIONS',
  'access-control-allow-headers': 'authorization,content-type',
  'access-control-max-age': '600',
};

/** Path parameters when `pathname` fits the `{param}` template, else undefined. */
function matchPath(template: string, pathname: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const name = /^\{(\w+)\}$/.exec(want[i]!)?.[1];
    if (!name) {
      if (want[i] !== got[i]) return undefined;
      continue;
    }
    if (!got[i]) return undefined;
    try {
      params[name] = decodeURIComponent(got[i]!);
    } catch {
      return undefined;
    }
  }
  return params;
}

/** Writes a handler's result the way HTTP API maps payload 2.0 responses. */
function writeResult(res: ServerResponse, result: APIGatewayProxyResultV2, cors: Record<string, string>): void {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    // Without a statusCode HTTP API treats the return value itself as a 200 JSON body.
    return sendJson(res, 200, result, cors);
  }
  const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  res.writeHead(result.statusCode ?? 200, { ...headers, ...cors });
  res.end(body);
}

/** Creates the HTTP side: a request handler for every path that is not WebSocket or `@connections`. */
export function createHttpSide(opts: HttpSideOptions) {
  const { handlers, invoker, verifyJwt } = opts;
  const allowed = new Set(opts.allowedOrigins);
  const routes: Route[] = [
    { ...HttpRoutes.createTicket, name: 'create-ticket', handler: handlers.createTicket },
    { ...HttpRoutes.getMessages, name: 'get-messages', handler: handlers.getMessages },
    // Same function as history on the CDK stack too (same access rules, read-only grants).
    { ...HttpRoutes.getChanges, name: 'get-messages', handler: handlers.getMessages },
    { ...HttpRoutes.storeMessage, name: 'store-message', handler: handlers.storeMessage },
    // The same route → function mapping as the CDK stack: every rooms route goes to the one rooms function.
    ...ROOM_ROUTE_NAMES.map((name) => ({ ...HttpRoutes[name], name: 'rooms', handler: handlers.rooms })),
  ];

  return async function handleHttp(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const origin = req.headers.origin;
    // HTTP API adds CORS headers to every response, its own 401/404 included, but only for allowed origins.
    const cors: Record<string, string> =
      origin && allowed.has(origin) ? { 'access-control-allow-origin': origin, vary: 'origin' } : { vary: 'origin' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, 'access-control-allow-origin' in cors ? { ...cors, ...CORS_PREFLIGHT } : cors).end();
      return;
    }
    const match = routes
      .map((route) => ({ route, params: route.method === req.method ? matchPath(route.path, url.pathname) : undefined }))
      .find((m) => m.params);
    if (!match) return sendJson(res, 404, { message: 'Not Found' }, cors);
    const { route, params: pathParameters } = match;

    // Like HTTP API's JWT authorizer: the header holds the token alone or prefixed with `Bearer `.
    const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
    const claims = token ? await verifyJwt(token).catch(() => undefined) : undefined;
    if (!claims) return sendJson(res, 401, { message: 'Unauthorized' }, cors);

    let body: Buffer;
    try {
      body = await readBody(req, HTTP_BODY_MAX_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return sendJson(res, 413, { message: 'Request Entity Too Large' }, { ...cors, connection: 'close' });
    }
    const event = httpEvent({
      req,
      url,
      routeKey: `${route.method} ${route.path}`,
      pathParameters: Object.keys(pathParameters!).length ? pathParameters : undefined,
      body: body.toString('utf8'),
      claims,
    });
    const outcome = await invoker.invoke(route.name, route.handler, event);
    if (!outcome.ok) return sendJson(res, 500, { message: 'Internal Server Error' }, cors);
    writeResult(res, outcome.result, cors);
  };
}
