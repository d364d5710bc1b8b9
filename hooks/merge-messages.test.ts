import { describe, expect, it } from 'vitest';
import { mergeMessages } from './merge-messages';
import type { ChatMessage } from '../lib/protocol';

const m = (messageId: string, body = messageId): ChatMessage => ({
  roomId: 'general',
  messageId,
  authorId: 'u',
  authorName: 'Ada',
  body,
  createdAt: '2024-01-01T00:00:00.000Z',
});

describe('mergeMessages', () => {
  it('orders newest-first history oldest at the top', () => {
    const page = [m('01C'), m('01B'), m('01A')];
    expect(mergeMessages([], page).map((x) => x.messageId)).toEqual(['01A', '01B', '01C']);
  });

  it('drops duplicates between history, acks and broadcasts', () => {
    const merged = mergeMessages([m('01A'), m('01B')], [m('01B', 'again'), m('01C'), m('01C')]);
    expect(merged.map((x) => [x.messageId, x.body])).toEqual([
      ['01A', '01A'],
      ['01B', '01B'],
      ['01C', '01C'],
    ]);
  });

  it('places an older page before live messages', () => {
    expect(mergeMessages([m('01M'), m('01N')], [m('01B'), m('01A')]).map((x) => x.messageId)).toEqual(['01A', '01B', '01M', '01N']);
  });

  it('returns the same array when nothing is new', () => {
    const current = [m('01A')];
    expect(mergeMessages(current, [m('01A')])).toBe(current);
  });
});
