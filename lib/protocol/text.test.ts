import { beforeEach, describe, expect, it, vi } from 'vitest';

// The patterns are built once, on the first check, and kept: a fresh module per test builds them from the code as
// it is now (mutation testing swaps code in between tests within one module instance).
let text: typeof import('./text');
let isOneEmoji: typeof import('./text').isOneEmoji;
beforeEach(async () => {
  vi.resetModules();
  text = await import('./text');
  ({ isOneEmoji } = text);
});

describe('isOneEmoji (the reaction rule)', () => {
  it('accepts exactly one emoji of every structural kind', () => {
    for (const emoji of [
      '😀', // pictographic
      '❤️', // with a variation selector
      '👍🏽', // with a skin-tone modifier
      '👩‍💻', // ZWJ sequence
      '🇫🇷', // flag: two regional indicators
      '1️⃣', // keycap with FE0F
      '1⃣', // keycap without FE0F (still one grapheme)
      '#️⃣',
      '🏴󠁧󠁢󠁳󠁣󠁴󠁿', // tag sequence (Scotland)
    ]) {
      expect(isOneEmoji(emoji), JSON.stringify(emoji)).toBe(true);
    }
  });

  it('refuses text, two emoji, half an emoji, and anything around one', () => {
    for (const text of [
      '',
      'a',
      '1',
      ':)',
      '😀😀', // two graphemes
      '🇦', // one regional indicator is not a flag
      '#\uFE0F', // a keycap base without the keycap
      '\uFE0F', // a lone variation selector
      '\u{1F3FD}', // a lone skin tone modifier is not an emoji on its own
      '😀\u0301', // one grapheme, but a combining accent is no emoji character
      '\u0600😀', // one grapheme (a prepended Arabic sign), not only emoji characters
      '😀 ', // trailing space
      '\uD83D', // a lone surrogate
      '\uD83D\u200D', // a lone surrogate joined
    ]) {
      expect(isOneEmoji(text), JSON.stringify(text)).toBe(false);
    }
  });
});

describe('visible text, empty-looking bodies and mentions', () => {
  it('isVisibleText: plain Unicode passes; controls, invisible and reordering characters anywhere fail', () => {
    for (const ok of ['general', 'Café ☕', '日本語', 'a b', '😀']) expect(text.isVisibleText(ok), ok).toBe(true);
    for (const bad of ['a\u0000', '\u0007b', 'x\u200By', '\u202Eevil', 'a\u2060', '\uFEFFa', 'tab\there', '\uD800']) {
      expect(text.isVisibleText(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('looksEmpty: only whitespace and invisible characters, however many, count as empty', () => {
    for (const empty of ['', ' ', '  \n\t ', '\u200B', '\u200B\u200D\uFEFF', '\u00AD \u2060']) {
      expect(text.looksEmpty(empty), JSON.stringify(empty)).toBe(true);
    }
    for (const shown of ['a', ' a ', '\u200Ba', 'a\u200B', '.', '\u200B.\u200B']) expect(text.looksEmpty(shown), JSON.stringify(shown)).toBe(false);
  });

  it('codePoints counts characters, not UTF-16 units', () => {
    expect(text.codePoints('')).toBe(0);
    expect(text.codePoints('abc')).toBe(3);
    expect(text.codePoints('😀😀')).toBe(2);
  });

  it('mentionsIn: distinct ids of well-formed tokens, in order, 1 to 64 id characters', () => {
    const long = 'a'.repeat(64);
    expect(text.mentionsIn(`hi <@u-1> and <@U2> and <@u-1> again <@${long}>`)).toEqual(['u-1', 'U2', long]);
    expect(text.mentionsIn(`<@${long}b> <@> <@a b> <@a_b> <@é> <u-1> @u-1`)).toEqual([]);
    expect(text.mentionsIn('<@x>')).toEqual(['x']);
    expect(text.mentionToken('u-9')).toBe('<@u-9>');
  });
});
