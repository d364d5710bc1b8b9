/** How unread counts read on screen and to assistive tech: exact up to 99, then "99+" (protocol's formatUnread). */
import { formatUnread } from '../protocol';

/** "3", "99", "99+"; empty for 0. */
export function unreadBadge(count: number): string {
  return count <= 0 ? '' : formatUnread(count);
}

/** What a sidebar row shows and says. A muted room counts mentions only. */
export interface UnreadView {
  readonly unread: number;
  readonly mentions: number;
  readonly muted?: boolean;
}

/** A room link's accessible name, e.g. "general, 3 unread" or "design, 99+ unread, 1 mention". */
export function roomLinkName(name: string, view: UnreadView): string {
  const parts = [name];
  if (!view.muted && view.unread > 0) parts.push(`${unreadBadge(view.unread)} unread`);
  if (view.mentions > 0) parts.push(`${unreadBadge(view.mentions)} ${view.mentions === 1 ? 'mention' : 'mentions'}`);
  if (view.muted) parts.push('muted');
  return parts.join(', ');
}

/** Bold when there is something to read (a muted room only for mentions). */
export function isUnread(view: UnreadView): boolean {
  return view.mentions > 0 || (!view.muted && view.unread > 0);
}
