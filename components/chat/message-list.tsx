/**
 * The conversation, oldest at the top, virtualized (react-virtuoso): only the rows near the viewport are in
 * the DOM, however long the history. Older pages load as the reader nears the top and the message they were
 * reading stays put (Virtuoso's firstItemIndex); new messages are followed while the reader is at the bottom,
 * else counted on the "Jump to latest" button. New arrivals are announced from a separate region.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import type { OutgoingMessage } from '../../lib/chat/outgoing';
import type { ChatMessage } from '../../lib/protocol';
import { Announcer } from '../timeline/announcer';
import { JumpToLatest } from '../timeline/jump-to-latest';
import { newSince, useFirstItemIndex } from '../timeline/scroll-state';
import { useKeepPlace } from '../timeline/use-keep-place';
import { timelineComponents, type TimelineContext } from '../timeline/timeline-parts';
import { timelineRows, type TimelineRow } from '../timeline/timeline-rows';
import { MessageItem } from './message-item';
import { OutgoingItem } from './outgoing-item';

export interface MessageListProps {
  roomId: string;
  messages: readonly ChatMessage[];
  currentUserId: string;
  historyLoaded: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  /** Loads the next older page (may return a promise: a new request waits for it). */
  onLoadOlder: () => void | Promise<unknown>;
  /** Own messages not confirmed yet, shown after the stored ones. */
  outgoing?: readonly OutgoingMessage[];
  /** The signed-in user's display name, for outgoing messages. */
  currentUserName?: string;
  onRetry?: (clientMessageId: string) => void;
  onDiscard?: (clientMessageId: string) => void;
  /** The read position when the room was opened with unread messages: "New messages" goes before the next one. */
  dividerAfter?: string | null;
  /** Names for mention tokens. */
  nameOf?: (userId: string) => string | undefined;
  /** Scroll this message to the centre and focus it; a new `seq` repeats the jump. */
  target?: { messageId: string; seq: number };
  /** The feed holds a window around an older message: newer pages exist below. */
  hasNewer?: boolean;
  onLoadNewer?: () => void | Promise<unknown>;
  /** Called by "Jump to latest" instead of scrolling when `hasNewer` (the feed goes back to the newest page). */
  onJumpToLatest?: () => void;
}

/** A stable empty list, so the default does not recompute the rows on every render. */
const NONE: readonly OutgoingMessage[] = [];
/** Within this many pixels of the bottom counts as "reading the newest messages". */
const AT_BOTTOM_PX = 64;
/** Rows rendered beyond the viewport on each side (smooth scrolling without many rows in the DOM). */
const OVERSCAN_PX = { top: 600, bottom: 600 };
/** Older messages start loading this close to the top, before the reader hits it. */
const AT_TOP_PX = 300;
/** What the reader does to scroll by hand (any of them counts as "wants to move", see leftTop). */
const INTENT_EVENTS = ['wheel', 'touchmove', 'keydown'] as const;
/** Frames during which the first positioning at the newest message is re-applied. */
const PIN_FRAMES = 12;
/** After a page lands, when to look again whether the reader is still at the top. */
const RECHECK_MS = 300;
/** How long a jumped-to message stays highlighted. */
const HIGHLIGHT_MS = 2_000;

