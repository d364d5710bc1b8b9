import { describe, expect, it } from 'vitest';
import { makeZodJitless } from './zod-jitless';

describe('makeZodJitless', () => {
  it('sets the option zod reads, before zod is loaded', async () => {
    // This file imports no zod at its top, so zod's modules load only below, after the flag is set.
    expect((globalThis as { __zod_globalConfig?: unknown }).__zod_globalConfig).toBeUndefined();
    makeZodJitless();
    const mini = await import('zod/mini');
    const classic = await import('zod');
    expect(mini.config().jitless).toBe(true);
    expect(classic.config().jitless).toBe(true);
    // Two-sided: zod reports what it was told, so the check above is not zod's default.
    mini.config({ jitless: false });
    expect(classic.config().jitless).toBe(false);
    makeZodJitless();
    expect(mini.config().jitless).toBe(true);
  });
});
