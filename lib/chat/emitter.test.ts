import { describe, expect, it, vi } from 'vitest';
import { Emitter } from './emitter';

describe('Emitter', () => {
  it('calls every listener of the event with the payload, and only until unsubscribed', () => {
    const events = new Emitter<{ a: number; b: string }>();
    const a1: number[] = [];
    const a2: number[] = [];
    const b: string[] = [];
    const off = events.on('a', (n) => a1.push(n));
    events.on('a', (n) => a2.push(n));
    events.on('b', (s) => b.push(s));
    events.emit('a', 1);
    off();
    events.emit('a', 2);
    events.emit('b', 'x');
    expect([a1, a2, b]).toEqual([[1], [1, 2], ['x']]);
    expect(() => events.emit('a' as 'a', 3)).not.toThrow();
  });

  it('a throwing listener neither breaks the emitter nor starves the others; its error is rethrown later', async () => {
    const events = new Emitter<{ a: number }>();
    const heard: number[] = [];
    const boom = new Error('listener bug');
    events.on('a', () => {
      throw boom;
    });
    events.on('a', (n) => heard.push(n));
    const rethrown = new Promise((resolve) => {
      const original = globalThis.queueMicrotask;
      const spy = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((task) => {
        spy.mockRestore();
        original(() => {
          try {
            task();
          } catch (error) {
            resolve(error);
          }
        });
      });
    });
    expect(() => events.emit('a', 7)).not.toThrow();
    expect(heard).toEqual([7]);
    expect(await rethrown).toBe(boom);
  });

  it('emitting an event nobody listens to does nothing', () => {
    expect(() => new Emitter<{ a: number }>().emit('a', 1)).not.toThrow();
  });
});
