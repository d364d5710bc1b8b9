/**
 * One SocketLink against a real `ws` server on 127.0.0.1:0 (lib/chat/test-server.ts), in virtual time: what it
 * reports (open, frames, what it cannot parse, its end exactly once), how it closes (at once, or gracefully with
 * a drain — and when the close event never comes), and its heartbeat's deadline.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../protocol';
import { CLOSE_NO_HEARTBEAT, SocketLink } from './socket-link';
import { closeOf, lossyNetwork, startTestServer, until, virtualClock, type TestServer } from './test-server';

let server: TestServer;
const links: SocketLink[] = [];
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  for (const link of links.splice(0)) link.end();
  await server.stop();
});

/** A link on a lossy network in virtual time, with everything it reports recorded. */
function openLink(heartbeat = { intervalMs: 0, timeoutMs: 0 }) {
  const clock = virtualClock();
  const { net, Socket } = lossyNetwork();
  const seen = { opened: 0, frames: [] as ServerFrame[], invalid: [] as string[], ended: [] as number[] };
  const accepted = server.nextConnection();
  clock.advance(5);
  const link = new SocketLink(Socket, `${server.url}?ticket=t`, clock, heartbeat, {
    opened: () => seen.opened++,
    frame: (_link, frame) => seen.frames.push(frame),
    invalid: (reason) => seen.invalid.push(reason),
    ended: (_link, code) => seen.ended.push(code),
  });
  links.push(link);
  return { link, clock, net, seen, accepted };
}


describe('SocketLink', () => {
  it('opens, sends only while open, parses frames and names (never shows) what it cannot parse', async () => {
    const { link, seen, accepted } = openLink();
    expect([link.isOpen, link.send('{"action":"ping"}')]).toEqual([false, false]);
    const socket = await accepted;
    await until(() => seen.opened === 1);
    expect(link.openedAt).toBe(5);
    expect([link.isOpen, link.send('{"action":"ping"}')]).toEqual([true, true]);
    await until(() => seen.frames.length === 1); // the pong
    socket.send('not json {');
    socket.send(JSON.stringify({ type: 'surprise' }));
    socket.send(Buffer.from(JSON.stringify({ type: 'subscribed', roomIds: ['general'], refused: [] })), { binary: true });
    await until(() => seen.frames.length === 2 && seen.invalid.length === 2);
    expect(seen.frames).toEqual([{ type: 'pong' }, { type: 'subscribed', roomIds: ['general'], refused: [] }]);
    expect(seen.invalid).toEqual(['not JSON', 'not a known frame']);
  });

  it('end(): closes with its code and reason, reports the end once, and delivers nothing after it', async () => {
    const { link, net, seen, accepted } = openLink();
    const socket = await accepted;
    await until(() => seen.opened === 1);
    const closed = closeOf(socket);
    link.end();
    expect(seen.ended).toEqual([1000]);
    expect(await closed).toEqual({ code: 1000, reason: 'client closed' });
    await until(() => net.sockets[0]!.closed); // the close event came too: still one end
    net.repeat(JSON.stringify({ type: 'pong' })); // a frame that was already on its way
    link.end(4001, 'again');
    expect(seen).toMatchObject({ ended: [1000], frames: [] });
    expect([link.isOpen, link.send('{"action":"ping"}')]).toEqual([false, false]);
  });

  it('close(grace): frames on their way still arrive, pings stop, and the end comes with the close event', async () => {
    const { link, clock, net, seen, accepted } = openLink({ intervalMs: 30, timeoutMs: 60 });
    const socket = await accepted;
    await until(() => seen.opened === 1);
    const closed = closeOf(socket);
    link.close(5_000, 1000, 'replaced');
    net.repeat(JSON.stringify({ type: 'pong' })); // still draining: delivered
    expect(seen.frames).toEqual([{ type: 'pong' }]);
    clock.advance(1_000); // no ping, so no deadline either
    expect(await closed).toEqual({ code: 1000, reason: 'replaced' });
    await until(() => seen.ended.length === 1);
    expect(seen.ended).toEqual([1000]);
    expect(server.received[0]!.frames).toEqual([]);
    clock.advance(10_000);
    expect(seen.ended).toEqual([1000]);
  });

  it('close(grace) on a half-open connection: the end is reported when the grace is over', async () => {
    const { link, clock, net, seen, accepted } = openLink();
    await accepted;
    await until(() => seen.opened === 1);
    net.loseClose = true;
    link.close(5_000, 1000, 'replaced');
    await until(() => net.sockets[0]!.closed);
    clock.advance(4_999);
    expect(seen.ended).toEqual([]);
    clock.advance(1);
    expect(seen.ended).toEqual([1000]);
  });

  it('heartbeat: a ping each interval; silence ends the link 60 ms after the FIRST unanswered ping, not the last', async () => {
    server.onFrame = () => undefined; // pings go unanswered
    const { clock, seen, accepted } = openLink({ intervalMs: 30, timeoutMs: 60 });
    const socket = await accepted;
    await until(() => seen.opened === 1);
    const closed = closeOf(socket);
    clock.advance(89); // pings at 30 and 60; the deadline of the first is 90
    await until(() => server.received[0]!.frames.length === 2);
    expect(server.received[0]!.frames).toEqual([{ action: 'ping' }, { action: 'ping' }]);
    expect(seen.ended).toEqual([]);
    clock.advance(1);
    expect(seen.ended).toEqual([CLOSE_NO_HEARTBEAT]);
    expect(await closed).toEqual({ code: CLOSE_NO_HEARTBEAT, reason: 'No answer to ping' });
  });

  it("heartbeat: an answer to a later ping, before the first one's deadline, keeps the link alive", async () => {
    let pings = 0;
    server.onFrame = (_socket, frame) => (frame.action === 'ping' && ++pings === 1 ? undefined : 'default'); // the first goes unanswered
    const { clock, seen, accepted } = openLink({ intervalMs: 30, timeoutMs: 60 });
    await accepted;
    await until(() => seen.opened === 1);
    clock.advance(60); // pings at 30 (unanswered) and 60
    await until(() => seen.frames.length === 1); // the answer to the second
    clock.advance(59); // past the first ping's deadline (90); the third ping (90) is answered too
    expect(seen.ended).toEqual([]);
  });

  it('heartbeat: any frame before the deadline keeps the link alive', async () => {
    const { clock, seen, accepted } = openLink({ intervalMs: 30, timeoutMs: 60 });
    await accepted;
    await until(() => seen.opened === 1);
    for (let ping = 1; ping <= 5; ping++) {
      clock.advance(30);
      await until(() => seen.frames.length === ping); // the server's pong
    }
    clock.advance(59);
    expect(seen.ended).toEqual([]);
  });
});
