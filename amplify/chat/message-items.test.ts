/**
 * Stored row ↔ wire message: reactions map → sorted list (empty emoji dropped), a deleted row shows no text and no
 * mentions, optional fields only when set, and replies resolved to their quote as the quoted message is NOW — from
 * the same page when it is there, else with ONE consistent BatchGet against real dynalite.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, type TestStack } from '../local/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db } from './db';
import { fromItem, quoteOf, reactionsOf, withQuotes, type MessageItem } from './message-items';
import { MESSAGES_TABLE, requiredEnv } from './tables';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const MIDDLEWARE = 'messageItemsEdge';
afterEach(() => void db().middlewareStack.remove(MIDDLEWARE));

const row = (over: Partial<MessageItem> & { messageId: string }): MessageItem => ({
  roomId: 'items',
  authorId: 'u-ada',
  authorName: 'Ada',
  body: `body of ${over.messageId}`,
  createdAt: '2030-01-01T00:00:00.000Z',
  ...over,
});

describe('reactionsOf', () => {
  it('lists emoji in code-unit order with sorted user ids, from sets or arrays, dropping emoji nobody holds', () => {
    expect(reactionsOf({ '👍': new Set(['u2', 'u1']), '🎉': ['u3'], '❤️': new Set<string>(), a: ['u9', 'u1'] })).toEqual([
      { emoji: 'a', userIds: ['u1', 'u9'] },
      { emoji: '🎉', userIds: ['u3'] },
      { emoji: '👍', userIds: ['u1', 'u2'] },
    ]);
    expect(reactionsOf(undefined)).toEqual([]);
    expect(reactionsOf({})).toEqual([]);
    expect(reactionsOf({ x: [] })).toEqual([]);
  });

  it('orders emoji the same whatever order the stored map holds them in', () => {
    expect(reactionsOf({ c: ['u1'], b: ['u1'] }).map((r) => r.emoji)).toEqual(['b', 'c']);
    expect(reactionsOf({ b: ['u1'], c: ['u1'] }).map((r) => r.emoji)).toEqual(['b', 'c']);
  });
});

describe('fromItem', () => {
  it('carries only the fields a row has', () => {
    expect(fromItem(row({ messageId: 'm1' }))).toEqual({
      roomId: 'items',
      messageId: 'm1',
      authorId: 'u-ada',
      authorName: 'Ada',
      body: 'body of m1',
      createdAt: '2030-01-01T00:00:00.000Z',
    });
    const full = fromItem(
      row({ messageId: 'm2', clientMessageId: 'c-1', mentions: ['u-bob'], rev: 2, editedAt: '2030-01-02T00:00:00.000Z', reactions: { '👍': ['u-bob'] }, replyToMessageId: 'm1' }),
    );
    expect(full).toEqual({
      roomId: 'items',
      messageId: 'm2',
      authorId: 'u-ada',
      authorName: 'Ada',
      body: 'body of m2',
      createdAt: '2030-01-01T00:00:00.000Z',
      clientMessageId: 'c-1',
      mentions: ['u-bob'],
      rev: 2,
      editedAt: '2030-01-02T00:00:00.000Z',
      reactions: [{ emoji: '👍', userIds: ['u-bob'] }],
      replyTo: { messageId: 'm1', snippet: '', deleted: true },
    });
  });

  it('shows a deleted row without its text or mentions, and an empty mention list as none', () => {
    const deleted = fromItem(row({ messageId: 'm3', body: 'gone?', mentions: ['u-bob'], deletedAt: '2030-01-03T00:00:00.000Z' }));
    expect(deleted.body).toBe('');
    expect(deleted).not.toHaveProperty('mentions');
    expect(deleted.deletedAt).toBe('2030-01-03T00:00:00.000Z');
    expect(fromItem(row({ messageId: 'm4', mentions: [] }))).not.toHaveProperty('mentions');
    expect(fromItem(row({ messageId: 'm5', body: undefined })).body).toBe('');
    expect(fromItem(row({ messageId: 'm6', reactions: { '👍': [] } }))).not.toHaveProperty('reactions');
  });
});

describe('quoteOf', () => {
  it('quotes author and the first 120 characters (code points, an emoji is one), a deleted or missing one as deleted', () => {
    const long = `${'😀'.repeat(100)}${'x'.repeat(50)}`;
    expect(quoteOf('q1', row({ messageId: 'q1', body: long }))).toEqual({ messageId: 'q1', authorId: 'u-ada', authorName: 'Ada', snippet: `${'😀'.repeat(100)}${'x'.repeat(20)}` });
    expect(quoteOf('q1', row({ messageId: 'q1', deletedAt: '2030-01-01T00:00:00.000Z' }))).toEqual({ messageId: 'q1', snippet: '', deleted: true });
    expect(quoteOf('q1', undefined)).toEqual({ messageId: 'q1', snippet: '', deleted: true });
    expect(quoteOf('q1', row({ messageId: 'q1', body: undefined })).snippet).toBe('');
  });
});

describe('withQuotes', () => {
  const put = (item: MessageItem) => db().send(new PutCommand({ TableName: requiredEnv(MESSAGES_TABLE.envVar), Item: item }));
  /** BatchGetItem requests from here on, with the keys each asked for. */
  function batchGets(): unknown[][] {
    const seen: unknown[][] = [];
    db().middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'BatchGetItemCommand') {
          const items = (args.input as { RequestItems: Record<string, { Keys: unknown[]; ConsistentRead?: boolean }> }).RequestItems;
          for (const request of Object.values(items)) {
            expect(request.ConsistentRead).toBe(true);
            seen.push(request.Keys);
          }
        }
        return next(args);
      },
      { step: 'initialize', name: MIDDLEWARE, priority: 'high' },
    );
    return seen;
  }

  it('fetches nothing when no row is a reply, or every quoted one is on the same page', async () => {
    const seen = batchGets();
    const plain = [row({ messageId: 'p1' }), row({ messageId: 'p2' })];
    expect(await withQuotes(plain)).toEqual(plain.map(fromItem));
    const paged = [row({ messageId: 'p1' }), row({ messageId: 'p2', replyToMessageId: 'p1' })];
    expect((await withQuotes(paged))[1]!.replyTo).toEqual({ messageId: 'p1', authorId: 'u-ada', authorName: 'Ada', snippet: 'body of p1' });
    expect(seen).toEqual([]);
    expect(await withQuotes([])).toEqual([]);
  });

  it('reads the other quoted messages in one BatchGet (each id once), as they are now', async () => {
    await put(row({ roomId: 'quotes', messageId: 'o1', body: 'original one' }));
    await put(row({ roomId: 'quotes', messageId: 'o2', body: 'was here', deletedAt: '2030-01-02T00:00:00.000Z' }));
    const seen = batchGets();
    const page = [
      row({ roomId: 'quotes', messageId: 'r1', replyToMessageId: 'o1' }),
      row({ roomId: 'quotes', messageId: 'r2', replyToMessageId: 'o1' }),
      row({ roomId: 'quotes', messageId: 'r3', replyToMessageId: 'o2' }),
      row({ roomId: 'quotes', messageId: 'r4', replyToMessageId: 'o9' }),
      row({ roomId: 'quotes', messageId: 'r5' }),
    ];
    const out = await withQuotes(page);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual([
      { roomId: 'quotes', messageId: 'o1' },
      { roomId: 'quotes', messageId: 'o2' },
      { roomId: 'quotes', messageId: 'o9' },
    ]);
    expect(out.map((m) => m.replyTo)).toEqual([
      { messageId: 'o1', authorId: 'u-ada', authorName: 'Ada', snippet: 'original one' },
      { messageId: 'o1', authorId: 'u-ada', authorName: 'Ada', snippet: 'original one' },
      { messageId: 'o2', snippet: '', deleted: true },
      { messageId: 'o9', snippet: '', deleted: true },
      undefined,
    ]);
    expect(out.map((m) => m.messageId)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
  });
});
