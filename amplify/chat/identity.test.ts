import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../lib/protocol';
import { ANONYMOUS_NAME, displayNameFrom, userFromClaims } from './identity';

const id = (claims: Record<string, unknown>) => ({ sub: 'user-1', token_use: 'id', ...claims });

describe('userFromClaims', () => {
  it('takes the user from an ID token: sub and preferred_username', () => {
    expect(userFromClaims(id({ preferred_username: ' Alice ' }))).toEqual({ userId: 'user-1', displayName: 'Alice' });
  });
  it('refuses access tokens and tokens without a subject', () => {
    expect(userFromClaims({ sub: 'user-1', token_use: 'access', preferred_username: 'A' })).toBeUndefined();
    expect(userFromClaims({ token_use: 'id', preferred_username: 'A' })).toBeUndefined();
    expect(userFromClaims(id({ sub: '' }))).toBeUndefined();
    expect(userFromClaims(id({ sub: 42 }))).toBeUndefined();
    expect(userFromClaims(undefined)).toBeUndefined();
  });
  it('never shows the email address as a name', () => {
    expect(userFromClaims(id({ email: 'alice@example.com' }))?.displayName).toBe(ANONYMOUS_NAME);
  });
});

describe('displayNameFrom', () => {
  it('caps names at the display-name limit, counting code points', () => {
    expect(displayNameFrom('🙂'.repeat(LIMITS.displayNameMaxChars + 10))).toBe('🙂'.repeat(LIMITS.displayNameMaxChars));
    // Leading blanks do not count toward the cap; a cut that ends in a blank leaves none behind.
    const full = 'x'.repeat(LIMITS.displayNameMaxChars);
    expect(displayNameFrom(`     ${full}`)).toBe(full);
    expect(displayNameFrom(`${'x'.repeat(LIMITS.displayNameMaxChars - 1)} yz`)).toBe('x'.repeat(LIMITS.displayNameMaxChars - 1));
  });
  it('removes control, zero-width and bidi-override characters', () => {
    expect(displayNameFrom('Bo\u0000b\u200B\u202E')).toBe('Bob');
  });
  it('falls back when nothing visible is left or the text is not well-formed', () => {
    expect(displayNameFrom('\u200B\u200D ')).toBe(ANONYMOUS_NAME);
    expect(displayNameFrom('x\ud800')).toBe(ANONYMOUS_NAME);
    expect(displayNameFrom(42)).toBe(ANONYMOUS_NAME);
  });
  it('keeps markup as plain text (rendering escapes it)', () => {
    expect(displayNameFrom('<img src=x>')).toBe('<img src=x>');
  });
});
