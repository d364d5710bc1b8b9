import { describe, expect, it, vi } from 'vitest';
import { isPlain, parseRichText, richTextOf, safeHref, type RichNode } from './rich-text';

/** A compact view of a tree: tags and text, for readable expectations. */
function show(nodes: readonly RichNode[]): string {
  return nodes
    .map((n) => {
      switch (n.kind) {
        case 'text':
          return n.text;
        case 'mention':
          return `{@${n.userId}}`;
        case 'break':
          return '{br}';
        case 'link':
          return `{a ${n.href}:${show(n.children)}}`;
        case 'element':
          return `{${n.tag}${n.start ? `@${n.start}` : ''}:${show(n.children)}}`;
      }
    })
    .join('');
}

describe('parseRichText', () => {
  it('renders the subset: bold, italic, strikethrough, inline code', () => {
    expect(show(parseRichText('**b** _i_ *j* ~~s~~ `c <b>`'))).toBe('{p:{strong:b} {em:i} {em:j} {s:s} {code:c <b>}}');
  });

  it('renders code blocks (fenced and indented), quotes and lists', () => {
    expect(show(parseRichText('```ts\nconst a = 1 < 2;\n```'))).toBe('{pre:{code:const a = 1 < 2;}}');
    expect(show(parseRichText('    indented'))).toBe('{pre:{code:indented}}');
    expect(show(parseRichText('> quoted **x**'))).toBe('{blockquote:{p:quoted {strong:x}}}');
    expect(show(parseRichText('- a\n- b'))).toBe('{ul:{li:a}{li:b}}');
    expect(show(parseRichText('3. x\n4. y'))).toBe('{ol@3:{li:x}{li:y}}');
  });

  it('keeps line breaks', () => {
    expect(show(parseRichText('one\ntwo'))).toBe('{p:one{br}two}');
    // Markdown's hard breaks (two trailing spaces, a trailing backslash) are the same break.
    expect(show(parseRichText('one  \ntwo'))).toBe('{p:one{br}two}');
    expect(show(parseRichText('one\\\ntwo'))).toBe('{p:one{br}two}');
  });

  it('gives exactly the nodes the renderer needs: no empty text around mentions, links with only their text', () => {
    const p = (...children: RichNode[]) => [{ kind: 'element', tag: 'p', children }];
    expect(parseRichText('<@u1> and <@u2>')).toStrictEqual(p({ kind: 'mention', userId: 'u1' }, { kind: 'text', text: ' and ' }, { kind: 'mention', userId: 'u2' }));
    expect(parseRichText('<@u1><@u2>')).toStrictEqual(p({ kind: 'mention', userId: 'u1' }, { kind: 'mention', userId: 'u2' }));
    expect(parseRichText('https://a.test')).toStrictEqual(p({ kind: 'link', href: 'https://a.test/', children: [{ kind: 'text', text: 'https://a.test' }] }));
  });

  it('numbers an ordered list from its first number; other elements carry no start', () => {
    const list = (body: string) => parseRichText(body)[0]!;
    expect(list('3. x')).toStrictEqual({ kind: 'element', tag: 'ol', start: 3, children: [{ kind: 'element', tag: 'li', children: [{ kind: 'text', text: 'x' }] }] });
    expect(list('1. x\n2. y')).not.toHaveProperty('start');
    expect(list('- x')).not.toHaveProperty('start');
    expect(list('x')).not.toHaveProperty('start');
  });

  it('keeps every line of a code block, dropping only the final newline', () => {
    expect(parseRichText('```\na\nb\n```')).toStrictEqual([{ kind: 'element', tag: 'pre', children: [{ kind: 'element', tag: 'code', children: [{ kind: 'text', text: 'a\nb' }] }] }]);
    expect(show(parseRichText('    a\n    b'))).toBe('{pre:{code:a\nb}}');
  });

  it('auto-links http, https and mailto only', () => {
    expect(show(parseRichText('see https://example.com/a?b=1 now'))).toBe('{p:see {a https://example.com/a?b=1:https://example.com/a?b=1} now}');
    expect(show(parseRichText('http://x.test'))).toBe('{p:{a http://x.test/:http://x.test}}');
    expect(show(parseRichText('ada@example.com'))).toBe('{p:{a mailto:ada@example.com:ada@example.com}}');
    for (const evil of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:msgbox', 'file:///etc/passwd', 'ftp://x.test/f']) {
      const tree = parseRichText(evil);
      expect(JSON.stringify(tree)).not.toContain('"link"');
      expect(show(tree)).toBe(`{p:${evil}}`);
    }
  });

  it('never turns hand-written links, images, HTML or headings into anything but text', () => {
    expect(JSON.stringify(parseRichText('[click](javascript:alert(1))'))).not.toContain('"link"');
    expect(show(parseRichText('![x](https://e.test/i.png)'))).toBe('{p:![x]({a https://e.test/i.png:https://e.test/i.png})}');
    expect(show(parseRichText('<img src=x onerror=alert(1)>'))).toBe('{p:<img src=x onerror=alert(1)>}');
    expect(show(parseRichText('# title'))).toBe('{p:# title}');
  });

  it('splits mention tokens out of text, not out of code', () => {
    expect(show(parseRichText('hi <@user-1> and **<@user-2>**'))).toBe('{p:hi {@user-1} and {strong:{@user-2}}}');
    expect(show(parseRichText('`<@user-1>`'))).toBe('{p:{code:<@user-1>}}');
  });

  it('survives deep nesting and odd input without throwing', () => {
    expect(() => parseRichText('>'.repeat(500) + ' x')).not.toThrow();
    expect(() => parseRichText('- '.repeat(500) + 'x')).not.toThrow();
    expect(() => parseRichText('*'.repeat(2000))).not.toThrow();
    expect(parseRichText('')).toEqual([]);
  });
});