/** A scrollable, keyboard-focusable region holding the virtualized list, plus its announcer and jump button. */
export function MessageList(props: MessageListProps) {
  const { roomId, messages, currentUserId, historyLoaded, hasOlder, loadingOlder, onLoadOlder, hasNewer = false } = props;
  const { outgoing = NONE, currentUserName = 'You', onRetry = () => {}, onDiscard = () => {}, dividerAfter, nameOf, target } = props;
  const virtuoso = useRef<VirtuosoHandle>(null);
  const scroller = useRef<HTMLElement | null>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [highlight, setHighlight] = useState<string>();
  // The newest message the reader has seen at the bottom: "N new" counts what came after it.
  const [seen, setSeen] = useState<string | undefined>(() => messages.at(-1)?.messageId);
  const olderRequest = useRef<unknown>(undefined);
  const newerRequest = useRef<unknown>(undefined);

  const rows = useMemo(() => timelineRows({ messages, outgoing, dividerAfter }), [messages, outgoing, dividerAfter]);
  const firstItemIndex = useFirstItemIndex(rows);
  const newest = messages.at(-1)?.messageId;
  const unseen = atBottom && !hasNewer ? 0 : newSince(messages, seen, currentUserId);

  useEffect(() => {
    if (atBottom && !hasNewer) setSeen(newest);
  }, [atBottom, hasNewer, newest]);

  // A request is settled once its page arrived (the first message changed) or it finished.
  const first = messages[0]?.messageId;
  useKeepPlace(scroller, first);
  useEffect(() => void (olderRequest.current = undefined), [first, hasOlder]);
  const last = messages.at(-1)?.messageId;
  useEffect(() => void (newerRequest.current = undefined), [last, hasNewer]);

  const loadOlder = useCallback(() => {
    if (!hasOlder || loadingOlder || olderRequest.current) return;
    const request = Promise.resolve(onLoadOlder()).finally(() => {
      if (olderRequest.current === request) olderRequest.current = undefined;
    });
    olderRequest.current = request;
  }, [hasOlder, loadingOlder, onLoadOlder]);

  const { onLoadNewer } = props;
  const loadNewer = useCallback(() => {
    if (!hasNewer || !onLoadNewer || newerRequest.current) return;
    const request = Promise.resolve(onLoadNewer()).finally(() => {
      if (newerRequest.current === request) newerRequest.current = undefined;
    });
    newerRequest.current = request;
  }, [hasNewer, onLoadNewer]);

  // The person just sent something: show it, wherever they were. In a detached window (after a reply jump, or a
  // room opened at the first of many unread) the present is not loaded: go back to it first, as "Jump to latest"
  // does, so the sent message shows where it belongs.
  const sending = outgoing.at(-1)?.clientMessageId;
  const detached = useRef({ hasNewer, onJumpToLatest: props.onJumpToLatest });
  detached.current = { hasNewer, onJumpToLatest: props.onJumpToLatest };
  useEffect(() => {
    if (sending === undefined) return;
    const { hasNewer: away, onJumpToLatest } = detached.current;
    if (away && onJumpToLatest) {
      toLatest.current = true;
      moved.current = false;
      onJumpToLatest();
    } else virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end' });
  }, [sending]);

  // Reply quotes jump to their original: centre it, focus it, highlight it for a moment.
  const targetIndex = target ? rows.findIndex((r) => r.key === target.messageId) : -1;
  const handled = useRef<number>(undefined);
  useEffect(() => {
    if (!target || targetIndex < 0 || handled.current === target.seq) return;
    handled.current = target.seq;
    virtuoso.current?.scrollToIndex({ index: targetIndex, align: 'center' });
    setHighlight(target.messageId);
    let frames = 0;
    let frame = requestAnimationFrame(function focus() {
      const row = scroller.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(target.messageId)}"]`);
      if (row) row.focus({ preventScroll: true });
      else if (++frames < 30) frame = requestAnimationFrame(focus);
    });
    const timer = setTimeout(() => setHighlight(undefined), HIGHLIGHT_MS);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [target, targetIndex]);

  const jumpToLatest = () => {
    if (hasNewer && props.onJumpToLatest) {
      // The feed reloads the newest page and the list mounts again: open it at the newest message, not at the
      // "New messages" divider it opened at first.
      toLatest.current = true;
      moved.current = false;
      props.onJumpToLatest();
    } else virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end' });
    scroller.current?.focus({ preventScroll: true }); // The button is about to disappear: keep focus in the conversation.
  };

  // Where the list opens: the "New messages" divider, else the newest message. Virtuoso reads it once, when it
  // mounts — which is when the first rows exist, not when this component mounts (history may still be loading).
  const initial = useRef<{ index: number; align: 'start' | 'end' }>(undefined);
  /** Set by "Jump to latest" while a detached window is shown: the next mount opens at the newest message. */
  const toLatest = useRef(false);
  // Virtuoso mounts at scrollTop 0 and then moves to the initial item: "at the top" at that moment is not the
  // reader's doing. Older pages are asked for once the top was left and reached again — or, checked a moment
  // after each change of the oldest message (Virtuoso has measured by then), while everything fits on screen.
  const leftTop = useRef(false);
  /** The reader scrolled by hand (the first positioning stops correcting itself then). */
  const moved = useRef(false);
  const atTop = useRef(false);
  // While history (re)loads the list is unmounted; where it opens is decided again when it mounts, and the new list
  // has not been scrolled: a "left the top" of the old one (a reader who scrolled, then pressed "Jump to latest")
  // would make the new one's first "at the top", while it mounts at scrollTop 0, load older pages and stay there.
  if (!historyLoaded) {
    initial.current = undefined;
    leftTop.current = false;
    atTop.current = false;
  }
  if (!initial.current && historyLoaded && rows.length > 0) {
    const divider = toLatest.current ? -1 : rows.findIndex((r) => r.kind === 'new');
    toLatest.current = false;
    initial.current = divider >= 0 ? { index: divider, align: 'start' } : { index: rows.length - 1, align: 'end' };
  }

  const maybeLoadOlder = (allowFit: boolean) => {
    const el = scroller.current;
    if (!el) return;
    const fits = allowFit && el.scrollHeight <= el.clientHeight;
    // Virtuoso's "at top" can be stale: reported at scrollTop 0 while mounting, and not always taken back when it
    // then moves to the bottom (seen on a busy machine). Trusted alone, a reader at the newest message would load
    // the whole history in the background, page after page; so the scroll position must say so too.
    if (atTop.current && el.scrollTop <= AT_TOP_PX && (leftTop.current || fits)) loadOlder();
  };
  // "Left the top" is told by the scroll position itself (Virtuoso starts out "not at top", so it never reports
  // leaving it when it moves to the bottom), or by the reader asking to go up (wheel, touch, keys) — e.g. after
  // landing on "New messages" at the top of what is loaded.
  const onScroll = useCallback((event: Event) => {
    const el = event.currentTarget as HTMLElement;
    if (el.scrollTop > AT_TOP_PX) leftTop.current = true;
    // More than a screen above the bottom is the reader's doing (a scrollbar drag, a script, a find-in-page), never
    // Virtuoso measuring rows: the bottom pin must not pull them back.
    if (el.scrollHeight - el.clientHeight - el.scrollTop > el.clientHeight) moved.current = true;
  }, []);
  const onIntent = useCallback(() => {
    leftTop.current = true;
    moved.current = true;
    latest.current(false);
  }, []);
  const attachScroller = useCallback(
    (el: HTMLElement | Window | null) => {
      const previous = scroller.current;
      previous?.removeEventListener('scroll', onScroll);
      for (const type of INTENT_EVENTS) previous?.removeEventListener(type, onIntent);
      scroller.current = el instanceof HTMLElement ? el : null;
      scroller.current?.addEventListener('scroll', onScroll, { passive: true });
      for (const type of INTENT_EVENTS) scroller.current?.addEventListener(type, onIntent, { passive: true });
    },
    [onScroll, onIntent],
  );
  const latest = useRef(maybeLoadOlder);
  latest.current = maybeLoadOlder;
  useEffect(() => {
    const timer = setTimeout(() => latest.current(true), RECHECK_MS);
    return () => clearTimeout(timer);
  }, [first]);

  // Opening at the newest message: Virtuoso aligns the last row using estimated sizes, which can leave it just
  // below the edge; for a few frames, while rows are measured and the reader has not moved, pin the bottom.
  const shown = historyLoaded && rows.length > 0;
  useEffect(() => {
    if (!shown || initial.current?.align !== 'end') return;
    let frames = 0;
    let frame = requestAnimationFrame(function pin() {
      const el = scroller.current;
      if (el && !moved.current) el.scrollTop = el.scrollHeight;
      if (++frames < PIN_FRAMES) frame = requestAnimationFrame(pin);
    });
    return () => cancelAnimationFrame(frame);
  }, [shown]);

  const context: TimelineContext = { roomId, hasOlder, loading: loadingOlder || olderRequest.current !== undefined, loadOlder, highlight, count: messages.length };

  const renderRow = (_index: number, row: TimelineRow) => {
    switch (row.kind) {
      case 'day':
        return <span className="day-separator-label">{row.label}</span>;
      case 'new':
        return <span data-testid="new-messages-divider">New messages</span>;
      case 'message':
        return <MessageItem message={row.message} own={row.message.authorId === currentUserId} nameOf={nameOf} selfId={currentUserId} />;
      case 'outgoing':
        return <OutgoingItem message={row.message} authorName={currentUserName} onRetry={onRetry} onDiscard={onDiscard} nameOf={nameOf} />;
    }
  };

  return (
    <div className="timeline" data-testid="timeline">
      {!historyLoaded ? (
        <p className="history-start" role="status">
          Loading messages…
        </p>
      ) : rows.length === 0 ? (
        <p className="history-start">No messages yet. Say hello!</p>
      ) : (
        <Virtuoso<TimelineRow, TimelineContext>
          ref={virtuoso}
          className="message-scroller"
          data={rows}
          context={context}
          firstItemIndex={firstItemIndex}
          initialTopMostItemIndex={initial.current}
          computeItemKey={(_index, row) => row.key}
          itemContent={renderRow}
          components={timelineComponents}
          scrollerRef={attachScroller}
          alignToBottom
          followOutput={(bottom) => (bottom && !hasNewer ? 'auto' : false)}
          atBottomThreshold={AT_BOTTOM_PX}
          atBottomStateChange={setAtBottom}
          atTopStateChange={(top) => {
            atTop.current = top;
            if (!top) leftTop.current = true;
            maybeLoadOlder(false);
          }}
          atTopThreshold={AT_TOP_PX}
          endReached={loadNewer}
          increaseViewportBy={OVERSCAN_PX}
        />
      )}
      {(!atBottom || hasNewer) && rows.length > 0 && <JumpToLatest count={unseen} onJump={jumpToLatest} />}
      <Announcer messages={messages} ready={historyLoaded} selfId={currentUserId} nameOf={nameOf} />
    </div>
  );
}
