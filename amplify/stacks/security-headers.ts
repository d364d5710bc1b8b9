/**
 * The security headers of every response of the site, defined once: CloudFront's response headers
 * policy (amplify/stacks/site-headers.ts) and the local static server both send `securityHeaders(…)`,
 * so the local e2e proves the exact policy that deploys, only with local origins in connect-src.
 */
import { contentSecurityPolicy, type InlineHashes } from './csp';

/** Two years: long enough for browsers to treat the site as HTTPS-only between visits. */
export const HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 60 * 60;

/** Header name (lower case) → value. */
export type HeaderSet = Readonly<Record<string, string>>;

/** The headers for a given CSP. */
export function securityHeaders(csp: string): HeaderSet {
  return {
    'content-security-policy': csp,
    'strict-transport-security': `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`,
    'x-content-type-options': 'nosniff',
    // frame-ancestors 'none' for current browsers, X-Frame-Options for the ones that predate it.
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    'cross-origin-opener-policy': 'same-origin',
  };
}

/**
 * What the deployed app calls, for connect-src: the user pool (and identity pool Amplify asks for AWS
 * credentials after sign-in) by exact host, and both APIs by a wildcard of the region's API Gateway
 * hosts, because the site stack cannot name the API ids: the realtime stack depends on the site
 * (its CORS origin), so a reference back would be a nested-stack cycle.
 */
export function cloudConnectSources(region: string): string[] {
  return [
    `https://cognito-idp.${region}.amazonaws.com`,
    `https://cognito-identity.${region}.amazonaws.com`,
    `https://*.execute-api.${region}.amazonaws.com`,
    `wss://*.execute-api.${region}.amazonaws.com`,
  ];
}

/** connect-src for the local stack: the exact origins of the emulators the outputs point at. */
export function localConnectSources(urls: readonly string[]): string[] {
  return [...new Set(urls.map((url) => new URL(url).origin))];
}

/** The deployed policy for a region (a CDK token is fine) and a build's inline hashes. */
export function cloudCsp(region: string, hashes: InlineHashes): string {
  return contentSecurityPolicy({ connectSources: cloudConnectSources(region), hashes, upgradeInsecureRequests: true });
}

/** The local policy: same directives, the emulators' origins, no upgrade (the local server is http://). */
export function localCsp(urls: readonly string[], hashes: InlineHashes): string {
  return contentSecurityPolicy({ connectSources: localConnectSources(urls), hashes, upgradeInsecureRequests: false });
}
