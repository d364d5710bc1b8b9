/** Small helpers for local servers: listen on a (possibly free) port, close for good. */
import type { Server } from 'node:http';
import { createServer } from 'node:net';

/** Listens on `port` (0 = any free port) and resolves to the bound port. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Closes a server and every keep-alive socket it holds. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

/** `preferred` if it is free on `host`, else any free port: friendly fixed URLs without failing when taken. */
export function pickPort(preferred: number, host = '127.0.0.1'): Promise<number> {
  const probe = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(port, host, () => {
        const address = s.address();
        const bound = typeof address === 'object' && address ? address.port : port;
        s.close(() => resolve(bound));
      });
    });
  return probe(preferred).catch(() => probe(0));
}
