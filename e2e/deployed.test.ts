import { describe, expect, it } from 'vitest';
import { checkBranch, PRODUCTION_BRANCHES } from './deployed';

describe('deployed e2e target', () => {
  it('runs against a named non-production branch only', () => {
    expect(checkBranch('staging')).toBe('staging');
    expect(() => checkBranch(undefined)).toThrow(/E2E_BRANCH=staging/);
    for (const branch of PRODUCTION_BRANCHES) expect(() => checkBranch(branch)).toThrow(/refusing to run against/);
  });
});
