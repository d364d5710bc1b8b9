/** The user the $connect authorizer attached: both fields or nobody (never a half-identified socket). */
import { describe, expect, it } from 'vitest';
import { userFromAuthorizer, type WebSocketEvent } from './websocket';

const event = (authorizer?: Record<string, unknown>) => ({ requestContext: { authorizer } }) as unknown as WebSocketEvent;

describe('userFromAuthorizer', () => {
  it('is the authorizer’s user id and display name', () => {
    expect(userFromAuthorizer(event({ userId: 'u1', displayName: 'Ada', extra: 'x' }))).toEqual({ userId: 'u1', displayName: 'Ada' });
  });

  it('is nobody without an authorizer context or with either field missing or empty', () => {
    expect(userFromAuthorizer(event(undefined))).toBeUndefined();
    expect(userFromAuthorizer(event({ userId: 'u1' }))).toBeUndefined();
    expect(userFromAuthorizer(event({ displayName: 'Ada' }))).toBeUndefined();
    expect(userFromAuthorizer(event({ userId: '', displayName: 'Ada' }))).toBeUndefined();
    expect(userFromAuthorizer(event({ userId: 'u1', displayName: '' }))).toBeUndefined();
  });
});
