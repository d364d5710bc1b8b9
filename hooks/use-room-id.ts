'use client';
/**
 * The current room lives in the URL hash (`/#team-42`): a static export on S3/CloudFront needs no server
 * routes for it, links to a room can be shared, and Back/Forward switch rooms.
 */
import { useCallback, useSyncExternalStore } from 'react';
import { DEFAULT_ROOM, roomIdSchema } from '../lib/protocol';

/**
 * The room named by a hash such as `#team-42` (public), `#p_…` (private) or `#dm_…` (direct message); the
 * default room when it is empty, malformed or not a valid room id. Public names are matched case-insensitively.
 */
export function roomFromHash(hash: string): string {
  let candidate: string;
  try {
    candidate = decodeURIComponent(hash.replace(/^#/, '')).trim();
  } catch {
    return DEFAULT_ROOM; // A malformed escape such as `#%` (URIError) must not crash the render.
  }
  for (const id of [candidate, candidate.toLowerCase()]) if (roomIdSchema.safeParse(id).success) return id;
  return DEFAULT_ROOM;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** `[roomId, joinRoom]`: joinRoom updates the hash (and so the history). */
export function useRoomId(): [string, (roomId: string) => void] {
  const roomId = useSyncExternalStore(
    subscribe,
    () => roomFromHash(window.location.hash),
    () => DEFAULT_ROOM,
  );
  const join = useCallback((next: string) => {
    window.location.hash = next === DEFAULT_ROOM ? '' : next;
  }, []);
  return [roomId, join];
}
