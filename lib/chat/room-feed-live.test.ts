/**
 * RoomFeed's live side on the real stack: two rooms on one socket keep to their own frames, the change order is
 * followed frame by frame (a lost frame is noticed and read back from the changes feed, a repeated one ignored), a
 * long catch-up pages through the changes feed, and a read-back that fails after a reconnect is still owed.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { testUser } from '../../amplify/local/testing';
import { describe, expect, it } from 'vitest';
import type { ChatApi } from '../api';
import type { ChatClient } from '../chat-client';
import { ChatError } from '../chat-error';
import { ErrorCode, LIMITS, type ChangesResponse, type ChatMessage } from '../protocol';
import { until, useClientStack } from './client-stack';
import { lossyNetwork } from './test-server';
import { RoomFeed } from './room-feed';

const ctx = useClientStack();

/** The room's changes feed through the real API: requests as the feed made them; `limit` overrides the page size. */
function changesTap(api: ChatApi, roomId: string, limit?: number) {
  const tap = {
    requests: [] as { since: number; limit?: number }[],
    answers: [] as ChangesResponse[],
    intercept: undefined as undefined | (() => Promise<void>),
    page: async (options: { since: number; limit?: number }) => {
      tap.requests.push(options);
      await tap.intercept?.();
      const answer = await api.getChanges(roomId, limit ? { ...options, limit } : options);
      tap.answers.push(answer);
      return answer;
    },
  };
  return tap;
}

/**
 * A feed of `roomId` on `client` with the real history and a recorded changes feed. overlapMs 0: a read-back reads
 * only what is newer than the newest message held, so changed (older) messages come back only as changes.
 */
function feedOf(client: ChatClient, api: ChatApi, roomId: string, changesLimit?: number) {
  const changes = changesTap(api, roomId, changesLimit);
  const feed = new RoomFeed(client, roomId, (o) => api.getMessages(roomId, o), { pageSize: 10, overlapMs: 0 }, changes.page);
  return { feed, changes };
}

/** Resolves once `client` has had `roomIds` confirmed (its feeds' read-backs have started). */
const confirmed = (client: ChatClient, roomIds: string[]) =>
  new Promise<void>((resolve) => {
    const off = client.on('subscribed', (frame) => roomIds.every((id) => frame.roomIds.includes(id)) && (off(), resolve()));
  });

