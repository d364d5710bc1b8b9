/**
 * Rich text for message bodies: a safe Markdown subset parsed by markdown-it 15 into a small tree of plain data
 * (never HTML), which components/message/rich-body.tsx turns into React elements. Only bold, italic,
 * strikethrough, inline code, code blocks, quotes and lists; links only where linkify-it finds a URL, and only
 * http, https and mailto. Raw HTML, images, headings and hand-written `[text](url)` links stay literal text.
 * `<@userId>` mention tokens become mention nodes. This module is loaded lazily (after sign-in, on first render).
 */
import MarkdownIt, { type Token } from 'markdown-it';
import { MENTION_TOKEN } from '../protocol-constants';
import { LINK_PROTOCOLS } from './links';

export { LINK_PROTOCOLS, LINK_REL } from './links';

/** Elements the renderer may produce (anything else is impossible by construction). */
export type RichTag = 'p' | 'strong' | 'em' | 's' | 'code' | 'pre' | 'blockquote' | 'ul' | 'ol' | 'li';

/** One node of a rendered body. Text is always text: the renderer never interprets it. */
export type RichNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'mention'; readonly userId: string }
  | { readonly kind: 'break' }
  | { readonly kind: 'element'; readonly tag: RichTag; readonly start?: number; readonly children: RichNode[] }
  | { readonly kind: 'link'; readonly href: string; readonly children: RichNode[] };

const md = new MarkdownIt('zero', { linkify: true, breaks: true, html: false }).enable([
  'emphasis',
  'strikethrough',
  'backticks',
  'escape',
  'linkify',
  'newline',
  'paragraph',
  'code',
  'fence',
  'blockquote',
  'list',
]);
// Bare IP addresses and "//host" are not links people mean in chat.
md.linkify.set({ fuzzyIP: false, fuzzyLink: true, fuzzyEmail: true });

const TAGS: Readonly<Record<string, RichTag>> = {
  paragraph: 'p',
  strong: 'strong',
  em: 'em',
  s: 's',
  blockquote: 'blockquote',
  bullet_list: 'ul',
  ordered_list: 'ol',
  list_item: 'li',
};

/** The href if it is an absolute http(s)/mailto URL, else undefined. */
export function safeHref(href: string | null | undefined): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href);
    return LINK_PROTOCOLS.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Text with mention tokens split out. */
function textNodes(text: string): RichNode[] {
  const out: RichNode[] = [];
  let at = 0;
  for (const m of text.matchAll(MENTION_TOKEN)) {
    if (m.index > at) out.push({ kind: 'text', text: text.slice(at, m.index) });
    out.push({ kind: 'mention', userId: m[1]! });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}

interface Frame {
  readonly children: RichNode[];
  /** A link whose URL was refused: its text is kept, unlinked. */
  readonly unwrap?: boolean;
}

function walk(tokens: readonly Token[], root: RichNode[]): void {
  const stack: Frame[] = [{ children: root }];
  const top = () => stack[stack.length - 1]!.children;
  for (const token of tokens) {
    const base = token.type.replace(/_(open|close)$/, '');
    if (token.type.endsWith('_open')) {
      if (base === 'link') {
        const raw = token.attrGet('href');
        const href = safeHref(raw === null ? undefined : String(raw));
        if (href) {
          const node: RichNode = { kind: 'link', href, children: [] };
          top().push(node);
          stack.push({ children: node.children });
        } else stack.push({ children: top(), unwrap: true });
        continue;
      }
      const tag = TAGS[base];
      // Tight list items wrap their text in hidden paragraphs: render the text directly.
      if (!tag || token.hidden) {
        stack.push({ children: top(), unwrap: true });
        continue;
      }
      const start = base === 'ordered_list' ? Number(token.attrGet('start') ?? 1) : undefined;
      const node: RichNode = { kind: 'element', tag, ...(start !== undefined && start !== 1 ? { start } : {}), children: [] };
      top().push(node);
      stack.push({ children: node.children });
      continue;
    }
    if (token.type.endsWith('_close')) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    switch (token.type) {
      case 'inline':
        walk(token.children ?? [], top());
        break;
      case 'text':
        top().push(...textNodes(token.content));
        break;
      case 'code_inline':
        top().push({ kind: 'element', tag: 'code', children: [{ kind: 'text', text: token.content }] });
        break;
      case 'code_block':
      case 'fence':
        top().push({ kind: 'element', tag: 'pre', children: [{ kind: 'element', tag: 'code', children: [{ kind: 'text', text: token.content.replace(/\n$/, '') }] }] });
        break;
      case 'softbreak':
      case 'hardbreak':
        top().push({ kind: 'break' });
        break;
      default:
        // Anything else (never produced with this rule set) is shown as its source text, never as markup.
        if (token.content) top().push({ kind: 'text', text: token.content });
    }
  }
}

/** Parses a message body into rich nodes. Pure; the same body always gives the same tree. */
export function parseRichText(body: string): RichNode[] {
  const root: RichNode[] = [];
  walk(md.parse(body, {}), root);
  return root;
}

/** Parsed bodies, most recently used last (virtualized rows re-mount often; parsing is the costly part). */
const cache = new Map<string, RichNode[]>();
/** How many parsed bodies to keep. */
const CACHE_SIZE = 1000;

/**
 * Words, digits, single spaces and punctuation that means nothing to this Markdown subset or the linkifier (no
 * `*_~\`<>[]()#-+.:/@&\\`, no line breaks, no leading or trailing space). Most chat messages look like this.
 */
const PLAIN = /^[\p{L}\p{N}](?:[\p{L}\p{N},;'"?!]| (?! ))*$/u;

/** True when `body` parses to exactly one paragraph of its own text (tested against markdown-it). */
export function isPlain(body: string): boolean {
  return PLAIN.test(body) && !body.endsWith(' ');
}

/**
 * `parseRichText`, memoised by body text. Treat the result as read-only. Plain bodies skip the parser: a long
 * history mounts rows by the dozen while scrolling, each one new to the cache.
 */
export function richTextOf(body: string): readonly RichNode[] {
  if (isPlain(body)) return [{ kind: 'element', tag: 'p', children: [{ kind: 'text', text: body }] }];
  let nodes = cache.get(body);
  if (nodes) {
    cache.delete(body);
  } else {
    nodes = parseRichText(body);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(body, nodes);
  return nodes;
}
