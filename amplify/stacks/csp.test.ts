/**
 * The CSP builder and the inline-code hashing it relies on: hashes match what a browser computes
 * (the exact script text; decoded style attribute values), and the policy never allows inline code
 * except by hash.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLOUDFRONT_CSP_MAX_LENGTH, contentSecurityPolicy, directiveOf, inlineHashes, mergeHashes, NO_INLINE } from './csp';
import { CSP_HASHES_FILE, readSiteHashes, writeSiteHashes } from './csp-hashes';
import { cloudCsp, localCsp, securityHeaders } from './security-headers';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const PAGE = `<!DOCTYPE html><html><head><script src="/_next/a.js" async=""></script>
<script id="_R_">self.boot=1</script><style>body{margin:0}</style></head>
<body><div style="font-family:&quot;Segoe UI&quot;;height:1px">x</div><p style='color:red'>y</p>
<script>self.__next_f.push([1,"<div style=\\"nope\\">"])</script></body></html>`;

describe('inlineHashes', () => {
  it('hashes inline scripts, style elements and decoded style attributes, skipping external scripts', () => {
    const hashes = inlineHashes(PAGE);
    expect(hashes.scripts).toEqual([sha('self.boot=1'), sha('self.__next_f.push([1,"<div style=\\"nope\\">"])')].sort());
    expect(hashes.styles).toEqual([sha('body{margin:0}')]);
    // The `style=` inside the script body is not markup and is not hashed.
    expect(hashes.styleAttributes).toEqual([sha('font-family:"Segoe UI";height:1px'), sha('color:red')].sort());
  });

  it('merges documents into one sorted, duplicate-free set', () => {
    const merged = mergeHashes([inlineHashes(PAGE), inlineHashes(PAGE), inlineHashes('<script>other()</script>')]);
    expect(merged.scripts).toHaveLength(3);
    expect(merged.scripts).toEqual([...merged.scripts].sort());
  });
});

describe('contentSecurityPolicy', () => {
  const hashes = inlineHashes(PAGE);
  const policy = contentSecurityPolicy({ connectSources: ['https://api.example'], hashes, upgradeInsecureRequests: true });

  it('allows inline code only by hash, never with unsafe-inline or eval', () => {
    expect(directiveOf(policy, 'script-src')).toEqual(["'self'", ...hashes.scripts]);
    expect(directiveOf(policy, 'style-src')).toEqual(["'self'", ...hashes.styles, "'unsafe-hashes'", ...hashes.styleAttributes]);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('limits connections, plugins, base and framing', () => {
    expect(directiveOf(policy, 'default-src')).toEqual(["'self'"]);
    expect(directiveOf(policy, 'connect-src')).toEqual(["'self'", 'https://api.example']);
    expect(directiveOf(policy, 'object-src')).toEqual(["'none'"]);
    expect(directiveOf(policy, 'base-uri')).toEqual(["'none'"]);
    expect(directiveOf(policy, 'frame-ancestors')).toEqual(["'none'"]);
    expect(directiveOf(policy, 'upgrade-insecure-requests')).toEqual([]);
  });

  it('without hashes allows no inline code at all, and no unsafe-hashes', () => {
    const strict = contentSecurityPolicy({ connectSources: [], hashes: NO_INLINE, upgradeInsecureRequests: false });
    expect(directiveOf(strict, 'script-src')).toEqual(["'self'"]);
    expect(directiveOf(strict, 'style-src')).toEqual(["'self'"]);
    expect(directiveOf(strict, 'upgrade-insecure-requests')).toBeUndefined();
  });

  it('local and cloud policies differ only in connect-src and the HTTPS upgrade', () => {
    const cloud = cloudCsp('eu-west-1', hashes);
    const local = localCsp(['http://127.0.0.1:3001/x', 'ws://127.0.0.1:3001', 'http://127.0.0.1:9229'], hashes);
    expect(directiveOf(cloud, 'connect-src')).toEqual([
      "'self'",
      'https://cognito-idp.eu-west-1.amazonaws.com',
      'https://cognito-identity.eu-west-1.amazonaws.com',
      'https://*.execute-api.eu-west-1.amazonaws.com',
      'wss://*.execute-api.eu-west-1.amazonaws.com',
    ]);
    expect(directiveOf(local, 'connect-src')).toEqual(["'self'", 'http://127.0.0.1:3001', 'ws://127.0.0.1:3001', 'http://127.0.0.1:9229']);
    const rest = (p: string) => p.split('; ').filter((d) => !d.startsWith('connect-src') && d !== 'upgrade-insecure-requests');
    expect(rest(local)).toEqual(rest(cloud));
    expect(securityHeaders(local)['content-security-policy']).toBe(local);
  });
});

describe('csp-hashes.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records every page of an export, is read back, and is ignored when absent or invalid', () => {
    expect(readSiteHashes(dir)).toBeUndefined();
    expect(() => writeSiteHashes(dir)).toThrow(/no \.html files/);
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'index.html'), PAGE);
    writeFileSync(join(dir, 'nested', 'page.html'), '<script>nested()</script>');
    const written = writeSiteHashes(dir);
    expect(written.htmlFiles).toBe(2);
    expect(written.scripts).toContain(sha('nested()'));
    expect(readSiteHashes(dir)).toEqual({ scripts: written.scripts, styles: written.styles, styleAttributes: written.styleAttributes });
    writeFileSync(join(dir, CSP_HASHES_FILE), JSON.stringify({ scripts: ["'unsafe-inline'"], styles: [], styleAttributes: [], htmlFiles: 1 }));
    expect(readSiteHashes(dir)).toBeUndefined();
  });

  it('a build with many inline scripts still fits CloudFront, measured for the longest region name', () => {
    const many = mergeHashes(Array.from({ length: 12 }, (_, i) => inlineHashes(`<script>s${i}()</script><b style="x:${i}">`)));
    expect(cloudCsp('x'.repeat(20), many).length).toBeLessThanOrEqual(CLOUDFRONT_CSP_MAX_LENGTH);
  });
});
