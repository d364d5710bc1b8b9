import { describe, expect, it } from 'vitest';
import { typingText } from '../chat/chat-room';
import { slugify } from './create-dialog';
import { filterItems } from './quick-switcher';

describe('room UI helpers', () => {
  it('the quick switcher filters by name or id, names starting with the query first', () => {
    const items = [
      { roomId: 'design', name: 'design' },
      { roomId: 'p_01j00000000000000000000000', name: 'Web redesign' },
      { roomId: 'dm_a_b', name: 'Ada Lovelace' },
    ];
    expect(filterItems(items, 'des').map((i) => i.name)).toEqual(['design', 'Web redesign']);
    expect(filterItems(items, '#DESIGN').map((i) => i.roomId)).toEqual(['design', 'p_01j00000000000000000000000']);
    expect(filterItems(items, 'ada').map((i) => i.roomId)).toEqual(['dm_a_b']);
    expect(filterItems(items, '  ')).toHaveLength(3);
    expect(filterItems(items, 'zzz')).toEqual([]);
  });

  it('a typed public name becomes its address', () => {
    expect(slugify('  Team Chat!  ')).toBe('team-chat');
    expect(slugify('Ünïcode & Café')).toBe('unicode-cafe');
    expect(slugify('日本語')).toBe('');
    expect(slugify('---')).toBe('');
    expect(slugify('a'.repeat(39) + ' b')).toBe('a'.repeat(39));
  });

  it('typing notices name one or two people, then "several"', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['Ada'])).toBe('Ada is typing…');
    expect(typingText(['Ada', 'Bo'])).toBe('Ada and Bo are typing…');
    expect(typingText(['Ada', 'Bo', 'Cy'])).toBe('Several people are typing…');
  });
});
