/** The "Jump to latest" button shown while the reader is scrolled up, with how many messages came in since. */

export interface JumpToLatestProps {
  /** Messages from others that arrived since the reader left the bottom. */
  count: number;
  onJump: () => void;
}

/** Floats over the bottom of the timeline. Its name reads "Jump to latest" or "Jump to latest, 3 new". */
export function JumpToLatest({ count, onJump }: JumpToLatestProps) {
  return (
    <button type="button" className="jump-latest button-quiet" data-testid="jump-to-latest" onClick={onJump} aria-label={count > 0 ? `Jump to latest, ${count} new` : 'Jump to latest'}>
      Jump to latest
      {count > 0 && (
        <span className="jump-count" data-testid="jump-count">
          {count} new
        </span>
      )}
    </button>
  );
}
