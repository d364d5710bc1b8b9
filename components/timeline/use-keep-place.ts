/**
 * Keeps the row at the top of the viewport exactly where it was when older messages are prepended. Virtuoso's
 * firstItemIndex keeps the place only as well as its size estimates for the new rows (off by a row or two with
 * rows of different heights); this measures the real row afterwards and scrolls by the difference.
 */
import { useLayoutEffect, useRef, type RefObject } from 'react';

/** Frames during which the place is re-checked while Virtuoso measures the new rows. */
const FRAMES = 8;

/** Events of a reader scrolling by hand. */
const HAND_SCROLL = ['wheel', 'touchmove', 'keydown'] as const;

interface Anchor {
  key: string;
  offset: number;
}

/** The first message row (not a day separator: those move up with their day) whose top is in view, and its offset. */
function topRow(scroller: HTMLElement): Anchor | undefined {
  const top = scroller.getBoundingClientRect().top;
  for (const row of scroller.querySelectorAll<HTMLElement>('li.timeline-message[data-key]')) {
    const offset = row.getBoundingClientRect().top - top;
    if (offset >= 0) return { key: row.dataset.key!, offset };
  }
  return undefined;
}

/**
 * Call during render with the oldest message's id. When it changes to an older one, the DOM still shows the old
 * rows (render runs before commit): the top row is noted then, and put back at its offset after the commit.
 */
export function useKeepPlace(scroller: RefObject<HTMLElement | null>, first: string | undefined): void {
  const previous = useRef(first);
  const anchor = useRef<Anchor>(undefined);
  if (previous.current !== first) {
    const prepended = previous.current !== undefined && first !== undefined && first < previous.current;
    anchor.current = prepended && scroller.current ? topRow(scroller.current) : undefined;
    previous.current = first;
  }

  useLayoutEffect(() => {
    const target = anchor.current;
    anchor.current = undefined;
    if (!target) return;
    let frames = 0;
    let frame = 0;
    // The reader scrolling by hand wins: stop correcting.
    const stop = () => (frames = FRAMES);
    const el0 = scroller.current;
    for (const type of HAND_SCROLL) el0?.addEventListener(type, stop, { passive: true });
    const fix = () => {
      if (frames >= FRAMES) return;
      const el = scroller.current;
      const row = el?.querySelector<HTMLElement>(`li[data-key="${CSS.escape(target.key)}"]`);
      if (el && row) {
        const delta = row.getBoundingClientRect().top - el.getBoundingClientRect().top - target.offset;
        if (Math.abs(delta) >= 1) el.scrollTop += delta;
      }
      if (++frames < FRAMES) frame = requestAnimationFrame(fix);
    };
    fix();
    frame = requestAnimationFrame(fix);
    return () => {
      cancelAnimationFrame(frame);
      for (const type of HAND_SCROLL) el0?.removeEventListener(type, stop);
    };
  }, [first, scroller]);
}
