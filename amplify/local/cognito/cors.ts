/**
 * CORS for the Cognito proxy. The browser calls Cognito cross-origin (the app runs on another port),
 * so any http(s) origin on this machine is allowed; nothing else is.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;
// What Amplify sends: the RPC target, its user agent, the JSON content type and cache-control: no-store.
const DEFAULT_ALLOWED_HEADERS = 'content-type, x-amz-target, x-amz-user-agent, cache-control, authorization';
// Error details Amplify may read from headers.
const EXPOSED_HEADERS = 'x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date';

/** True for http(s)://localhost, 127.0.0.1 or [::1] on any port. */
export function isLocalOrigin(origin: string | undefined): origin is string {
  return typeof origin === 'string' && LOCAL_ORIGIN.test(origin);
}

/** Sets the CORS headers for a local origin; answers a preflight itself and returns true when it did. */
export function applyCors(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  res.setHeader('vary', 'Origin');
  if (isLocalOrigin(origin)) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  }
  if (req.method !== 'OPTIONS') return false;
  if (isLocalOrigin(origin)) {
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    // Amplify lets apps add headers (libraryOptions.Auth.headers): echo what was asked for.
    res.setHeader(
      'access-control-allow-headers',
      req.headers['access-control-request-headers'] ?? DEFAULT_ALLOWED_HEADERS,
    );
    res.setHeader('access-control-max-age', '600');
  }
  res.writeHead(isLocalOrigin(origin) ? 204 : 403).end();
  return true;
}
