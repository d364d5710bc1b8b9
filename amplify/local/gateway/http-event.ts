/** HTTP API (payload format 2.0) events with a JWT authorizer context, shaped like AWS's. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { LOCAL_API, queryParameters } from './events';

/** Request facts for an HTTP API (payload 2.0) event. */
export interface HttpRequestFacts {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly routeKey: string;
  readonly pathParameters: Record<string, string> | undefined;
  readonly body: string;
  readonly claims: Record<string, unknown>;
}

/** HTTP API passes JWT claims as strings: numbers and booleans stringified, arrays as `[a b]`. */
function stringClaims(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(claims)) {
    out[key] = typeof value === 'string' ? value : Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

/** An HTTP API payload 2.0 event with a JWT authorizer context. */
export function httpEvent(facts: HttpRequestFacts): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { req, url, claims } = facts;
  const now = Date.now();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookies = req.headers.cookie?.split(';').map((c) => c.trim()).filter(Boolean);
  const scope = claims.scope;
  return {
    version: '2.0',
    routeKey: facts.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    queryStringParameters: queryParameters(url.searchParams),
    pathParameters: facts.pathParameters,
    body: facts.body || undefined,
    isBase64Encoded: false,
    requestContext: {
      accountId: LOCAL_API.accountId,
      apiId: LOCAL_API.apiId,
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: stringClaims(claims), scopes: typeof scope === 'string' ? scope.split(' ') : [] },
      },
      domainName: req.headers.host ?? '127.0.0.1',
      domainPrefix: (req.headers.host ?? '127').split('.')[0]!,
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: req.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: facts.routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
  };
}
