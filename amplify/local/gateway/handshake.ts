/**
 * The $connect sequence API Gateway runs before it accepts a WebSocket: REQUEST authorizer (identity
 * source `?ticket=`), policy evaluation, then the $connect route. Any refusal ends the handshake with an
 * HTTP status, so the client never gets an open socket it is not entitled to.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { authorizerEvent, connectEvent, type ConnectRequest } from './events';
import { ConnectQuery } from '../../../lib/protocol';
import type { Handlers, Invoker } from './handlers';

/** The authorizer's identity source: `route.request.querystring.ticket`. */
export const IDENTITY_QUERY_PARAM = ConnectQuery.ticket;

/** Accept, or refuse with an HTTP status and a JSON `message`. */
export type HandshakeOutcome = { readonly accept: true } | { readonly accept: false; readonly status: number; readonly message: string };

const refuse = (status: number, message: string): HandshakeOutcome => ({ accept: false, status, message });

/** Marks the one error an authorizer may throw on purpose (API Gateway maps it to 401). */
const UNAUTHORIZED = Symbol('Unauthorized');

/** True when `pattern` (an IAM resource, `*` wildcards allowed) covers `arn`. */
function resourceMatches(pattern: string, arn: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(arn);
}

/** IAM-style evaluation of the returned policy for this one ARN: an explicit Deny wins, else an Allow is needed. */
export function policyAllows(result: APIGatewayAuthorizerResult, arn: string): boolean {
  let allowed = false;
  for (const statement of result.policyDocument?.Statement ?? []) {
    const resources = 'Resource' in statement ? [statement.Resource].flat() : [];
    if (!resources.some((r) => typeof r === 'string' && resourceMatches(r, arn))) continue;
    if (statement.Effect === 'Deny') return false;
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed;
}

/** API Gateway only forwards primitive context values; anything else is an authorizer configuration error. */
function forwardedContext(result: APIGatewayAuthorizerResult, latencyMs: number): Record<string, unknown> | undefined {
  const context = result.context ?? {};
  if (Object.values(context).some((v) => v !== null && typeof v === 'object')) return undefined;
  return { ...context, principalId: result.principalId, integrationLatency: latencyMs };
}

/** Ends a handshake with an HTTP error instead of `101 Switching Protocols`. */
export function refuseHandshake(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ message });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** RFC 6455 handshake checks, done before the authorizer runs so a malformed request cannot consume a ticket. */
export function isWebSocketHandshake(req: IncomingMessage): boolean {
  return (
    req.method === 'GET' &&
    req.headers.upgrade?.toLowerCase() === 'websocket' &&
    /^[+/0-9A-Za-z]{22}==$/.test(req.headers['sec-websocket-key'] ?? '') &&
    ['8', '13'].includes(req.headers['sec-websocket-version'] ?? '')
  );
}

/** Runs the authorizer and the $connect route for one handshake. */
export async function runConnect(handlers: Handlers, invoker: Invoker, request: ConnectRequest): Promise<HandshakeOutcome> {
  // Without its identity source API Gateway refuses at once, never invoking the authorizer.
  if (!request.query?.[IDENTITY_QUERY_PARAM]) return refuse(401, 'Unauthorized');

  const started = Date.now();
  const authorize = async (event: ReturnType<typeof authorizerEvent>) => {
    try {
      return await handlers.wsAuthorizer(event);
    } catch (error) {
      if ((error as Error | null)?.message === 'Unauthorized') return UNAUTHORIZED;
      throw error;
    }
  };
  const event = authorizerEvent(request);
  const auth = await invoker.invoke('ws-authorizer', authorize, event);
  if (!auth.ok) return refuse(500, 'Internal server error');
  if (auth.result === UNAUTHORIZED) return refuse(401, 'Unauthorized');
  if (!policyAllows(auth.result, event.methodArn)) return refuse(403, 'Forbidden');
  const context = forwardedContext(auth.result, Date.now() - started);
  if (!context) return refuse(500, 'Internal server error');

  const connected = await invoker.invoke('ws-connect', handlers.wsConnect, connectEvent(request, context));
  if (!connected.ok) return refuse(500, 'Internal server error');
  const status = connected.result?.statusCode ?? 200;
  if (status < 200 || status > 299) return refuse(status, connected.result.body ?? 'Connection refused');
  return { accept: true };
}
