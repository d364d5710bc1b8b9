/** The header's presence: names up to ONLINE_NAMES_MAX people, only a count above (names then in a paged dialog). */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ONLINE_NAMES_MAX, OnlineUsers, onlineLabel } from './online-users';

const people = (n: number) => Array.from({ length: n }, (_, i) => ({ userId: `u${String(i).padStart(5, '0')}`, displayName: `Person ${i}` }));
const render = (n: number) => renderToStaticMarkup(createElement(OnlineUsers, { users: people(n), roomName: '#big' }));
const names = (html: string) => html.match(/data-testid="online-user"/g)?.length ?? 0;

describe('OnlineUsers', () => {
  it('lists the names up to the threshold', () => {
    const html = render(ONLINE_NAMES_MAX);
    expect(html).toContain(`${ONLINE_NAMES_MAX} online`);
    expect(names(html)).toBe(ONLINE_NAMES_MAX);
    expect(html).toContain('Person 0');
    expect(html).not.toContain('data-testid="online-count"');
  });

  it('shows only a count above it, with a button for the names (not rendered until asked for)', () => {
    const html = render(1234);
    expect(html).toContain('1,234 online');
    expect(html).toContain('data-testid="online-count"');
    expect(html).toContain('aria-haspopup="dialog"');
    expect(names(html)).toBe(0);
    expect(html).not.toContain('Person 0');
  });

  it('renders nothing while nobody is known to be online; formats counts with separators', () => {
    expect(render(0)).toBe('');
    expect(onlineLabel(1)).toBe('1 online');
    expect(onlineLabel(12345)).toBe('12,345 online');
  });
});
