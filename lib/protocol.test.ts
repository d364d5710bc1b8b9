/** Room id rules, DM ids, mentions and unread formatting: each rule checked from both sides (accepted exactly, refused otherwise). */
import { describe, expect, it } from 'vitest';
import { LIMITS, dmMembers, dmRoomId, formatUnread, mentionToken, mentionsIn, roomIdSchema, roomKindOf, roomNameSchema, topicSchema } from './protocol';

const A = '0b6f3c1e-1111-4a4a-8c8c-000000000001';
const B = '7d2e9a40-2222-4b4b-9d9d-000000000002';

describe('room ids', () => {
  it.each([
    ['general', 'public'],
    ['a', 'public'],
    ['team-news-2', 'public'],
    ['x'.repeat(40), 'public'],
    ['p_01hzq3w8m5k7v2n4b6c8d0f2g4', 'private'],
    [`dm_${A}_${B}`, 'dm'],
  ])('accepts %s as a %s room', (id, kind) => {
    expect(roomIdSchema.safeParse(id).success).toBe(true);
    expect(roomKindOf(id)).toBe(kind);
  });

  it.each([
    '',
    'x'.repeat(41),
    'General',
    '-general',
    'general-',
    'gen eral',
    'p_short',
    'p_01HZQ3W8M5K7V2N4B6C8D0F2G4',
    'p_01hzq3w8m5k7v2n4b6c8d0f2g4x',
    `dm_${B}_${A}`,
    `dm_${A}_${A}`,
    `dm_${A}`,
    `dm_${A}_${B}_x`,
    'dm_a_b c',
  ])('refuses %j', (id) => {
    expect(roomIdSchema.safeParse(id).success).toBe(false);
    expect(roomKindOf(id)).toBeUndefined();
  });

  it('derives exactly one DM id per pair, whatever the order, and splits it back', () => {
    const id = dmRoomId(B, A);
    expect(id).toBe(dmRoomId(A, B));
    expect(id).toBe(`dm_${A}_${B}`);
    expect(dmMembers(id)).toEqual([A, B]);
    expect(dmMembers('general')).toBeUndefined();
    expect(() => dmRoomId(A, A)).toThrow();
    expect(() => dmRoomId(A, 'has_underscore')).toThrow();
  });
});

describe('room names and topics', () => {
  it('trims names and accepts 1-40 visible characters, refusing empty, longer, control and invisible ones', () => {
    expect(roomNameSchema.parse('  Plans 🚀  ')).toBe('Plans 🚀');
    expect(roomNameSchema.safeParse('é'.repeat(LIMITS.roomNameMaxChars)).success).toBe(true);
    for (const bad of ['', '   ', 'é'.repeat(LIMITS.roomNameMaxChars + 1), 'a\nb', 'a\u202Eb', 'a\u200Bb', '\uD800']) {
      expect(roomNameSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('accepts an empty topic and up to the limit, refusing longer or multi-line ones', () => {
    expect(topicSchema.parse('')).toBe('');
    expect(topicSchema.safeParse('t'.repeat(LIMITS.topicMaxChars)).success).toBe(true);
    expect(topicSchema.safeParse('t'.repeat(LIMITS.topicMaxChars + 1)).success).toBe(false);
    expect(topicSchema.safeParse('line\nbreak').success).toBe(false);
  });
});

describe('mentions', () => {
  it('finds distinct user-id tokens in order, ignoring look-alikes', () => {
    const body = `hi ${mentionToken(A)} and ${mentionToken(B)}, again ${mentionToken(A)}; not <@> or <@bad id> or @${A}`;
    expect(mentionsIn(body)).toEqual([A, B]);
    expect(mentionsIn('no mentions')).toEqual([]);
  });

  it(`keeps at most ${LIMITS.mentionsMaxPerMessage} mentions`, () => {
    const body = Array.from({ length: LIMITS.mentionsMaxPerMessage + 5 }, (_, i) => mentionToken(`user-${i}`)).join(' ');
    expect(mentionsIn(body)).toHaveLength(LIMITS.mentionsMaxPerMessage);
  });
});

describe('formatUnread', () => {
  it('is exact up to 99, then "99+"', () => {
    expect(formatUnread(0)).toBe('0');
    expect(formatUnread(99)).toBe('99');
    expect(formatUnread(100)).toBe('99+');
  });
});
