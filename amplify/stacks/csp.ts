/**
 * The site's Content-Security-Policy, built by one function for CloudFront and for the local static
 * server, plus the sha256 sources of the inline code a Next static export contains (its bootstrap
 * scripts, and the inline styles of the built-in 404 page), so script-src never needs 'unsafe-inline'.
 */
import { createHash } from 'node:crypto';

/** CSP hash sources (`'sha256-…'`) of the inline code in one or more HTML documents. */
export interface InlineHashes {
  /** Inline `<script>` bodies. */
  readonly scripts: readonly string[];
  /** Inline `<style>` bodies. */
  readonly styles: readonly string[];
  /** `style="…"` attribute values; they only count with 'unsafe-hashes' (which allows exactly these values). */
  readonly styleAttributes: readonly string[];
}

/** No inline code allowed at all: what the policy falls back to when no build's hashes are known. */
export const NO_INLINE: InlineHashes = { scripts: [], styles: [], styleAttributes: [] };

/** CloudFront refuses a response headers policy whose CSP value is longer (CloudFront quotas). */
export const CLOUDFRONT_CSP_MAX_LENGTH = 1783;

/** The CSP source that allows exactly the inline text `text`. */
export const hashSource = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

// React escapes attribute values with these entities; the browser hashes the decoded value.
const ENTITIES: Record<string, string> = { quot: '"', amp: '&', apos: "'", lt: '<', gt: '>' };
const decodeEntities = (value: string) =>
  value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
    return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
  });

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const STYLE = /<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi;
const STYLE_ATTRIBUTE = /\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort();

/** Hash sources of every inline script, style element and style attribute of one HTML document. */
export function inlineHashes(html: string): InlineHashes {
  const scripts = [...html.matchAll(SCRIPT)].filter(([, attributes]) => !/\ssrc\s*=/i.test(` ${attributes}`));
  const styles = [...html.matchAll(STYLE)];
  // Attributes are read from the markup outside script/style bodies (an RSC payload may contain `style=`).
  const markup = html.replace(SCRIPT, '').replace(STYLE, '');
  return {
    scripts: sortedUnique(scripts.map(([, , body]) => hashSource(body!))),
    styles: sortedUnique(styles.map(([, body]) => hashSource(body!))),
    styleAttributes: sortedUnique([...markup.matchAll(STYLE_ATTRIBUTE)].map(([, dq, sq]) => hashSource(decodeEntities(dq ?? sq ?? '')))),
  };
}

/** The union of several documents' hashes (one policy serves every page). */
export function mergeHashes(all: readonly InlineHashes[]): InlineHashes {
  return {
    scripts: sortedUnique(all.flatMap((h) => h.scripts)),
    styles: sortedUnique(all.flatMap((h) => h.styles)),
    styleAttributes: sortedUnique(all.flatMap((h) => h.styleAttributes)),
  };
}

/** What differs between deployments of the same policy. */
export interface CspInput {
  /** Origins the app calls besides its own: Cognito, the HTTP API and the WebSocket API. */
  readonly connectSources: readonly string[];
  readonly hashes: InlineHashes;
  /** True where the site is served over HTTPS (CloudFront); false for the local http:// server. */
  readonly upgradeInsecureRequests: boolean;
}

/**
 * The policy: everything (images, fonts, chunks) from the site's own origin, inline code only by hash,
 * API calls only to the given origins, no plugins, no <base>, never framed. Amplify UI needs no inline style (its stylesheet is a file and React
 * sets styles through the CSSOM, which CSP does not govern).
 */
export function contentSecurityPolicy({ connectSources, hashes, upgradeInsecureRequests }: CspInput): string {
  const styleAttributes = hashes.styleAttributes.length ? ["'unsafe-hashes'", ...hashes.styleAttributes] : [];
  const directives: Array<[string, ...string[]]> = [
    ['default-src', "'self'"],
    ['script-src', "'self'", ...hashes.scripts],
    ['style-src', "'self'", ...hashes.styles, ...styleAttributes],
    ['connect-src', "'self'", ...connectSources],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ];
  if (upgradeInsecureRequests) directives.push(['upgrade-insecure-requests']);
  return directives.map((parts) => parts.join(' ')).join('; ');
}

/** The directive's sources, parsed back from a policy (for tests and checks). */
export function directiveOf(policy: string, name: string): string[] | undefined {
  const directive = policy.split(';').map((d) => d.trim().split(/\s+/)).find(([n]) => n === name);
  return directive?.slice(1);
}
