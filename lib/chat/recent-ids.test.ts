import { describe, expect, it } from 'vitest';
import { RecentIds } from './recent-ids';

describe('RecentIds', () => {
  it('says whether an id is new, and forgets the oldest once over capacity', () => {
    const ids = new RecentIds(3);
    expect(['a', 'b', 'a', 'c'].map((id) => ids.add(id))).toEqual([true, true, false, true]);
    expect(ids.add('d')).toBe(true); // 'a' is forgotten now (capacity 3: b, c, d)
    expect(ids.add('b')).toBe(false);
    expect(ids.add('a')).toBe(true);
    expect(ids.add('c')).toBe(false); // re-adding 'a' pushed out 'b', the oldest; 'c' stays
    expect(ids.add('b')).toBe(true);
  });

  it('keeps 10,000 ids by default', () => {
    const ids = new RecentIds();
    for (let i = 0; i < 10_000; i++) ids.add(`m${i}`);
    expect(ids.add('m0')).toBe(false);
    expect(ids.add('m10000')).toBe(true);
    expect(ids.add('m0')).toBe(true);
  });
});
