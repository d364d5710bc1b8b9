/**
 * The elements Virtuoso renders the timeline with: a labelled, focusable scroller; an ordered list whose
 * items are the rows (day separators and the "New messages" divider are list items too); and a header that
 * offers older messages (for keyboards and as a fallback to infinite scroll) or says the history starts here.
 * Defined once at module level: Virtuoso remounts everything when these components change identity.
 */
import { forwardRef, type ComponentPropsWithoutRef } from 'react';
import type { Components } from 'react-virtuoso';
import type { TimelineRow } from './timeline-rows';

/** What the parts read from the list (Virtuoso's `context`). */
export interface TimelineContext {
  roomId: string;
  hasOlder: boolean;
  loading: boolean;
  loadOlder: () => void;
  /** A message to highlight (a jump target). */
  highlight?: string;
  /** Messages loaded (exposed for tests and measurement as data-loaded). */
  count: number;
}

type WithContext<P> = P & { context?: TimelineContext };

const Scroller = forwardRef<HTMLDivElement, WithContext<ComponentPropsWithoutRef<'div'>>>(function Scroller({ context, ...props }, ref) {
  return <div {...props} ref={ref} tabIndex={0} role="region" aria-label={`Messages in #${context?.roomId ?? ''}`} data-loaded={context?.count} />;
});

const List = forwardRef<HTMLOListElement, WithContext<ComponentPropsWithoutRef<'ol'>>>(function List({ context: _context, ...props }, ref) {
  return <ol {...props} ref={ref} className="message-list" data-testid="message-list" />;
});

function Item({ item, context, ...props }: WithContext<ComponentPropsWithoutRef<'li'> & { item: TimelineRow }>) {
  const kind = item.kind === 'day' ? 'day-separator' : item.kind === 'new' ? 'new-divider' : 'timeline-message';
  const grouped = item.kind === 'message' && item.grouped;
  return <li {...props} className={`timeline-item ${kind}`} data-key={item.key} data-grouped={grouped ? 'true' : undefined} data-highlight={item.key === context?.highlight ? 'true' : undefined} />;
}

function Header({ context }: { context?: TimelineContext }) {
  if (!context) return null;
  return (
    <div className="timeline-header">
      {context.hasOlder ? (
        <button type="button" className="load-older button-quiet" data-testid="load-older" onClick={context.loadOlder} aria-disabled={context.loading}>
          {context.loading ? 'Loading older messages…' : 'Load older messages'}
        </button>
      ) : (
        <p className="history-start">This is the beginning of #{context.roomId}.</p>
      )}
    </div>
  );
}

/** Room below the last message (list items have no margins: Virtuoso measures boxes). */
function Footer() {
  return <div className="timeline-footer" />;
}

/** Virtuoso's `components` for the timeline (one stable object). */
export const timelineComponents = { Scroller, List, Item, Header, Footer } as unknown as Components<TimelineRow, TimelineContext>;
