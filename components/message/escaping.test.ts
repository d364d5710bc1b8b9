/**
 * User text renders as escaped text in every place the messages work added: rich-text bodies (before and after the
 * parser loads), link attributes, reply quotes, reaction chips and their "who reacted" tooltips, typing names and
 * the composer's reply bar. Rendered to static HTML with the real components.
 */
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { loadRichText } from '../../hooks/use-rich-text';
import type { ChatMessage } from '../../lib/protocol';
import { Composer } from '../chat/composer';
import { TypingIndicator } from '../chat/typing-indicator';
import { MessageActionsContext, type MessageActions } from './message-actions';
import { MessageRow } from './message-row';

const EVIL = '<img src=x onerror="alert(1)">';
const ESCAPED = '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;';
const noRawMarkup = (html: string) => {
  expect(html).not.toContain('<img');
  expect(html).not.toMatch(/<script/i);
  // No event-handler attribute in any real tag (escaped text inside attribute values is harmless: blank those),
  // and no script URL as an attribute value.
  expect(html.replace(/="[^"]*"/g, '=""')).not.toMatch(/<[a-z][^>]*\son\w+=/i);
  expect(html).not.toMatch(/=["']?\s*javascript:/i);
};

const names: Record<string, string> = { 'friend-1': `Friend ${EVIL}`, 'fan-1': `Fan ${EVIL}` };
const nameOf = (id: string) => names[id];

const original: ChatMessage = {
  roomId: 'general',
  messageId: '01J00000000000000000000001',
  authorId: 'author-1',
  authorName: `Mallory ${EVIL}`,
  body: `quoted ${EVIL}`,
  createdAt: new Date().toISOString(),
};

const message: ChatMessage = {
  roomId: 'general',
  messageId: '01J00000000000000000000002',
  authorId: 'author-2',
  authorName: `Eve ${EVIL}`,
  body: `**bold ${EVIL}** _it_ <@friend-1> [x](javascript:alert(1)) https://ok.test/?q="><script>alert(1)</script> \`${EVIL}\`\n\n\`\`\`\n${EVIL}\n\`\`\`\n\n> ${EVIL}\n\n- ${EVIL}`,
  createdAt: new Date().toISOString(),
  editedAt: new Date().toISOString(),
  mentions: ['friend-1'],
  reactions: [{ emoji: '👍', userIds: ['fan-1', 'me'] }],
  replyTo: { messageId: original.messageId, authorId: original.authorId, authorName: original.authorName, snippet: `snippet ${EVIL}` },
};

const actions = (held?: ChatMessage): MessageActions => ({
  edit: () => {},
  remove: () => {},
  reply: () => {},
  react: () => {},
  jumpTo: () => {},
  held: () => held,
});

const row = (m: ChatMessage, held?: ChatMessage): ReactElement =>
  createElement(MessageActionsContext.Provider, { value: actions(held) }, createElement(MessageRow, { message: m, own: false, selfId: 'me', nameOf }));

describe('user text is escaped in the messages UI', () => {
  it('message bodies before the rich-text parser has loaded', () => {
    const html = renderToStaticMarkup(row(message));
    noRawMarkup(html);
    expect(html).toContain(ESCAPED);
    expect(html).toContain('@Friend &lt;img');
  });

  it('rich-text bodies: every construct, links only http(s) with rel/target, never HTML', async () => {
    await loadRichText();
    const html = renderToStaticMarkup(row(message));
    noRawMarkup(html);
    expect(html).toContain('<strong>bold &lt;img');
    expect(html).toContain('<em>it</em>');
    expect(html).toContain('<pre><code>&lt;img');
    expect(html).toContain('<blockquote><p>&lt;img');
    expect(html).toContain('<li>&lt;img');
    expect(html).toContain('<code>&lt;img');
    // The only link: the https one (the linkifier ends it at the quote), with the required attributes; the rest is text.
    const links = [...html.matchAll(/<a [^>]*>/g)].map((m) => m[0]);
    expect(links).toEqual(['<a href="https://ok.test/?q=" target="_blank" rel="noopener noreferrer nofollow">']);
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('[x](javascript:alert(1))'); // shown as the text that was typed
  });

  it('reply quotes: the server snippet, and the held original', () => {
    for (const html of [renderToStaticMarkup(row(message)), renderToStaticMarkup(row(message, original))]) {
      expect(html).toContain('data-testid="reply-quote"');
      expect(html).toContain('Mallory &lt;img');
      noRawMarkup(html);
    }
    expect(renderToStaticMarkup(row(message))).toContain('snippet &lt;img');
    expect(renderToStaticMarkup(row(message, original))).toContain('quoted &lt;img');
  });

  it('reaction chips and who reacted', () => {
    const html = renderToStaticMarkup(row(message));
    expect(html).toContain('aria-label="👍 2 reactions, react with 👍"');
    expect(html).toContain('aria-pressed="true"');
    expect(html).toContain('You and Fan &lt;img src=x onerror=&quot;alert(1)&quot;&gt; reacted with 👍');
  });

  it('typing names, in a status region', () => {
    const html = renderToStaticMarkup(createElement(TypingIndicator, { names: [`Ada ${EVIL}`] }));
    expect(html).toContain('role="status"');
    expect(html).toContain(`Ada ${ESCAPED} is typing…`);
    noRawMarkup(html);
  });

  it('the composer reply bar', () => {
    const html = renderToStaticMarkup(
      createElement(Composer, { roomId: 'general', status: 'open', onSend: async () => true, mode: { kind: 'reply', message: original }, nameOf }),
    );
    expect(html).toContain('Replying to <strong>Mallory &lt;img');
    noRawMarkup(html);
  });

  it('a deleted message shows the placeholder and no text, no actions menu items for its body', () => {
    const html = renderToStaticMarkup(row({ ...message, body: '', deletedAt: new Date().toISOString(), reactions: undefined, editedAt: undefined }));
    expect(html).toContain('This message was deleted');
    expect(html).not.toContain('(edited)');
    expect(html).not.toContain('data-testid="message-actions"');
  });
});
