/**
 * Where a cloud sandbox's amplify_outputs.json lives, and how it reaches the web app. `ampx sandbox`
 * writes into SANDBOX_OUTPUTS_DIR (never public/), and `npm run sandbox` copies it to public/, where
 * `next dev` serves it. `npm start` writes its local outputs to public/ too, so it may replace the copy,
 * never the sandbox's own file: the next `npm run sandbox` puts the sandbox's back.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
/** Folder `ampx sandbox --outputs-out-dir` writes to (inside the gitignored .amplify/). */
export const SANDBOX_OUTPUTS_DIR = join(ROOT, '.amplify', 'sandbox-outputs');
/** What next dev serves at /amplify_outputs.json. */
export const PUBLIC_OUTPUTS = join(ROOT, 'public', 'amplify_outputs.json');

/** Copies `source` over `target` when they differ; true when it copied. */
export function syncOutputs(source: string, target: string): boolean {
  if (!existsSync(source)) return false;
  const next = readFileSync(source, 'utf8');
  if (existsSync(target) && readFileSync(target, 'utf8') === next) return false;
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  return true;
}
