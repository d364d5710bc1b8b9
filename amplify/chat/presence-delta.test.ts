/**
 * How presence changes are gathered into `presenceDelta` frames, against real dynalite and the gateway's real
 * `@connections` (announcePresence called as the handlers call it): one change from one socket reaches everyone but
 * that socket; changes meeting in one window go out as one frame that every actor hears; a person's join and leave
 * in one window cancel to the latest; a wave is sent in frames of at most PRESENCE_BATCH_MAX; the window's length.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestSocket, type TestStack, type TestUser } from '../local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../lib/protocol';
import { PRESENCE_BATCH_MAX, announcePresence } from './presence';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

type Delta = Extract<ServerFrame, { type: 'presenceDelta' }>;
const chatUser = (u: TestUser) => ({ userId: u.sub, displayName: u.preferred_username });
const ids = (users: readonly { userId: string }[]) => users.map((u) => u.userId).sort();

const isDelta = (f: ServerFrame): f is Delta => f.type === 'presenceDelta';

/** Takes the presence deltas `socket` got so far (after a round trip settles it). */
async function deltas(socket: TestSocket): Promise<Delta[]> {
  await socket.settle();
  const got: Delta[] = [];
  while (socket.pending().some(isDelta)) got.push((await socket.next(isDelta)) as Delta);
  return got;
}

/** A socket of `user` (a visitor: its own arrival announces nothing) subscribed to `roomId`, and its connection id. */
async function present(user: TestUser, roomId: string) {
  const socket = await stack.connect(user, roomId);
  return { socket, id: await stack.connectionIdOf(user) };
}

describe('presence deltas', () => {
  it("one change from one socket reaches everyone but that socket; several from several sockets reach all of them", async () => {
    const [ada, bo, cy] = [testUser('DlAda'), testUser('DlBo'), testUser('DlCy')];
    const roomId = await stack.publicRoom(ada, 'delta-actors');
    const a = await present(ada, roomId);
    const b = await present(bo, roomId);
    const c = await present(cy, roomId);
    const all = [a.socket, b.socket, c.socket];

    await announcePresence(chatUser(ada), [roomId], 'left', a.id);
    expect(await deltas(a.socket)).toEqual([]);
    for (const s of [b.socket, c.socket]) expect(await deltas(s)).toEqual([{ type: 'presenceDelta', roomId, joined: [], left: [chatUser(ada)] }]);

    await Promise.all([announcePresence(chatUser(ada), [roomId], 'joined', a.id), announcePresence(chatUser(bo), [roomId], 'joined', b.id)]);
    for (const s of all) {
      const got = await deltas(s);
      expect(got).toHaveLength(1);
      expect([ids(got[0]!.joined), got[0]!.left]).toEqual([ids([chatUser(ada), chatUser(bo)]), []]);
    }

    // One person's socket going while another of theirs arrives: one change, two sockets — nobody is left out.
    await Promise.all([announcePresence(chatUser(cy), [roomId], 'left', 'DlCyOld0000='), announcePresence(chatUser(cy), [roomId], 'joined', c.id)]);
    for (const s of all) expect(await deltas(s)).toEqual([{ type: 'presenceDelta', roomId, joined: [chatUser(cy)], left: [] }]);
    await Promise.all(all.map((s) => s.close()));
  });

  it("a person's join and leave in one window cancel to the latest", async () => {
    const [ada, bo] = [testUser('CnAda'), testUser('CnBo')];
    const roomId = await stack.publicRoom(ada, 'delta-cancel');
    const a = await present(ada, roomId);
    await Promise.all([announcePresence(chatUser(bo), [roomId], 'joined', 'CnBoConn000='), announcePresence(chatUser(bo), [roomId], 'left', 'CnBoConn000=')]);
    await Promise.all([announcePresence(chatUser(bo), [roomId], 'left', 'CnBoConn001='), announcePresence(chatUser(bo), [roomId], 'joined', 'CnBoConn001=')]);
    expect(await deltas(a.socket)).toEqual([
      { type: 'presenceDelta', roomId, joined: [], left: [chatUser(bo)] },
      { type: 'presenceDelta', roomId, joined: [chatUser(bo)], left: [] },
    ]);
    await a.socket.close();
  });

  it(`a wave of changes goes out in frames of at most ${PRESENCE_BATCH_MAX} people (joins and leaves together)`, async () => {
    const ada = testUser('WvAda');
    const roomId = await stack.publicRoom(ada, 'delta-wave');
    const a = await present(ada, roomId);
    const joining = Array.from({ length: 60 }, (_, i) => ({ userId: `wave-in-${i}`, displayName: `In ${i}` }));
    const leaving = Array.from({ length: PRESENCE_BATCH_MAX + 1 - 60 }, (_, i) => ({ userId: `wave-out-${i}`, displayName: `Out ${i}` }));
    await Promise.all([
      ...joining.map((u, i) => announcePresence(u, [roomId], 'joined', `WaveIn${i}`)),
      ...leaving.map((u, i) => announcePresence(u, [roomId], 'left', `WaveOut${i}`)),
    ]);
    const got = await deltas(a.socket);
    expect(got.map((d) => d.joined.length + d.left.length)).toEqual([PRESENCE_BATCH_MAX, 1]);
    expect(ids(got.flatMap((d) => d.joined))).toEqual(ids(joining));
    expect(ids(got.flatMap((d) => d.left))).toEqual(ids(leaving));
    await a.socket.close();
  });

  it('changes within the window (PRESENCE_COALESCE_MS) share a frame; later ones get their own', async () => {
    const ada = testUser('WnAda');
    const roomId = await stack.publicRoom(ada, 'delta-window');
    const a = await present(ada, roomId);
    const [x, y, z] = ['x', 'y', 'z'].map((n) => ({ userId: `window-${n}`, displayName: n }));
    process.env.PRESENCE_COALESCE_MS = '400';
    try {
      const first = announcePresence(x, [roomId], 'joined', 'WinX');
      await new Promise((resolve) => setTimeout(resolve, 100)); // inside the 400 ms window, well past the default 50
      await Promise.all([first, announcePresence(y, [roomId], 'joined', 'WinY')]);
      await announcePresence(z, [roomId], 'joined', 'WinZ');
    } finally {
      delete process.env.PRESENCE_COALESCE_MS;
    }
    expect((await deltas(a.socket)).map((d) => ids(d.joined))).toEqual([ids([x, y]), [z.userId]]);
    await a.socket.close();
  });
});
