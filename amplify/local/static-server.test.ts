/**
 * The local static server sends CloudFront's security headers (the same builder) on every response,
 * with the emulators' origins in connect-src and the build's hashes in script-src.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directiveOf, hashSource } from '../stacks/csp';
import { CSP_HASHES_FILE, writeSiteHashes } from '../stacks/csp-hashes';
import { localCsp, securityHeaders } from '../stacks/security-headers';
import { localOutputs } from './outputs';
import { startStaticServer } from './static-server';

const outputs = localOutputs({
  region: 'us-east-1',
  userPoolId: 'local_pool',
  userPoolClientId: 'client',
  userPoolEndpoint: 'http://127.0.0.1:9229',
  httpApiUrl: 'http://127.0.0.1:3001',
  webSocketUrl: 'ws://127.0.0.1:3001',
});

let root: string;
let server: Awaited<ReturnType<typeof startStaticServer>>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'static-'));
  writeFileSync(join(root, 'index.html'), '<html><body><script>boot()</script></body></html>');
  writeFileSync(join(root, '404.html'), '<html><body>missing</body></html>');
  writeSiteHashes(root);
  server = await startStaticServer({ root, outputs: () => outputs });
});
afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

const headersOf = async (path: string) => {
  const response = await fetch(`${server.url}${path}`);
  await response.arrayBuffer();
  return { status: response.status, headers: Object.fromEntries(response.headers) };
};

describe('static server security headers', () => {
  it('sends exactly the CloudFront header set on pages, 404s and the outputs file', async () => {
    const expected = securityHeaders(localCsp([outputs.custom.chat.httpApiUrl, outputs.custom.chat.webSocketUrl, 'http://127.0.0.1:9229'], {
      scripts: [hashSource('boot()')],
      styles: [],
      styleAttributes: [],
    }));
    for (const path of ['/', '/missing', '/amplify_outputs.json']) {
      const { headers } = await headersOf(path);
      expect(headers).toMatchObject(expected);
    }
    expect((await headersOf('/missing')).status).toBe(404);
  });

  it('allows the build inline script and the emulators, nothing else', async () => {
    const csp = (await headersOf('/')).headers['content-security-policy']!;
    expect(directiveOf(csp, 'script-src')).toEqual(["'self'", hashSource('boot()')]);
    expect(directiveOf(csp, 'connect-src')).toEqual(["'self'", 'http://127.0.0.1:3001', 'ws://127.0.0.1:3001', 'http://127.0.0.1:9229']);
    expect(directiveOf(csp, 'upgrade-insecure-requests')).toBeUndefined();
  });

  it('allows no inline script once the build hashes are gone (fails closed, like the site stack)', async () => {
    rmSync(join(root, CSP_HASHES_FILE));
    const csp = (await headersOf('/')).headers['content-security-policy']!;
    expect(directiveOf(csp, 'script-src')).toEqual(["'self'"]);
  });
});
