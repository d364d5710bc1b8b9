/** Message-action rules of the protocol (docs/messages.md), each checked from both sides. */
import { describe, expect, it } from 'vitest';
import {
  changesResponseSchema,
  MESSAGE_WINDOWS,
  changesQuerySchema,
  clientFrameSchema,
  clientFrameSchemaOf,
  describeWindow,
  emojiSchema,
  historyQuerySchema,
  serverFrameSchema,
  withinWindow,
} from './protocol';

const ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe('reaction emoji', () => {
  it.each(['👍', '❤️', '👨‍👩‍👧‍👦', '🇫🇷', '1️⃣', '👋🏽', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🫩'])('accepts the single emoji %s', (emoji) => {
    expect(emojiSchema.safeParse(emoji).success).toBe(true);
  });
  it.each(['', 'a', '1', '#', '👍👍', '👍 ', 'x👍', '🇫', '\u200d', '<b>', '👍'.repeat(20)])('refuses %j', (emoji) => {
    expect(emojiSchema.safeParse(emoji).success).toBe(false);
  });
});

describe('edit and delete windows', () => {
  it('are stated in words and enforced to the millisecond', () => {
    expect(describeWindow(MESSAGE_WINDOWS.editMs)).toBe('24 hours');
    expect(describeWindow(MESSAGE_WINDOWS.deleteMs)).toBe('7 days');
    expect(describeWindow(15 * 60_000)).toBe('15 minutes');
    const sent = '2026-01-01T00:00:00.000Z';
    expect(withinWindow('edit', sent, Date.parse(sent) + MESSAGE_WINDOWS.editMs)).toBe(true);
    expect(withinWindow('edit', sent, Date.parse(sent) + MESSAGE_WINDOWS.editMs + 1)).toBe(false);
    expect(withinWindow('delete', sent, Date.parse(sent) + MESSAGE_WINDOWS.editMs + 1)).toBe(true);
  });
});

describe('frames', () => {
  it('accepts the message actions and refuses toggles, bad ids and missing fields', () => {
    const ok = [
      { action: 'editMessage', roomId: 'general', messageId: ID, body: 'x' },
      { action: 'deleteMessage', roomId: 'general', messageId: ID, requestId: 'req-0001' },
      { action: 'react', roomId: 'general', messageId: ID, emoji: '👍', op: 'set' },
      { action: 'react', roomId: 'general', messageId: ID, emoji: '👍', op: 'unset' },
      { action: 'sendMessage', roomId: 'general', body: 'x', replyToMessageId: ID },
    ];
    for (const frame of ok) expect(clientFrameSchema.safeParse(frame).success, JSON.stringify(frame)).toBe(true);
    const bad = [
      { action: 'react', roomId: 'general', messageId: ID, emoji: '👍', op: 'toggle' },
      { action: 'react', roomId: 'general', messageId: ID, op: 'set' },
      { action: 'editMessage', roomId: 'general', messageId: 'nope', body: 'x' },
      { action: 'editMessage', roomId: 'general', messageId: ID },
      { action: 'deleteMessage', roomId: 'general', messageId: ID, requestId: 'short' },
      { action: 'sendMessage', roomId: 'general', body: 'x', replyToMessageId: 'nope' },
    ];
    for (const frame of bad) expect(clientFrameSchema.safeParse(frame).success, JSON.stringify(frame)).toBe(false);
    // The server parses with the named action's schema alone (built on first use): same data, same issues.
    for (const frame of [...ok, ...bad, { action: 'subscribe', roomIds: [] }, { action: 'ping', extra: 1 }, { action: 'typing' }]) {
      const alone = clientFrameSchemaOf(frame.action as Parameters<typeof clientFrameSchemaOf>[0]);
      expect(alone.safeParse(frame), JSON.stringify(frame)).toEqual(clientFrameSchema.safeParse(frame));
      expect(clientFrameSchemaOf(frame.action as Parameters<typeof clientFrameSchemaOf>[0])).toBe(alone);
    }
  });

  it('describes messageChanged with an optional seq (absent only on an idempotent repeat)', () => {
    const message = { roomId: 'general', messageId: ID, authorId: 'a', authorName: 'A', body: '', createdAt: 'x', deletedAt: 'y', rev: 2 };
    expect(serverFrameSchema.safeParse({ type: 'messageChanged', roomId: 'general', seq: 3, change: 'deleted', message }).success).toBe(true);
    expect(serverFrameSchema.safeParse({ type: 'messageChanged', roomId: 'general', change: 'reaction', message }).success).toBe(true);
    expect(serverFrameSchema.safeParse({ type: 'messageChanged', roomId: 'general', seq: 0, change: 'edited', message }).success).toBe(false);
    expect(serverFrameSchema.safeParse({ type: 'messageChanged', roomId: 'general', seq: 1, change: 'toggled', message }).success).toBe(false);
    // `stored` (a late message) is a changes entry only, never a messageChanged frame.
    expect(serverFrameSchema.safeParse({ type: 'messageChanged', roomId: 'general', seq: 1, change: 'stored', message }).success).toBe(false);
    const page = (change: string) => changesResponseSchema.safeParse({ changes: [{ seq: 1, change, message }], nextSince: 1, hasMore: false }).success;
    expect(['edited', 'deleted', 'reaction', 'stored', 'toggled'].map(page)).toEqual([true, true, true, true, false]);
  });
});

describe('history and changes queries', () => {
  it('takes around/from alone, never with each other or with before/after', () => {
    expect(historyQuerySchema.safeParse({ around: ID }).success).toBe(true);
    expect(historyQuerySchema.safeParse({ from: ID, limit: '5' }).success).toBe(true);
    expect(historyQuerySchema.safeParse({ before: ID, after: ID }).success).toBe(true);
    expect(historyQuerySchema.safeParse({ around: ID, from: ID }).success).toBe(false);
    expect(historyQuerySchema.safeParse({ around: ID, before: ID }).success).toBe(false);
    expect(historyQuerySchema.safeParse({ from: ID, after: ID }).success).toBe(false);
    expect(historyQuerySchema.safeParse({ around: 'nope' }).success).toBe(false);
  });

  it('takes a non-negative since (default 0: from the first change)', () => {
    expect(changesQuerySchema.parse({ since: '7' })).toEqual({ since: 7, limit: 100 });
    expect(changesQuerySchema.parse({})).toEqual({ since: 0, limit: 100 });
    expect(changesQuerySchema.safeParse({ since: '-1' }).success).toBe(false);
    expect(changesQuerySchema.safeParse({ since: 'x' }).success).toBe(false);
    expect(changesQuerySchema.safeParse({ since: '1', limit: '501' }).success).toBe(false);
  });
});
