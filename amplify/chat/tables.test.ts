/**
 * The key patterns of the table design (README "Table design"), stated here on their own: changing one would orphan
 * every stored row of that kind, so a change must be deliberate. And the env var error that says what to set.
 */
import { describe, expect, it } from 'vitest';
import { Keys, requiredEnv } from './tables';

describe('Keys', () => {
  it('builds every composite key as the table design documents it', () => {
    expect(Keys.receipt('u1', 'c-1')).toBe('u1#c-1');
    expect(Keys.rateWindow('u1', 1_700_000_000_000)).toBe('u1#1700000000000');
    expect(Keys.createWindow('u1', 3_600_000)).toBe('u1#create#3600000');
    expect(Keys.editWindow('u1', 60_000)).toBe('u1#edit#60000');
    expect(Keys.reactWindow('u1', 60_000)).toBe('u1#react#60000');
    expect(Keys.mention('general', 'u1')).toBe('general#u1');
  });

  it('pads change numbers to 15 digits, so string order is number order', () => {
    expect(Keys.changeSeq(7)).toBe('000000000000007');
    expect(Keys.changeSeq(123_456_789_012_345)).toBe('123456789012345');
    expect([10, 9, 100].map(Keys.changeSeq).sort()).toEqual([9, 10, 100].map(Keys.changeSeq));
  });
});

describe('requiredEnv', () => {
  it('returns a set variable and names a missing or empty one in an error that says who sets it', () => {
    process.env.TABLES_TEST_VAR = 'value';
    expect(requiredEnv('TABLES_TEST_VAR')).toBe('value');
    process.env.TABLES_TEST_VAR = '';
    expect(() => requiredEnv('TABLES_TEST_VAR')).toThrow('Missing environment variable TABLES_TEST_VAR; the backend (or the local stack) must set it');
    delete process.env.TABLES_TEST_VAR;
    expect(() => requiredEnv('TABLES_TEST_VAR')).toThrow('Missing environment variable TABLES_TEST_VAR');
  });
});
