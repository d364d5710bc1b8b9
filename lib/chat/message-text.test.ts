import { describe, expect, it } from 'vitest';
import { cut, DELETED_TEXT, messageText, plainText } from './message-text';

const names = (id: string) => (id === 'u1' ? 'Ada' : undefined);

describe('message text', () => {
  it('names mentions and collapses whitespace', () => {
    expect(plainText('hi <@u1>\n\n  **there** <@u2>', names)).toBe('hi @Ada **there** @someone');
    expect(plainText('\n  padded  \n', names)).toBe('padded'); // no leading or trailing space
  });
  it('reads a deleted message as the placeholder, whatever its body', () => {
    expect(messageText({ body: '', deletedAt: '2026-01-01T00:00:00Z' }, names)).toBe(DELETED_TEXT);
    expect(messageText({ body: 'x' }, names)).toBe('x');
  });
  it('cuts by code points, never inside a surrogate pair', () => {
    expect(cut('😀'.repeat(10), 5)).toBe('😀😀😀😀…');
    expect(cut('short', 5)).toBe('short');
  });
});
