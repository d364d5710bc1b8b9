/**
 * Turns the site's header set (security-headers.ts) into a CloudFront response headers policy: the
 * headers CloudFront models natively go into its security-headers config, the rest into custom headers.
 * Every header is mapped, or synthesis fails, so the CDN cannot silently send less than the local server.
 */
import { Duration } from 'aws-cdk-lib';
import {
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  type ResponseCustomHeader,
  type ResponseSecurityHeadersBehavior,
} from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';
import type { HeaderSet } from './security-headers';

/** `max-age=N; includeSubDomains; preload` → its parts, or an error for anything else. */
function parseHsts(value: string) {
  const parts = value.split(';').map((p) => p.trim().toLowerCase());
  const maxAge = /^max-age=(\d+)$/.exec(parts[0] ?? '')?.[1];
  if (!maxAge || parts.slice(1).some((p) => p !== 'includesubdomains' && p !== 'preload')) {
    throw new Error(`strict-transport-security "${value}" cannot be expressed in a CloudFront response headers policy`);
  }
  return {
    accessControlMaxAge: Duration.seconds(Number(maxAge)),
    includeSubdomains: parts.includes('includesubdomains'),
    preload: parts.includes('preload'),
    override: true,
  };
}

/** Native CloudFront settings for the headers it models; undefined for headers sent as custom ones. */
function nativeSetting(name: string, value: string): Partial<ResponseSecurityHeadersBehavior> | undefined {
  const fail = () => {
    throw new Error(`${name}: "${value}" is not a value CloudFront can send`);
  };
  switch (name) {
    case 'content-security-policy':
      return { contentSecurityPolicy: { contentSecurityPolicy: value, override: true } };
    case 'strict-transport-security':
      return { strictTransportSecurity: parseHsts(value) };
    case 'x-content-type-options':
      return value === 'nosniff' ? { contentTypeOptions: { override: true } } : fail();
    case 'x-frame-options':
      return value === 'DENY' || value === 'SAMEORIGIN' ? { frameOptions: { frameOption: value as HeadersFrameOption, override: true } } : fail();
    case 'referrer-policy':
      return (Object.values(HeadersReferrerPolicy) as string[]).includes(value)
        ? { referrerPolicy: { referrerPolicy: value as HeadersReferrerPolicy, override: true } }
        : fail();
    default:
      return undefined;
  }
}

/** A response headers policy that sends exactly `headers` (overriding any the origin sent). */
export function responseHeadersPolicy(scope: Construct, id: string, headers: HeaderSet, comment: string): ResponseHeadersPolicy {
  let securityHeadersBehavior: ResponseSecurityHeadersBehavior = {};
  const customHeaders: ResponseCustomHeader[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const native = nativeSetting(name, value);
    if (native) securityHeadersBehavior = { ...securityHeadersBehavior, ...native };
    else customHeaders.push({ header: name, value, override: true });
  }
  return new ResponseHeadersPolicy(scope, id, {
    comment,
    securityHeadersBehavior,
    customHeadersBehavior: { customHeaders },
  });
}
