/**
 * The unit projects share a worker's modules across files (vitest.config.ts, `isolate: false`). A test file that
 * replaces a module or starts its own stack or DynamoDB would leak into the files after it, so it must be listed in
 * ISOLATED: this test finds such files by what they call and fails naming any that is not listed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISOLATED } from '../vitest.config';

const ROOT = join(import.meta.dirname, '..');
/** Calls that make a file need a module graph of its own. */
const NEEDS_ISOLATION = /\bvi\.(mock|doMock)\(|\bstartLocalStack\(|\bstartDynamo\(|\bstartGateway\(/;
const SKIPPED_DIRS = new Set(['node_modules', '.next', 'out', 'cdk.out', '.amplify', '.local', '.git', '.stryker-tmp', 'reports', 'tests', 'e2e']);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : testFiles(path);
    return /\.test\.tsx?$/.test(entry.name) && !/\.(infra|fuzz)\.test\./.test(entry.name) ? [relative(ROOT, path)] : [];
  });
}

describe('unit test isolation', () => {
  it('lists every unit test file that mocks a module or starts its own stack as ISOLATED, and only existing files', () => {
    const files = testFiles(ROOT);
    const needing = files.filter((file) => NEEDS_ISOLATION.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(needing.length).toBeGreaterThan(3); // the scan finds them (a broken pattern would find none)
    expect(needing.filter((file) => !ISOLATED.includes(file))).toEqual([]);
    expect(ISOLATED.filter((file) => !files.includes(file))).toEqual([]);
  });
});
