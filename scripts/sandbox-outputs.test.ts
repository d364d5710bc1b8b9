import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PUBLIC_OUTPUTS, SANDBOX_OUTPUTS_DIR, syncOutputs } from './sandbox-outputs';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sandbox outputs', () => {
  it('live outside public/, so `npm start` (which writes public/amplify_outputs.json) cannot overwrite them', () => {
    expect(SANDBOX_OUTPUTS_DIR).toMatch(/\/\.amplify\/sandbox-outputs$/);
    expect(join(SANDBOX_OUTPUTS_DIR, 'amplify_outputs.json')).not.toBe(PUBLIC_OUTPUTS);
    expect(readFileSync(join(import.meta.dirname, '../.gitignore'), 'utf8')).toMatch(/^\.amplify\/$/m);
  });

  it('are copied to the served file when they differ, and not otherwise', () => {
    const source = join(dir, 'sandbox.json');
    const target = join(dir, 'public', 'amplify_outputs.json');
    expect(syncOutputs(source, target)).toBe(false); // no sandbox yet
    writeFileSync(source, '{"sandbox":1}');
    expect(syncOutputs(source, target)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('{"sandbox":1}');
    expect(syncOutputs(source, target)).toBe(false);
    writeFileSync(target, '{"local":1}'); // npm start wrote its own
    expect(syncOutputs(source, target)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('{"sandbox":1}');
  });
});
