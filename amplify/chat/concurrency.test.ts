/** mapLimited: results in input order, never more than `limit` calls in flight, every item exactly once. */
import { describe, expect, it } from 'vitest';
import { mapLimited } from './concurrency';

/** A call that resolves after the given number of microtask turns, tracking how many run at once. */
function tracked() {
  let running = 0;
  let most = 0;
  const calls: number[] = [];
  const fn = async (n: number) => {
    calls.push(n);
    most = Math.max(most, ++running);
    for (let i = 0; i < (n % 3) + 1; i++) await Promise.resolve();
    running--;
    return n * 10;
  };
  return { fn, calls, most: () => most };
}

describe('mapLimited', () => {
  it('keeps the input order and runs at most `limit` at once, each item once', async () => {
    const t = tracked();
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(await mapLimited(items, 4, t.fn)).toEqual(items.map((n) => n * 10));
    expect(t.most()).toBe(4);
    expect([...t.calls].sort((a, b) => a - b)).toEqual(items);
  });

  it('runs them all at once when the limit is above the count, and one by one at limit 1', async () => {
    const wide = tracked();
    expect(await mapLimited([1, 2, 3], 16, wide.fn)).toEqual([10, 20, 30]);
    expect(wide.most()).toBe(3);
    const narrow = tracked();
    expect(await mapLimited([5, 4, 3, 2, 1], 1, narrow.fn)).toEqual([50, 40, 30, 20, 10]);
    expect(narrow.most()).toBe(1);
    expect(narrow.calls).toEqual([5, 4, 3, 2, 1]);
  });

  it('returns nothing for nothing, and passes on a failure', async () => {
    expect(await mapLimited([], 4, async () => 1)).toEqual([]);
    await expect(mapLimited([1, 2], 2, async (n) => (n === 2 ? Promise.reject(new Error('boom')) : n))).rejects.toThrow('boom');
  });
});
