import { describe, expect, it } from 'vitest';
import { mentionToken, type ChatMessage } from '../protocol';
import { DELETED_PREVIEW, previewLine } from './preview-line';
import { previewOf, RoomList } from './room-list';

const message = (extra: Partial<ChatMessage> = {}): ChatMessage => ({
  roomId: 'general',
  messageId: '01J0000000000000000000A001',
  authorId: 'ada',
  authorName: 'Ada',
  body: `see you at 3, ${mentionToken('bob')}`,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});
const names = (id: string) => ({ bob: 'Bob' })[id];

describe('previewLine', () => {
  it('shows the author and the text with names for mentions; "You" for one\'s own', () => {
    expect(previewLine(previewOf(message()), 'me', names)).toEqual({ preview: 'Ada: see you at 3, @Bob', previewDeleted: false });
    expect(previewLine(previewOf(message({ authorId: 'me' })), 'me', names)).toEqual({ preview: 'You: see you at 3, @Bob', previewDeleted: false });
  });

  it('a deleted last message reads "Name: message deleted" (placeholder style), never "Name: " or its old text', () => {
    const deleted = previewOf(message({ body: '', deletedAt: '2026-01-01T00:01:00.000Z' }));
    expect(deleted).toMatchObject({ body: '', deleted: true });
    expect(previewLine(deleted, 'me', names)).toEqual({ preview: `Ada: ${DELETED_PREVIEW}`, previewDeleted: true });
    expect(previewLine(previewOf(message({ authorId: 'me', body: '', deletedAt: 'x' })), 'me', names).preview).toBe('You: message deleted');
    // Even a held copy that still had its body: the delete wins, the text never reaches the preview.
    expect(previewOf(message({ deletedAt: '2026-01-01T00:01:00.000Z' })).body).toBe('');
  });

  it('either sign of a delete is enough: an empty body from a server without the flag, or the flag on a stale body', () => {
    const { deleted: _, ...unflagged } = previewOf(message({ body: '', deletedAt: 'x' }));
    expect(unflagged).not.toHaveProperty('deleted');
    expect(previewLine(unflagged, 'me', names)).toEqual({ preview: 'Ada: message deleted', previewDeleted: true });
    expect(previewLine({ ...previewOf(message()), deleted: true }, 'me', names)).toEqual({ preview: 'Ada: message deleted', previewDeleted: true });
  });
});

describe('RoomList.onChanged', () => {
  const room = (lastMessage: ReturnType<typeof previewOf>) => ({
    room: { roomId: 'general', kind: 'public' as const, name: 'general', topic: '', memberCount: 2, createdAt: lastMessage.createdAt, lastActivityAt: lastMessage.createdAt },
    membership: { role: 'member' as const, joinedAt: lastMessage.createdAt, lastReadMessageId: null, muted: false },
    unread: 0,
    mentions: 0,
    lastMessage,
  });

  it('a delete of the last message turns its preview into the placeholder (reported as a change), once', () => {
    const list = new RoomList('me');
    list.replace([room(previewOf(message()))]);
    expect(list.onChanged(message({ body: '', deletedAt: '2026-01-01T00:01:00.000Z', rev: 1 }))).toBe(true);
    expect(list.get('general')?.lastMessage).toMatchObject({ body: '', deleted: true });
    expect(list.onChanged(message({ body: '', deletedAt: '2026-01-01T00:01:00.000Z', rev: 1 }))).toBe(false);
    // A change to another message leaves the preview alone.
    expect(list.onChanged(message({ messageId: '01J0000000000000000000A000', body: '', deletedAt: 'x' }))).toBe(false);
  });
});
