/**
 * Fuzz, two-sided, for edit/delete/react: random sequences of VALID-shaped actions by several people on a few
 * messages, through the real handler and dynalite, judged by an independent model of docs/messages.md (own
 * messages only, deleted stays deleted, reactions are sets). Every accepted action must give exactly the model's
 * state; every refused one the model's typed code, with nothing changed. Bad emoji must be refused, good ones taken.
 */
// The fixture goes first: it quiets the handlers' logger before any of them loads.
import { startTestStack, testUser, type TestSocket, type TestStack, type TestUser } from '../../local/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, Paths, type ChatMessage, type ServerFrame } from '../../../lib/protocol';
import { fromItem, type MessageItem } from '../../chat/message-items';
import { MESSAGES_TABLE } from '../../chat/tables';
import { GOOD_EMOJI, badEmoji, oddText } from '../../security/frame-arbitraries';
import { isSingleEmoji } from '../../security/frame-model';
import { fuzzOptions } from '../../security/fuzz-options';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** The model's view of one message. */
interface Model {
  readonly authorIndex: number;
  body: string;
  deleted: boolean;
  reactions: Map<string, Set<string>>;
}

type Op =
  | { kind: 'edit'; actor: number; target: number; body: string }
  | { kind: 'delete'; actor: number; target: number }
  | { kind: 'react'; actor: number; target: number; emoji: string; op: 'set' | 'unset' };

const PEOPLE = 4;
const MESSAGES = 4;

/** Visible text a body must have to be accepted (trimmed, non-empty, no lone surrogates): model of the body rules. */
const visibleBody = fc
  .tuple(oddText(8), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => /[\p{L}\p{N}\p{S}]/u.test(s) && s.isWellFormed()))
  .map(([noise, core]) => `${noise.isWellFormed() ? noise.replace(/[\p{Cc}\p{Cf}]/gu, '') : ''} ${core}`.trim())
  .filter((s) => s.length > 0 && s.isWellFormed() && !/^[\s\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]*$/u.test(s));

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('edit' as const), actor: fc.nat(PEOPLE - 1), target: fc.nat(MESSAGES - 1), body: visibleBody }),
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), actor: fc.nat(PEOPLE - 1), target: fc.nat(MESSAGES - 1) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('react' as const),
      actor: fc.nat(PEOPLE - 1),
      target: fc.nat(MESSAGES - 1),
      emoji: fc.constantFrom(...GOOD_EMOJI),
      op: fc.constantFrom('set' as const, 'unset' as const),
    }),
  },
);

/** The model's wire reactions: sorted by emoji, user ids sorted; absent when none. */
function reactionsOf(model: Model): ChatMessage['reactions'] {
  const list = [...model.reactions].filter(([, users]) => users.size).map(([emoji, users]) => ({ emoji, userIds: [...users].sort() }));
  list.sort((a, b) => (a.emoji < b.emoji ? -1 : a.emoji > b.emoji ? 1 : 0));
  return list.length ? list : undefined;
}

