import { describe, expect, it } from 'vitest';
import { roomFromHash } from './use-room-id';

describe('roomFromHash', () => {
  it('reads a valid room from the hash', () => {
    expect(roomFromHash('#team-42')).toBe('team-42');
    expect(roomFromHash('#Random')).toBe('random');
  });
  it('reads private room and DM ids (a DM id keeps its user ids as they are)', () => {
    expect(roomFromHash('#p_01j00000000000000000000000')).toBe('p_01j00000000000000000000000');
    expect(roomFromHash('#dm_A-1_b-2')).toBe('dm_A-1_b-2');
    expect(roomFromHash('#dm_b_a')).toBe('general'); // not in sorted order: not a DM id
  });
  it('falls back to the default room for empty or invalid hashes', () => {
    expect(roomFromHash('')).toBe('general');
    expect(roomFromHash('#')).toBe('general');
    expect(roomFromHash('#not a room')).toBe('general');
    expect(roomFromHash('#-bad')).toBe('general');
    expect(roomFromHash(`#${'x'.repeat(41)}`)).toBe('general');
  });
  it('falls back to the default room for a malformed percent-encoding instead of throwing', () => {
    expect(roomFromHash('#%')).toBe('general');
    expect(roomFromHash('#team%E0%A4%A')).toBe('general');
    expect(roomFromHash('#team%2D42')).toBe('team-42');
  });
});
