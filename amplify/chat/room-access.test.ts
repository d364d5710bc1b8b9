/** The two refusals of room access, in the words users see (the handler tests cover who gets which). */
import { describe, expect, it } from 'vitest';
import { ChatError } from '../../lib/chat-error';
import { ErrorCode } from '../../lib/protocol';
import { notMember, roomNotFound } from './room-access';

describe('room access refusals', () => {
  it('a missing room and a room that is not yours read the same: NOT_FOUND, with what to do', () => {
    expect(roomNotFound()).toBeInstanceOf(ChatError);
    expect(roomNotFound()).toMatchObject({ code: ErrorCode.NotFound, message: 'No such room: check the name, or ask one of its members to add you' });
  });
  it('a public room not joined yet: NOT_MEMBER, join first', () => {
    expect(notMember()).toMatchObject({ code: ErrorCode.NotMember, message: 'Join this room first' });
  });
});
