import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../protocol';
import { MessageLog } from './message-log';

const m = (messageId: string, body = messageId): ChatMessage => ({
  roomId: 'general',
  messageId,
  authorId: 'u',
  authorName: 'Ada',
  body,
  createdAt: '2024-01-01T00:00:00.000Z',
});
const ids = (log: MessageLog) => log.list().map((x) => x.messageId);

describe('MessageLog', () => {
  it('orders a newest-first history page oldest first', () => {
    const log = new MessageLog();
    expect(log.add([m('01C'), m('01B'), m('01A')])).toBe(3);
    expect(ids(log)).toEqual(['01A', '01B', '01C']);
    expect(log.newest()?.messageId).toBe('01C');
  });

  it('drops duplicates between history, acks and broadcasts (the first copy wins)', () => {
    const log = new MessageLog();
    log.add([m('01A'), m('01B')]);
    expect(log.add([m('01B', 'again'), m('01C'), m('01C')])).toBe(1);
    expect(log.list().map((x) => [x.messageId, x.body])).toEqual([
      ['01A', '01A'],
      ['01B', '01B'],
      ['01C', '01C'],
    ]);
  });

  it('places an older page before live messages and a late broadcast in its place', () => {
    const log = new MessageLog();
    log.add([m('01M'), m('01N')]);
    log.add([m('01B'), m('01A')]);
    log.add([m('01C')]);
    expect(ids(log)).toEqual(['01A', '01B', '01C', '01M', '01N']);
    expect(log.has('01C')).toBe(true);
    expect(log.has('01D')).toBe(false);
  });

  it('returns the same array until something is new (React can skip the render)', () => {
    const log = new MessageLog();
    log.add([m('01A')]);
    const first = log.list();
    log.add([m('01A')]);
    expect(log.list()).toBe(first);
    log.add([m('01B')]);
    expect(log.list()).not.toBe(first);
  });

  it('reset replaces everything', () => {
    const log = new MessageLog();
    log.add([m('01A'), m('01B')]);
    log.reset([m('01Z'), m('01Y')]);
    expect(ids(log)).toEqual(['01Y', '01Z']);
    expect(log.has('01A')).toBe(false);
  });
});

describe('MessageLog against a plain model (sort + dedupe)', () => {
  it('any batches in any order end up unique, sorted by id, first copy kept, with exact "added" counts', () => {
    const entry = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom('a', 'b'));
    fc.assert(
      fc.property(fc.array(fc.array(entry, { maxLength: 12 }), { maxLength: 8 }), (batches) => {
        const log = new MessageLog();
        const model = new Map<string, string>();
        for (const batch of batches) {
          const messages = batch.map(([n, body]) => ({ roomId: 'r', messageId: `id-${String(n).padStart(3, '0')}`, authorId: 'u', authorName: 'A', body, createdAt: '' }));
          const before = model.size;
          for (const m of messages) if (!model.has(m.messageId)) model.set(m.messageId, m.body);
          expect(log.add(messages)).toBe(model.size - before);
        }
        const ids = [...model.keys()].sort();
        expect(log.list().map((m) => m.messageId)).toEqual(ids);
        expect(log.list().map((m) => m.body)).toEqual(ids.map((id) => model.get(id)));
        expect(log.size).toBe(ids.length);
        expect(log.newest()?.messageId).toBe(ids.at(-1));
        for (const id of ids) expect(log.has(id)).toBe(true);
        expect(log.has('id-999')).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('a newer revision replaces the held copy in place (first, middle or newest); an equal or older one is ignored', () => {
    for (const target of ['a', 'c', 'e']) {
      const log = new MessageLog();
      log.add(['a', 'b', 'c', 'd', 'e'].map((id) => m(id)));
      const before = log.list();
      expect(log.update({ ...m(target, 'edited'), rev: 1 })).toBe(true);
      expect(log.list()).not.toBe(before); // a new array: React re-renders
      expect(ids(log)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(log.list().map((x) => x.body)).toEqual(['a', 'b', 'c', 'd', 'e'].map((id) => (id === target ? 'edited' : id)));
      expect(log.get(target)?.body).toBe('edited');
      const after = log.list();
      expect(log.update({ ...m(target, 'same rev'), rev: 1 })).toBe(false);
      expect(log.update(m(target, 'no rev'))).toBe(false);
      expect(log.list()).toBe(after);
      expect(log.get(target)?.body).toBe('edited');
    }
    const log = new MessageLog();
    expect(log.update({ ...m('x'), rev: 5 })).toBe(false); // not held: not added either
    expect(log.size).toBe(0);
  });

  it('add takes a newer revision of a held message (and counts it as not new)', () => {
    const log = new MessageLog();
    log.add([m('a'), m('b')]);
    expect(log.add([{ ...m('a', 'edited'), rev: 2 }, m('c')])).toBe(1);
    expect(log.list().map((x) => x.body)).toEqual(['edited', 'b', 'c']);
  });

  it('get, oldest and newest', () => {
    const log = new MessageLog();
    expect([log.oldest(), log.newest(), log.get('a')]).toEqual([undefined, undefined, undefined]);
    log.add([m('b'), m('c'), m('a')]);
    expect([log.oldest()?.messageId, log.newest()?.messageId, log.get('b')?.messageId, log.get('z')]).toEqual(['a', 'c', 'b', undefined]);
  });
});