describe('safeHref', () => {
  it('accepts absolute http/https/mailto URLs and refuses every other scheme', () => {
    expect(safeHref('https://a.test/x')).toBe('https://a.test/x');
    expect(safeHref('mailto:a@b.test')).toBe('mailto:a@b.test');
    expect(safeHref('JavaScript:alert(1)')).toBeUndefined();
    expect(safeHref(' javascript:alert(1)')).toBeUndefined();
    expect(safeHref('/relative')).toBeUndefined();
    expect(safeHref(undefined)).toBeUndefined();
  });
});

describe('richTextOf: the plain-text shortcut gives what markdown-it gives', () => {
  it('plain bodies: one paragraph of the same text, exactly as the parser says (random strings)', () => {
    const alphabet = ['a', 'Z', 'é', '日', '7', '0', ' ', ' ', ',', ';', "'", '"', '?', '!'];
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    let plain = 0;
    for (let i = 0; i < 3000; i++) {
      const body = Array.from({ length: 1 + Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      if (!isPlain(body)) continue;
      plain++;
      expect(richTextOf(body), body).toEqual(parseRichText(body));
    }
    expect(plain).toBeGreaterThan(300); // the shortcut was really exercised
  });

  it('anything the parser could turn into markup or a link is not plain', () => {
    for (const body of ['**b**', '_i_', '~~s~~', '`c`', '> q', '- a', '1. a', 'a.com', 'ada@x.test', 'http://x', '<@u1>', 'a\nb', '    code', ' a', 'a ', 'a  b', '# h', '&amp;', '\\*', '[x]', 'a(b)'])
      expect(isPlain(body), body).toBe(false);
    for (const body of ['message 12', 'hello, world', 'ok?', 'Ça va', '日本語', "it's \"fine\"!"]) expect(isPlain(body), body).toBe(true);
  });
});

describe('rich text as first loaded (the module is set up once, when its chunk loads)', () => {
  const fresh = async () => {
    vi.resetModules();
    return import('./rich-text');
  };

  it('renders strikethrough and both kinds of lists', async () => {
    const { parseRichText: parse } = await fresh();
    expect(show(parse('~~gone~~ - 1. ok'))).toBe('{p:{s:gone} - 1. ok}');
    expect(show(parse('- a\n- b'))).toBe('{ul:{li:a}{li:b}}');
    expect(show(parse('1. a\n2. b'))).toBe('{ol:{li:a}{li:b}}');
  });

  it('links bare domains and e-mail addresses, never bare IP addresses', async () => {
    const { parseRichText: parse } = await fresh();
    expect(show(parse('see example.com'))).toBe('{p:see {a http://example.com/:example.com}}');
    expect(show(parse('ada@example.com'))).toBe('{p:{a mailto:ada@example.com:ada@example.com}}');
    expect(show(parse('ping 192.168.1.20'))).toBe('{p:ping 192.168.1.20}');
  });

  it('allows exactly http, https and mailto links, each opened without referrer, opener or SEO credit', async () => {
    const { parseRichText: parse, LINK_PROTOCOLS: protocols, LINK_REL: rel } = await fresh();
    expect(show(parse('https://a.test/x and http://b.test'))).toBe('{p:{a https://a.test/x:https://a.test/x} and {a http://b.test/:http://b.test}}');
    expect([...protocols]).toEqual(['http:', 'https:', 'mailto:']);
    expect(rel).toBe('noopener noreferrer nofollow');
  });

  it('takes the plain shortcut only for words, digits, punctuation and single inner spaces', async () => {
    const { isPlain: plain } = await fresh();
    for (const body of ['hello world', 'a7', '7', 'é', "it's \"fine\"!", 'ok, 2; 3?']) expect(plain(body), body).toBe(true);
    for (const body of [' a', '!a', 'a*', 'a  b', 'a b ', '*', 'a.b', '7-']) expect(plain(body), body).toBe(false);
  });

  it('memoises parsed bodies, keeping the 1000 most recently used', async () => {
    const { richTextOf: of } = await fresh();
    const body = (n: number) => `**${n}**`;
    const first = of(body(0));
    expect(of(body(0))).toBe(first); // the same tree, not parsed again
    const trees = [first];
    for (let n = 1; n < 1000; n++) trees.push(of(body(n))); // the cache is full: 0 … 999
    expect(of(body(0))).toBe(first); // a hit makes 0 the most recently used …
    expect(of(body(1))).toBe(trees[1]); // … and 1 after it …
    of(body(1000)); // … so a new body pushes out the least recently used, 2, and only 2
    expect(of(body(3))).toBe(trees[3]);
    expect(of(body(0))).toBe(first);
    const again = of(body(2));
    expect(again).not.toBe(trees[2]); // parsed anew
    expect(again).toEqual(trees[2]);
  });
});
