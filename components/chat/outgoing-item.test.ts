/**
 * A reply that is still on its way shows its quote at once, from the original the tab holds (rendered to static
 * HTML with the real components): author and snippet, the current state of the original, nothing for a non-reply.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DELETED_TEXT } from '../../lib/chat/message-text';
import type { OutgoingMessage } from '../../lib/chat/outgoing';
import { mentionToken, type ChatMessage } from '../../lib/protocol';
import { MessageActionsContext, type MessageActions } from '../message/message-actions';
import { OutgoingItem } from './outgoing-item';

const original: ChatMessage = {
  roomId: 'general',
  messageId: '01J00000000000000000000001',
  authorId: 'ada',
  authorName: 'Ada Lovelace',
  body: `the engine ${mentionToken('bob')} runs`,
  createdAt: new Date().toISOString(),
};

function render(message: OutgoingMessage, held: readonly ChatMessage[]): string {
  const actions: MessageActions = {
    edit() {},
    remove() {},
    reply() {},
    react() {},
    jumpTo() {},
    held: (id) => held.find((m) => m.messageId === id),
  };
  const item = createElement(OutgoingItem, { message, authorName: 'Me', onRetry() {}, onDiscard() {}, nameOf: (id: string) => (id === 'bob' ? 'Bob' : undefined) });
  return renderToStaticMarkup(createElement(MessageActionsContext.Provider, { value: actions }, item));
}
/** The text of the (leaf) element with this test id; undefined when there is none. */
const text = (html: string, id: string) => new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];

describe('OutgoingItem', () => {
  const reply: OutgoingMessage = { clientMessageId: 'c1', body: 'me too', replyToMessageId: original.messageId };

  it('an unconfirmed reply quotes the held original at once: its author and snippet (names for mentions)', () => {
    const html = render(reply, [original]);
    expect(text(html, 'reply-quote-author')).toBe('Ada Lovelace');
    expect(text(html, 'reply-quote-snippet')).toBe('the engine @Bob runs');
    expect(html).toContain('aria-label="Reply to Ada Lovelace: the engine @Bob runs — go to the original message"');
    expect(text(html, 'outgoing-body')).toBe('me too');
  });

  it('follows the original as held now: a deleted one quotes the placeholder, never its old text', () => {
    const html = render(reply, [{ ...original, body: '', deletedAt: new Date().toISOString() }]);
    expect(text(html, 'reply-quote-snippet')).toBe(DELETED_TEXT);
    expect(html).not.toContain('engine');
  });

  it('no quote for a message that is not a reply; an original the tab does not hold gets a neutral quote', () => {
    const plain = render({ clientMessageId: 'c2', body: 'plain' }, [original]);
    expect(plain).not.toContain('reply-quote');
    expect(text(plain, 'outgoing-body')).toBe('plain');
    const html = render(reply, []);
    expect(text(html, 'reply-quote-author')).toBe('Someone');
    expect(text(html, 'reply-quote-snippet')).toBe('');
  });
});
