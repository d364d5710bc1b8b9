/** HTTP plumbing for the Cognito proxy: stream a request through, read a small body, send an answer. */
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { RpcResponse } from './rpc';

const MAX_BODY_BYTES = 1024 * 1024;

/** Streams a request to cognito-local unchanged, and its answer back (minus its own CORS headers). */
export function forward(req: IncomingMessage, res: ServerResponse, cognitoUrl: string): Promise<void> {
  const upstream = new URL(cognitoUrl);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        const headers = Object.fromEntries(
          Object.entries(answer.headers).filter(([name]) => !name.startsWith('access-control-')),
        );
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res).on('finish', resolve).on('error', reject);
      },
    );
    outgoing.on('error', reject);
    req.pipe(outgoing);
  });
}

/** The request body passed the limit (answered 413). */
export class BodyTooLarge extends Error {}

/** Reads a request body (JSON-RPC bodies are small; 1 MB at most). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes a buffered answer. */
export function send(res: ServerResponse, answer: RpcResponse): void {
  res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.text);
}
