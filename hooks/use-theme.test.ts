import { describe, expect, it } from 'vitest';
import { savedTheme, THEME_KEY, themeToSave } from './use-theme';

const storage = (value: string | null) => ({ getItem: (key: string) => (key === THEME_KEY ? value : null) });

describe('theme choice', () => {
  it('reads only light or dark back from storage', () => {
    expect(savedTheme(storage('dark'))).toBe('dark');
    expect(savedTheme(storage('light'))).toBe('light');
    expect(savedTheme(storage('purple'))).toBeUndefined();
    expect(savedTheme(storage(null))).toBeUndefined();
    expect(savedTheme(undefined)).toBeUndefined();
  });

  it('follows the system when storage is blocked', () => {
    expect(savedTheme({ getItem: () => { throw new Error('SecurityError'); } })).toBeUndefined();
  });

  it('saves a pick only when it differs from the system, so picking the system theme follows it again', () => {
    expect(themeToSave('dark', 'light')).toBe('dark');
    expect(themeToSave('light', 'dark')).toBe('light');
    expect(themeToSave('dark', 'dark')).toBeUndefined();
    expect(themeToSave('light', 'light')).toBeUndefined();
  });
});
