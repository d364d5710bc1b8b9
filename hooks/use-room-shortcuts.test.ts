import { describe, expect, it } from 'vitest';
import { neighbourRoom } from './use-room-shortcuts';

describe('neighbourRoom (Alt+↑/↓)', () => {
  const order = ['general', 'design', 'dm-a'];
  it('moves through the sidebar order and wraps around', () => {
    expect(neighbourRoom(order, 'general', 1)).toBe('design');
    expect(neighbourRoom(order, 'dm-a', 1)).toBe('general');
    expect(neighbourRoom(order, 'general', -1)).toBe('dm-a');
  });
  it('starts at an end from a room not in the list, and goes nowhere with one room or none', () => {
    expect(neighbourRoom(order, 'elsewhere', 1)).toBe('general');
    expect(neighbourRoom(order, 'elsewhere', -1)).toBe('dm-a');
    expect(neighbourRoom(['general'], 'general', 1)).toBeUndefined();
    expect(neighbourRoom([], 'general', 1)).toBeUndefined();
  });
});
