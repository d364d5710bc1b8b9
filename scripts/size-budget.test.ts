import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { measure, pageScripts } from './size-budget';

const out = mkdtempSync(join(tmpdir(), 'size-budget-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Writes a file of `length` characters (distinct per seed) and returns its gzip size. */
function file(path: string, seed: number, length: number): number {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(33 + ((i * 7919 + seed * 104729) % 89));
  mkdirSync(dirname(join(out, path)), { recursive: true });
  writeFileSync(join(out, path), text);
  return gzipSync(text, { level: 9 }).length;
}

describe('size budget', () => {
  it('tells scripts every browser loads from nomodule ones, and ignores other origins and inline code', () => {
    const html = '<script src="/_next/a.js" async=""></script><script src="/theme.js"></script><script src="/_next/p.js" noModule=""></script><script src="https://cdn.example/x.js"></script><script>inline()</script><script src="/_next/a.js?v=1"></script>';
    expect(pageScripts(html)).toEqual({ scripts: ['/_next/a.js', '/theme.js'], noModule: ['/_next/p.js'] });
  });

  it('counts the sign-in scripts, and every chunk (lazy ones included) for the chat, never the nomodule polyfills', () => {
    const a = file('_next/static/chunks/a.js', 1, 3000);
    const theme = file('theme.js', 2, 200);
    const lazy = file('_next/static/chunks/lazy.js', 3, 5000);
    const polyfill = file('_next/static/chunks/polyfill.js', 4, 4000);
    const emoji = file('emoji/en.json', 5, 1000);
    writeFileSync(join(out, 'index.html'), '<script src="/_next/static/chunks/a.js"></script><script src="/theme.js"></script><script src="/_next/static/chunks/polyfill.js" noModule=""></script>');
    const m = measure(out);
    expect(m.signIn).toEqual({ bytes: a + theme, files: ['/_next/static/chunks/a.js', '/theme.js'] });
    expect(m.chatScreen.bytes).toBe(a + theme + lazy);
    expect([...m.chatScreen.files].sort()).toEqual(['_next/static/chunks/a.js', '_next/static/chunks/lazy.js', 'theme.js']);
    expect(m.noModule).toEqual({ bytes: polyfill, files: ['/_next/static/chunks/polyfill.js'] });
    expect(m.emojiData).toBe(emoji);
  });

  it('exits 0 within the budgets and 1 once a lazy chunk takes the chat screen over', () => {
    const run = () => spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'size-budget.ts'), out], { encoding: 'utf8' });
    const within = run();
    expect(within.status, within.stderr).toBe(0);
    expect(within.stdout).toMatch(/chat screen JS .*within budget/);
    writeFileSync(join(out, '_next/static/chunks/big.js'), randomBytes(420 * 1024).toString('latin1'));
    const over = run();
    expect(over.status).toBe(1);
    expect(over.stdout).toMatch(/sign-in page JS:.*within budget/);
    expect(over.stdout).toMatch(/chat screen JS .*OVER the budget/);
  });
});