describe('message actions under fuzz', () => {
  it('matches the model for every random valid-shaped action sequence: exact states when accepted, typed codes when refused', async () => {
    const people: TestUser[] = Array.from({ length: PEOPLE }, (_, i) => testUser(`P${i}`));
    let round = 0;
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const roomId = `fz-${++round}`;
        // People rotate per round, so no one meets their own edit/reaction allowance in a run.
        const cast = people.map(() => testUser('P'));
        await stack.publicRoom(cast[0]!, roomId);
        for (const u of cast.slice(1)) await stack.as(u, Paths.membership(roomId), { method: 'PUT' });
        const sockets: TestSocket[] = [];
        for (const u of cast) sockets.push(await stack.connect(u, roomId));
        const messages: ChatMessage[] = [];
        const models: Model[] = [];
        for (let i = 0; i < MESSAGES; i++) {
          const author = i % PEOPLE;
          sockets[author]!.send({ action: 'sendMessage', roomId, body: `m${i}` });
          const ack = (await sockets[author]!.next((f) => f.type === 'ack')) as Extract<ServerFrame, { type: 'ack' }>;
          messages.push(ack.message);
          models.push({ authorIndex: author, body: `m${i}`, deleted: false, reactions: new Map() });
        }
        for (const o of ops) {
          const model = models[o.target]!;
          const { messageId } = messages[o.target]!;
          const socket = sockets[o.actor]!;
          const me = cast[o.actor]!.sub;
          const requestId = `rq-${round}-${accepted + refused}`.padEnd(8, '0');
          // What the model says must happen.
          let code: string | undefined;
          if (o.kind === 'edit' || o.kind === 'delete') {
            if (model.authorIndex !== o.actor) code = ErrorCode.Forbidden;
            else if (o.kind === 'edit' && model.deleted) code = ErrorCode.MessageDeleted;
          } else if (model.deleted) code = ErrorCode.MessageDeleted;
          if (o.kind === 'edit') socket.send({ action: 'editMessage', roomId, messageId, body: o.body, requestId });
          if (o.kind === 'delete') socket.send({ action: 'deleteMessage', roomId, messageId, requestId });
          if (o.kind === 'react') socket.send({ action: 'react', roomId, messageId, emoji: o.emoji, op: o.op, requestId });
          const reply = await socket.next((f) => (f.type === 'messageChanged' || f.type === 'error') && f.requestId === requestId);
          if (code) {
            refused++;
            expect(reply).toMatchObject({ type: 'error', code, messageId });
            continue;
          }
          if (reply.type !== 'messageChanged') throw new Error(`model expected success, got ${JSON.stringify(reply)}`);
          accepted++;
          if (o.kind === 'edit') model.body = o.body.trim();
          if (o.kind === 'delete') {
            model.deleted = true;
            model.body = '';
            model.reactions.clear();
          }
          if (o.kind === 'react') {
            const users = model.reactions.get(o.emoji) ?? new Set<string>();
            if (o.op === 'set') users.add(me);
            else users.delete(me);
            model.reactions.set(o.emoji, users);
          }
          expect(reply.message.body).toBe(model.body);
          expect(!!reply.message.deletedAt).toBe(model.deleted);
          expect(reply.message.reactions).toEqual(reactionsOf(model));
        }
        // The table agrees with the model, message by message.
        const rows = (await stack.scan(MESSAGES_TABLE.envVar)).filter((r) => r.roomId === roomId).map((r) => fromItem(r as MessageItem));
        for (let i = 0; i < MESSAGES; i++) {
          const row = rows.find((r) => r.messageId === messages[i]!.messageId)!;
          expect({ body: row.body, deleted: !!row.deletedAt, reactions: row.reactions }).toEqual({
            body: models[i]!.body,
            deleted: models[i]!.deleted,
            reactions: reactionsOf(models[i]!),
          });
        }
        await Promise.all(sockets.map((s) => s.close()));
      }),
      fuzzOptions(25),
    );
    console.log(`[fuzz] message actions (model-checked): ${round} rooms, ${accepted} accepted, ${refused} refused`);
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  }, 240_000);

  it('refuses every non-emoji reaction with BAD_EMOJI and takes every single emoji, judged by Unicode RGI', async () => {
    const ada = testUser('Ada');
    await stack.publicRoom(ada, 'fz-emoji');
    const socket = await stack.connect(ada, 'fz-emoji');
    socket.send({ action: 'sendMessage', roomId: 'fz-emoji', body: 'react here' });
    const { message } = (await socket.next((f) => f.type === 'ack')) as Extract<ServerFrame, { type: 'ack' }>;
    let n = 0;
    let good = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(badEmoji, fc.constantFrom(...GOOD_EMOJI)), async (emoji) => {
        const requestId = `emoji-${String(++n).padStart(6, '0')}`;
        // Unset, so a good emoji leaves nothing behind and reactions never reach a limit.
        socket.send({ action: 'react', roomId: 'fz-emoji', messageId: message.messageId, emoji, op: 'unset', requestId });
        const reply = await socket.next((f) => (f.type === 'messageChanged' || f.type === 'error') && f.requestId === requestId);
        if (typeof emoji === 'string' && isSingleEmoji(emoji)) {
          good++;
          expect(reply.type).toBe('messageChanged');
        } else {
          expect(reply).toMatchObject({ type: 'error', code: typeof emoji === 'string' && [...emoji].length <= 64 ? ErrorCode.BadEmoji : ErrorCode.BadFrame });
        }
      }),
      // The reaction allowance is 60 a minute per person: stay under it.
      fuzzOptions(55),
    );
    expect(good).toBeGreaterThan(0);
    const row = (await stack.scan(MESSAGES_TABLE.envVar)).find((r) => r.messageId === message.messageId) as MessageItem;
    expect(fromItem(row)).toEqual(message);
  }, 120_000);
});
