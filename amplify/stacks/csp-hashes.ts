/**
 * The inline-code hashes of a static export, kept beside it in `out/csp-hashes.json`. `npm run build`
 * writes the file (scripts/csp-hashes.ts); the site stack and the local static server read it. It lives
 * inside out/ on purpose: `next build` empties out/, so a stale file can never outlive its build.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { inlineHashes, mergeHashes, type InlineHashes } from './csp';

/** File name inside the export folder. */
export const CSP_HASHES_FILE = 'csp-hashes.json';

const source = z.string().regex(/^'sha256-[A-Za-z0-9+/]{43}='$/);
const fileSchema = z.object({
  scripts: z.array(source),
  styles: z.array(source),
  styleAttributes: z.array(source),
  htmlFiles: z.number().int().positive(),
});

/** Every .html file under `dir`, recursively (a plain walk: `recursive` readdir differs across Node 20 minors). */
function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return htmlFiles(path);
      return entry.isFile() && entry.name.endsWith('.html') ? [path] : [];
    })
    .sort();
}

/** Hashes of the inline code of every page under `outDir`, and how many pages there were. */
export function collectSiteHashes(outDir: string): InlineHashes & { htmlFiles: number } {
  const files = htmlFiles(outDir);
  if (files.length === 0) throw new Error(`${outDir} has no .html files: run \`npm run build\` first`);
  return { ...mergeHashes(files.map((file) => inlineHashes(readFileSync(file, 'utf8')))), htmlFiles: files.length };
}

/** Computes and writes `<outDir>/csp-hashes.json`; returns what it wrote. */
export function writeSiteHashes(outDir: string): InlineHashes & { htmlFiles: number } {
  const hashes = collectSiteHashes(outDir);
  writeFileSync(join(outDir, CSP_HASHES_FILE), `${JSON.stringify(hashes, null, 2)}\n`);
  return hashes;
}

/**
 * The hashes recorded for the export in `outDir`, or undefined when there is no (valid) file: no build
 * yet, or a build that skipped the post-build step. Callers then allow no inline code at all.
 */
export function readSiteHashes(outDir: string): InlineHashes | undefined {
  return readHashesFile(join(outDir, CSP_HASHES_FILE));
}

/** The hashes in one csp-hashes.json file, or undefined when it is missing or not valid. */
export function readHashesFile(file: string): InlineHashes | undefined {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // missing or corrupt: callers fall back to "no inline code allowed"
  }
  const parsed = fileSchema.safeParse(json);
  return parsed.success ? { scripts: parsed.data.scripts, styles: parsed.data.styles, styleAttributes: parsed.data.styleAttributes } : undefined;
}
