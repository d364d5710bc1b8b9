/**
 * WebSocket API events for the local gateway, shaped the way AWS builds them so the handlers see no
 * difference between Lambda and `npm start`. Only the fields a real event carries; placeholders for ids.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { WebSocketEvent } from '../../chat/websocket';

/** Fake but well-formed ids: what the handlers log and what ARNs contain. */
export const LOCAL_API = { accountId: '000000000000', apiId: 'local', stage: 'local', region: 'us-east-1' } as const;

/** An API Gateway-like connection id: 11 random bytes in standard base64, e.g. `L0SM9cOFvHcCIhw=` (may hold `/` or `+`). */
export function newConnectionId(): string {
  return randomBytes(11).toString('base64');
}

/** Request facts shared by $connect's authorizer and route events. */
export interface ConnectRequest {
  readonly connectionId: string;
  readonly connectedAt: number;
  readonly headers: Record<string, string>;
  readonly query: Record<string, string> | undefined;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly domainName: string;
}

/**
 * Groups repeated names, joined by ','. Through a Map and `Object.fromEntries`, so names such as
 * `constructor` or `__proto__` become plain own keys, as in the JSON event Lambda parses (a plain
 * object would read them from its prototype or drop them).
 */
function joinRepeated(pairs: Iterable<readonly [string, string]>): Record<string, string> {
  const joined = new Map<string, string>();
  for (const [name, value] of pairs) joined.set(name, joined.has(name) ? `${joined.get(name)},${value}` : value);
  return Object.fromEntries(joined);
}

/** Headers with their original case (API Gateway keeps it on WebSocket events), repeated ones joined by ','. */
export function originalCaseHeaders(req: IncomingMessage): Record<string, string> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  return joinRepeated(pairs);
}

/** Query parameters as API Gateway passes them: undefined when there are none, repeated keys joined by ','. */
export function queryParameters(search: URLSearchParams): Record<string, string> | undefined {
  const query = joinRepeated(search);
  return Object.keys(query).length ? query : undefined;
}

function wsContext(connectionId: string, connectedAt: number, routeKey: string, eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT', domainName: string) {
  const now = Date.now();
  return {
    routeKey,
    eventType,
    messageDirection: 'IN' as const,
    extendedRequestId: randomUUID(),
    requestId: randomUUID(),
    requestTime: new Date(now).toUTCString(),
    requestTimeEpoch: now,
    connectedAt,
    connectionId,
    domainName,
    stage: LOCAL_API.stage,
    apiId: LOCAL_API.apiId,
  };
}

/** The REQUEST authorizer event API Gateway sends on $connect (WebSocket flavour of the REST shape). */
export function authorizerEvent(req: ConnectRequest): APIGatewayRequestAuthorizerEvent {
  const { accountId, apiId, stage, region } = LOCAL_API;
  const event = {
    type: 'REQUEST',
    methodArn: `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/$connect`,
    headers: req.headers,
    queryStringParameters: req.query ?? null,
    stageVariables: null,
    requestContext: {
      ...wsContext(req.connectionId, req.connectedAt, '$connect', 'CONNECT', req.domainName),
      identity: { sourceIp: req.sourceIp, userAgent: req.userAgent },
    },
  };
  // aws-lambda types the REST variant; the WebSocket one carries a WebSocket requestContext instead.
  return event as unknown as APIGatewayRequestAuthorizerEvent;
}

/** The $connect route event, with the authorizer's context as API Gateway forwards it. */
export function connectEvent(req: ConnectRequest, authorizer: Record<string, unknown>): WebSocketEvent {
  const event = {
    headers: req.headers,
    queryStringParameters: req.query,
    isBase64Encoded: false,
    requestContext: {
      ...wsContext(req.connectionId, req.connectedAt, '$connect', 'CONNECT', req.domainName),
      identity: { sourceIp: req.sourceIp, userAgent: req.userAgent },
      authorizer,
    },
  };
  return event as unknown as WebSocketEvent;
}

/** A route event for one incoming text frame (`body` is the raw frame text). */
export function messageEvent(connectionId: string, connectedAt: number, routeKey: string, body: string, domainName: string): WebSocketEvent {
  const requestContext = { ...wsContext(connectionId, connectedAt, routeKey, 'MESSAGE', domainName), messageId: randomBytes(11).toString('base64') };
  return { requestContext, body, isBase64Encoded: false } as unknown as WebSocketEvent;
}

/** The $disconnect event; API Gateway reports the close code and reason it saw. */
export function disconnectEvent(connectionId: string, connectedAt: number, domainName: string, statusCode: number, reason: string): WebSocketEvent {
  const requestContext = {
    ...wsContext(connectionId, connectedAt, '$disconnect', 'DISCONNECT', domainName),
    disconnectStatusCode: statusCode,
    disconnectReason: reason,
  };
  return { headers: { Host: domainName }, requestContext, isBase64Encoded: false } as unknown as WebSocketEvent;
}
