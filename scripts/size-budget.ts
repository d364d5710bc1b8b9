/**
 * `npm run size` (part of `npm test`, after `npm run build`): JavaScript size budgets of the static export, in bytes
 * of gzip (level 9). What is counted:
 *  - sign-in ≤ 310 KB: every script out/index.html loads (its `<script src>`s: the framework, the page, Amplify's
 *    Authenticator, public/theme.js) — all of it loads before the sign-in form can be used;
 *  - chat screen ≤ 400 KB: every .js file of the export (out/**, lazy chunks included: the chat, rich text, the
 *    reaction picker, the 404 page's), an upper bound of what a signed-in user can load.
 * Neither counts scripts index.html loads only as `<script nomodule>` (Next's legacy polyfills, ~39 KB): browsers
 * that run ES modules skip them without downloading, and every browser Next 16 supports does (Chrome/Edge/Firefox
 * 111, Safari 16.4); one that does not cannot parse the app's chunks at all. They are printed apart, as is the
 * emoji list the picker fetches as JSON (data, not script) only when someone searches.
 * Exit 1 when a size is over its budget. `SOURCE_MAPS=1 npm run build && npx tsx scripts/chunk-sources.ts` shows what
 * each chunk holds.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EMOJI_DATA_PATH } from '../lib/chat/emoji';

/** Budgets in bytes of gzip (issue 10). */
export const SIGN_IN_BUDGET = 310 * 1024;
export const CHAT_SCREEN_BUDGET = 400 * 1024;

/** Gzip size of one file (level 9, like a CDN's compression at best; CloudFront is close to it). */
function gzipped(file: string): number {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

function allJs(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allJs(path) : path.endsWith('.js') ? [path] : [];
  });
}

/** Same-origin script paths of one page: [loaded by every browser, loaded only as nomodule]. */
export function pageScripts(html: string): { scripts: string[]; noModule: string[] } {
  const tags = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
  const src = (attrs: string) => /\ssrc="([^"]+)"/.exec(attrs)?.[1]?.split('?')[0];
  const local = (attrs: string[]) => [...new Set(attrs.map(src).filter((s): s is string => !!s?.startsWith('/')))];
  const isNoModule = (attrs: string) => /\snomodule\b/i.test(attrs);
  return { scripts: local(tags.filter((a) => !isNoModule(a))), noModule: local(tags.filter(isNoModule)) };
}

/** One counted set of files. */
export interface Counted {
  readonly bytes: number;
  readonly files: readonly string[];
}

/** Sizes of the export in `outDir` (see the top of this file for what each one counts). */
export function measure(outDir: string): { signIn: Counted; chatScreen: Counted; noModule: Counted; emojiData: number; biggest: { file: string; bytes: number }[] } {
  const { scripts, noModule } = pageScripts(readFileSync(join(outDir, 'index.html'), 'utf8'));
  const sum = (files: string[]) => files.reduce((total, file) => total + gzipped(join(outDir, file)), 0);
  const skipped = new Set(noModule.map((s) => s.slice(1)));
  const every = allJs(outDir)
    .map((file) => relative(outDir, file))
    .filter((file) => !skipped.has(file));
  const sizes = every.map((file) => ({ file, bytes: gzipped(join(outDir, file)) }));
  const emoji = join(outDir, EMOJI_DATA_PATH);
  return {
    signIn: { bytes: sum(scripts), files: scripts },
    chatScreen: { bytes: sizes.reduce((a, b) => a + b.bytes, 0), files: every },
    noModule: { bytes: sum(noModule), files: noModule },
    emojiData: existsSync(emoji) ? gzipped(emoji) : 0,
    biggest: sizes.sort((a, b) => b.bytes - a.bytes).slice(0, 5),
  };
}

if (process.argv[1]?.endsWith('size-budget.ts')) {
  const m = measure(resolve(process.argv[2] ?? 'out'));
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  const verdict = (bytes: number, budget: number) => (bytes <= budget ? `within budget, ${kb(budget - bytes)} to spare` : 'OVER the budget');
  console.log(`sign-in page JS: ${kb(m.signIn.bytes)} gzip in ${m.signIn.files.length} scripts (budget ${kb(SIGN_IN_BUDGET)}): ${verdict(m.signIn.bytes, SIGN_IN_BUDGET)}`);
  console.log(`chat screen JS (every chunk): ${kb(m.chatScreen.bytes)} gzip in ${m.chatScreen.files.length} files (budget ${kb(CHAT_SCREEN_BUDGET)}): ${verdict(m.chatScreen.bytes, CHAT_SCREEN_BUDGET)}`);
  console.log(`not counted: nomodule polyfills ${kb(m.noModule.bytes)} in ${m.noModule.files.length} file(s) (no supported browser loads them); emoji list ${kb(m.emojiData)} (JSON, fetched when the picker searches)`);
  if (m.signIn.bytes > SIGN_IN_BUDGET || m.chatScreen.bytes > CHAT_SCREEN_BUDGET) {
    console.log('biggest files:');
    for (const f of m.biggest) console.log(`  ${f.file} ${kb(f.bytes)}`);
    console.log('Move code only a signed-in user needs behind a dynamic import (next/dynamic), or drop a dependency; scripts/chunk-sources.ts shows what a chunk holds.');
    process.exit(1);
  }
}
