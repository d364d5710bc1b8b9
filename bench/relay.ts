/** Baseline: a bare `ws` relay (no auth, no storage) fanning each frame out to the room. The floor on this machine. */
import { WebSocket, WebSocketServer } from 'ws';
import { measureFanOut, type FanOutResult } from './fanout-run';

/** Relays `messages` messages to a room of `size` sockets, measured like the chat stack. */
export async function bareRelay(size: number, messages: number): Promise<FanOutResult> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  const url = `ws://127.0.0.1:${(server.address() as { port: number }).port}`;
  server.on('connection', (ws) => ws.on('message', (data) => {
    const frame = JSON.stringify({ type: 'message', message: { body: String(data) } });
    for (const client of server.clients) client.send(frame);
  }));
  const sockets: WebSocket[] = [];
  for (let i = 0; i < size; i++)
    sockets.push(await new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    }));
  const receivers = sockets.map((ws) => {
    const r = { onMessage: (_b: string, _t: number) => {} };
    ws.on('message', (d) => {
      const at = performance.now();
      r.onMessage((JSON.parse(String(d)) as { message: { body: string } }).message.body, at);
    });
    return r;
  });
  try {
    return await measureFanOut(receivers, messages, (body, i) => sockets[i % size]!.send(body), `relay${size}`);
  } finally {
    for (const ws of sockets) ws.terminate();
    await new Promise((r) => server.close(r));
  }
}
