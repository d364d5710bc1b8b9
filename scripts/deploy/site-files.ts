/**
 * What the deploy uploads and keeps: cache headers per file, upload order, and which old chunks may go.
 * Pure functions (upload-site.ts runs them against S3) so the rules are tested offline.
 */

/** Next's content-hashed assets: a name never changes content, so browsers may keep them for a year. */
export const IMMUTABLE_PREFIX = '_next/static/';
/** Key prefix of the per-deploy manifests (which chunks each build needs). */
export const MANIFEST_PREFIX = 'deploys/';
/** A replaced build's chunks stay this long, so tabs opened before the deploy keep loading them. */
export const GRACE_DAYS = 7;

export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything whose name does not change with its content: browsers and CloudFront revalidate each time. */
export const CACHE_REVALIDATE = 'public, max-age=0, must-revalidate';

/** Cache-Control for one key. */
export function cacheControlFor(key: string): string {
  return key.startsWith(IMMUTABLE_PREFIX) ? CACHE_IMMUTABLE : CACHE_REVALIDATE;
}

/** Upload phases, in order: chunks before anything that references them, pages last. */
export type Phase = 'immutable' | 'other' | 'pages';

/** The phase of one key: hashed assets, then config and other files, then HTML. */
export function phaseOf(key: string): Phase {
  if (key.startsWith(IMMUTABLE_PREFIX)) return 'immutable';
  return key.endsWith('.html') ? 'pages' : 'other';
}

/** One deploy's record: the build's commit, when it went live, the hashed assets it needs. */
export interface DeployManifest {
  readonly commit: string;
  readonly deployedAt: string;
  readonly keys: readonly string[];
}

/**
 * Keys under IMMUTABLE_PREFIX that no build still needs: not the live build's, not the previous one's,
 * and not those of a build replaced less than GRACE_DAYS ago. Manifests are ordered by deployedAt.
 */
export function chunksToDelete(
  existing: readonly string[],
  manifests: readonly DeployManifest[],
  now: Date,
  graceDays = GRACE_DAYS,
): string[] {
  const sorted = [...manifests].sort((a, b) => a.deployedAt.localeCompare(b.deployedAt));
  if (sorted.length === 0) return []; // no record of what is live: delete nothing
  const cutoff = now.getTime() - graceDays * 86_400_000;
  const keep = new Set<string>();
  sorted.forEach((manifest, i) => {
    const replacedAt = sorted[i + 1]?.deployedAt;
    const live = i >= sorted.length - 2 || (replacedAt !== undefined && Date.parse(replacedAt) > cutoff);
    if (live) for (const key of manifest.keys) keep.add(key);
  });
  return existing.filter((key) => key.startsWith(IMMUTABLE_PREFIX) && !keep.has(key));
}

/** Manifests no longer needed to decide anything: those of builds replaced more than the grace period ago. */
export function manifestsToDelete(manifests: ReadonlyArray<DeployManifest & { key: string }>, now: Date, graceDays = GRACE_DAYS): string[] {
  const sorted = [...manifests].sort((a, b) => a.deployedAt.localeCompare(b.deployedAt));
  const cutoff = now.getTime() - graceDays * 86_400_000;
  return sorted.filter((m, i) => i < sorted.length - 2 && Date.parse(sorted[i + 1]!.deployedAt) <= cutoff).map((m) => m.key);
}