describe('RoomFeed live', () => {
  it('two rooms on one socket: each feed keeps its own messages and its own change order', async () => {
    const readerUser = testUser('TwoRooms');
    const writerUser = testUser('TwoRoomsWriter');
    await ctx.kit.room('live-a', readerUser);
    await ctx.kit.room('live-b', readerUser);
    const reader = ctx.kit.join(readerUser, 'live-a');
    reader.client.subscribe(['live-b']);
    const a = feedOf(reader.client, reader.api, 'live-a');
    const b = feedOf(reader.client, reader.api, 'live-b');
    a.feed.start();
    b.feed.start();
    const ready = confirmed(reader.client, ['live-a', 'live-b']);
    reader.client.connect();
    const writer = ctx.kit.join(writerUser, 'live-a');
    writer.client.subscribe(['live-b']);
    writer.client.connect();
    await ready;
    await Promise.all([a.feed.idle(), b.feed.idle()]);
    const [seqA, seqB] = [a.feed.appliedChangeSeq, b.feed.appliedChangeSeq];
    expect(seqA).toBeDefined();

    const toA = await writer.client.send('live-a', 'to a');
    const toB = await writer.client.send('live-b', 'to b');
    await until(() => a.feed.log.size === 1 && b.feed.log.size === 1);
    expect(a.feed.log.list()).toEqual([toA]);
    expect(b.feed.log.list()).toEqual([toB]);
    expect([a.feed.stats.live, b.feed.stats.live]).toEqual([1, 1]);

    await writer.client.edit('live-b', toB.messageId, 'to b (edited)');
    await until(() => b.feed.log.get(toB.messageId)?.body === 'to b (edited)');
    expect(b.feed.appliedChangeSeq).toBe(seqB! + 1);
    expect(b.feed.stats.liveChanges).toBe(1);
    // Room b's change order is not room a's: a's stays where it was, and a reads no changes for it.
    expect(a.feed.appliedChangeSeq).toBe(seqA);
    expect(a.feed.stats.liveChanges).toBe(0);
    await a.feed.idle();
    expect(a.changes.requests.filter((r) => r.since !== seqA)).toEqual([]);
    a.feed.stop();
    b.feed.stop();
  });

  it('follows the change order frame by frame: a lost frame is read back from the changes feed, a repeated one ignored', async () => {
    const readerUser = testUser('Order');
    const writerUser = testUser('OrderWriter');
    const roomId = await ctx.kit.room('live-order', readerUser);
    const { net, Socket } = lossyNetwork();
    const reader = ctx.kit.join(readerUser, roomId, () => ctx.stack.tokenFor(readerUser), { pageSize: 10 }, Socket);
    const { feed, changes } = feedOf(reader.client, reader.api, roomId);
    feed.start();
    const ready = confirmed(reader.client, [roomId]);
    reader.client.connect();
    const writer = ctx.kit.join(writerUser, roomId);
    writer.client.connect();
    await ready;
    const sent: ChatMessage[] = [];
    for (const body of ['zero', 'one', 'two']) sent.push(await writer.client.send(roomId, body));
    await until(() => feed.log.size === 3);
    await feed.idle();
    const s0 = feed.appliedChangeSeq!;
    const asked = changes.requests.length;

    // In order: applied from the frame, the order moves on, nothing is read.
    await writer.client.edit(roomId, sent[0]!.messageId, 'zero (edited)');
    await until(() => feed.log.get(sent[0]!.messageId)?.body === 'zero (edited)');
    expect(feed.appliedChangeSeq).toBe(s0 + 1);
    // The same frame again (a repeat on the wire) is behind the order: ignored.
    net.repeat(net.received.find((data) => data.includes('"messageChanged"'))!);
    // Lost: the next frame is never seen...
    net.drop = (frame) => frame.type === 'messageChanged' && (frame.message as ChatMessage).messageId === sent[1]!.messageId;
    await writer.client.edit(roomId, sent[1]!.messageId, 'one (edited)');
    await until(() => net.dropped.length === 1);
    expect(feed.appliedChangeSeq).toBe(s0 + 1);
    // ...until the one after it shows the gap: the changes feed brings the lost edit.
    await writer.client.edit(roomId, sent[2]!.messageId, 'two (edited)');
    await until(() => feed.log.get(sent[1]!.messageId)?.body === 'one (edited)');
    await feed.idle();
    expect(changes.requests.slice(asked)).toEqual([{ since: s0 + 1, limit: LIMITS.changesPageMax }]);
    expect(feed.appliedChangeSeq).toBe(s0 + 3);
    expect(feed.log.list().map((m) => m.body)).toEqual(['zero (edited)', 'one (edited)', 'two (edited)']);
    expect(feed.stats).toMatchObject({ liveChanges: 2, fetchedChanges: 1 });
    feed.stop();
  });

  it('a long catch-up pages through the changes feed, each page from where the last ended', async () => {
    const writerUser = testUser('PagesWriter');
    const roomId = await ctx.kit.room('live-pages', writerUser);
    const writer = ctx.kit.join(writerUser, roomId);
    writer.client.connect();
    const sent: ChatMessage[] = [];
    for (let i = 0; i < 5; i++) sent.push(await writer.client.send(roomId, `m${i}`));
    // Never edited: the newest message held, the only one a read-back reads again (overlapMs 0).
    const newest = await writer.client.send(roomId, 'newest');
    // The reader's socket never opens: every change after its first read comes through the changes feed.
    const reader = ctx.kit.join(testUser('PagesReader'), roomId);
    const { feed, changes } = feedOf(reader.client, reader.api, roomId, 2);
    feed.start();
    await feed.idle();
    const s0 = feed.appliedChangeSeq!;
    for (const m of sent) await writer.client.edit(roomId, m.messageId, `${m.body} (edited)`);
    const asked = changes.requests.length;
    await feed.sync();
    const pages = changes.requests.slice(asked);
    expect(pages).toEqual([
      { since: s0, limit: LIMITS.changesPageMax },
      { since: changes.answers[asked]!.nextSince, limit: LIMITS.changesPageMax },
      { since: changes.answers[asked + 1]!.nextSince, limit: LIMITS.changesPageMax },
    ]);
    expect(changes.answers.slice(asked).map((a) => [a.changes.length, a.hasMore])).toEqual([[2, true], [2, true], [1, false]]);
    expect(feed.appliedChangeSeq).toBe(s0 + 5);
    expect(feed.stats.fetchedChanges).toBe(5);
    expect(feed.log.list().map((m) => m.body)).toEqual([...sent.map((m) => `${m.body} (edited)`), newest.body]);

    // A page that answers after the feed stopped is not applied.
    await writer.client.delete(roomId, sent[0]!.messageId);
    let release!: () => void;
    changes.intercept = () => new Promise<void>((resolve) => (release = resolve));
    const last = feed.sync();
    await until(() => release !== undefined);
    feed.stop();
    release();
    await last;
    expect(feed.appliedChangeSeq).toBe(s0 + 5);
    expect(feed.log.get(sent[0]!.messageId)?.deletedAt).toBeUndefined();
  });

  it('a read-back that fails after a reconnect is still owed: the next one reaches back to where the hole began', async () => {
    const readerUser = testUser('Owed');
    const roomId = await ctx.kit.room('live-owed', readerUser);
    // overlapMs 0: only the remembered start of the hole can bring the missed messages back.
    const reader = ctx.kit.join(readerUser, roomId, () => ctx.stack.tokenFor(readerUser), { pageSize: 10, overlapMs: 0 });
    const errors: unknown[] = [];
    reader.feed.on('error', (error) => errors.push(error));
    reader.feed.start();
    reader.client.connect();
    await until(() => reader.client.status === 'open' && reader.feed.historyLoaded);
    const writer = testUser('OwedWriter');
    for (let i = 0; i < 3; i++) await ctx.kit.post(writer, roomId, `before ${i}`);
    await until(() => reader.feed.log.size === 3);

    let release!: () => void;
    reader.hold(new Promise<void>((resolve) => (release = resolve)));
    await ctx.stack.restartGateway();
    await until(() => reader.client.status === 'reconnecting');
    for (let i = 0; i < 12; i++) await ctx.kit.post(writer, roomId, `missed ${i}`);
    // The read-back after the reconnect fails (the history endpoint is down for a moment).
    const down = new ChatError(ErrorCode.Internal, 'The chat server could not be reached');
    const history = reader.api.getMessages;
    reader.api.getMessages = async () => {
      reader.api.getMessages = history;
      throw down;
    };
    release();
    await until(() => errors.length === 1);
    expect(errors).toEqual([down]);
    for (let i = 0; i < 2; i++) await ctx.kit.post(writer, roomId, `after ${i}`);
    await until(() => reader.feed.log.size === 5);
    await reader.feed.sync();
    expect(reader.feed.log.list().map((m) => m.messageId)).toEqual(await ctx.kit.stored(roomId));
    expect(reader.feed.log.size).toBe(17);
    reader.feed.stop();
  });
});
