import { describe, expect, it } from 'vitest';
import { LIMITS } from '../protocol';
import { bodyAsText, mentionQuery, splitMentions, withMentionLabels, withMentionTokens } from './mentions';

describe('mentions', () => {
  it('split a body into text and user-id tokens; anything else stays text', () => {
    expect(splitMentions('hi <@u-1>, see <@u-2>!')).toEqual([{ text: 'hi ' }, { userId: 'u-1' }, { text: ', see ' }, { userId: 'u-2' }, { text: '!' }]);
    expect(splitMentions('<b>not a token</b> <@bad id>')).toEqual([{ text: '<b>not a token</b> <@bad id>' }]);
    expect(splitMentions('')).toEqual([]);
  });

  it('read as names in plain text, an unknown id as "someone"', () => {
    expect(bodyAsText('ping <@u-1> and <@u-9>', (id) => (id === 'u-1' ? 'Ada' : undefined))).toBe('ping @Ada and @someone');
  });

  it('swap chosen labels for tokens, longest first, and leave hand-typed names alone', () => {
    const chosen = new Map([
      ['Ada', 'u-1'],
      ['Ada Lovelace', 'u-2'],
    ]);
    expect(withMentionTokens('@Ada Lovelace and @Ada, not @Bob', chosen)).toBe('<@u-2> and <@u-1>, not @Bob');
  });

  it('find the query being typed after @ (start of text or after a space, one line)', () => {
    expect(mentionQuery('hi @Ad', 6)).toEqual({ start: 3, query: 'Ad' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('mail a@b', 8)).toBeUndefined();
    expect(mentionQuery('@Ada\nnext', 9)).toBeUndefined();
    expect(mentionQuery('no at', 5)).toBeUndefined();
  });

  it('round-trip a sent body through the editor: labels for known names, tokens kept for unknown ones', () => {
    const body = 'hi <@u-1> and <@u-9>';
    const { text, chosen } = withMentionLabels(body, (id) => (id === 'u-1' ? 'Ada Lovelace' : undefined));
    expect(text).toBe('hi @Ada Lovelace and <@u-9>');
    expect(withMentionTokens(text, chosen)).toBe(body);
  });

  it('adjacent mentions give no empty text parts; the query reads only up to the caret and is one name long', () => {
    expect(splitMentions('<@u1><@u2>')).toEqual([{ userId: 'u1' }, { userId: 'u2' }]);
    expect(mentionQuery('hi @ad more', 6)).toEqual({ start: 3, query: 'ad' });
    const longest = 'x'.repeat(LIMITS.displayNameMaxChars);
    expect(mentionQuery(`@${longest}`, longest.length + 1)).toEqual({ start: 0, query: longest });
    expect(mentionQuery(`@${longest}x`, longest.length + 2)).toBeUndefined();
    expect(mentionQuery('@ad\nx', 5)).toBeUndefined();
  });
});
