/**
 * Serves the static export (`out/`) the way S3 + CloudFront do, plus the generated
 * `/amplify_outputs.json`, so the browser runs exactly the files that deploy, under the same
 * security headers CloudFront sends (security-headers.ts), with the emulators' origins in connect-src.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { chatOutputsFrom, OUTPUTS_PATH } from '../../lib/outputs';
import { NO_INLINE } from '../stacks/csp';
import { readSiteHashes } from '../stacks/csp-hashes';
import { localCsp, securityHeaders, type HeaderSet } from '../stacks/security-headers';
import { listen, closeServer } from './net';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Resolves a URL path to a file under `root` (no escaping it), trying `.html` and `/index.html` like the CDN does. */
async function resolveFile(root: string, urlPath: string): Promise<string | undefined> {
  const clean = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  const base = join(root, clean);
  if (base !== root && !base.startsWith(root + sep)) return undefined;
  for (const candidate of [base, `${base}.html`, join(base, 'index.html')]) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return candidate;
  }
  return undefined;
}

/**
 * The headers CloudFront would send, for the local origins in `outputs`. Re-read per response: a rebuild
 * (new inline hashes) or a restarted emulator (new port) needs no server restart.
 */
export function localSecurityHeaders(root: string, outputs: unknown): HeaderSet {
  let urls: string[] = [];
  try {
    const chat = chatOutputsFrom(outputs);
    urls = [chat.httpApiUrl, chat.webSocketUrl, ...(chat.userPoolEndpoint ? [chat.userPoolEndpoint] : [])];
  } catch {
    // No valid outputs: the app only shows its configuration error, which needs no connections.
  }
  // Like the site stack: without the build's csp-hashes.json no inline code runs (fails closed).
  return securityHeaders(localCsp(urls, readSiteHashes(root) ?? NO_INLINE));
}

/** Starts the static server; `outputs` is served at OUTPUTS_PATH. */
export async function startStaticServer(opts: {
  root: string;
  outputs: () => unknown;
  host?: string;
  port?: number;
}): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://local').pathname;
      for (const [name, value] of Object.entries(localSecurityHeaders(opts.root, opts.outputs()))) res.setHeader(name, value);
      if (path === OUTPUTS_PATH) {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(opts.outputs()));
        return;
      }
      const file = (await resolveFile(opts.root, path)) ?? (await resolveFile(opts.root, '404.html'));
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: run `npm run build` first');
        return;
      }
      const body = await readFile(file);
      const status = file.endsWith(`${sep}404.html`) && !path.endsWith('404.html') ? 404 : 200;
      res.writeHead(status, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(400).end();
    }
  });
  const port = await listen(server, opts.port ?? 0, opts.host ?? '127.0.0.1');
  return { url: `http://${opts.host ?? '127.0.0.1'}:${port}`, port, stop: () => closeServer(server) };
}
