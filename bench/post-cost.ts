/**
 * The client-side cost of one `PostToConnection` on this machine: the real SDK client posting with the product's
 * concurrency to a null `@connections` server (answers 200 at once). This is the CPU a fan-out Lambda spends per
 * recipient besides waiting, the per-post input of the AWS model.
 */
import { createServer } from 'node:http';
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { BROADCAST_CONCURRENCY } from '../amplify/chat/broadcast';

/**
 * Per post: CPU milliseconds of this process (client + a null server that does nothing: the model's CPU cost per
 * recipient) and wall milliseconds (inflated when other work shares the cores, hence not the model's input).
 */
export async function measurePostCost(posts = 1000): Promise<{ cpuMsPerPost: number; wallMsPerPost: number; posts: number; concurrency: number }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = new ApiGatewayManagementApiClient({
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const data = JSON.stringify({ type: 'message', message: { body: 'x'.repeat(200) } });
  const run = async (n: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: BROADCAST_CONCURRENCY }, async () => {
        while (next++ < n) await client.send(new PostToConnectionCommand({ ConnectionId: `c${next}`, Data: data }));
      }),
    );
  };
  try {
    await run(Math.min(200, posts)); // warm up (keep-alive sockets, JIT)
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await run(posts);
    const cpu = process.cpuUsage(cpu0);
    const r = (x: number) => Math.round(x * 1000) / 1000;
    return { cpuMsPerPost: r((cpu.user + cpu.system) / 1000 / posts), wallMsPerPost: r((performance.now() - t0) / posts), posts, concurrency: BROADCAST_CONCURRENCY };
  } finally {
    client.destroy();
    await new Promise((r) => server.close(r));
  }
}
