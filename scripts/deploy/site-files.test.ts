import { describe, expect, it } from 'vitest';
import { CACHE_IMMUTABLE, CACHE_REVALIDATE, cacheControlFor, chunksToDelete, manifestsToDelete, phaseOf, type DeployManifest } from './site-files';

const day = 86_400_000;
const now = new Date('2026-12-02T00:00:00Z');
const ago = (days: number) => new Date(now.getTime() - days * day).toISOString();
const m = (commit: string, days: number, keys: string[]): DeployManifest & { key: string } => ({ key: `deploys/${commit}.json`, commit, deployedAt: ago(days), keys });

describe('cache headers and order', () => {
  it('hashed assets are immutable; HTML, amplify_outputs.json and everything else revalidate', () => {
    expect(cacheControlFor('_next/static/chunks/a1b2.js')).toBe(CACHE_IMMUTABLE);
    for (const key of ['index.html', '404.html', 'amplify_outputs.json', 'csp-hashes.json', 'robots.txt', 'icon.svg', '__next._tree.txt']) {
      expect(cacheControlFor(key), key).toBe(CACHE_REVALIDATE);
    }
    expect(CACHE_REVALIDATE).toMatch(/max-age=0, must-revalidate/);
  });

  it('uploads chunks first and pages last', () => {
    expect(['index.html', 'amplify_outputs.json', '_next/static/x.js'].map(phaseOf)).toEqual(['pages', 'other', 'immutable']);
  });
});

describe('chunksToDelete', () => {
  const existing = ['_next/static/a.js', '_next/static/b.js', '_next/static/c.js', '_next/static/d.js', 'index.html'];

  it('keeps the live and the previous build, whatever their age, and never touches other keys', () => {
    const manifests = [m('old', 30, ['_next/static/a.js']), m('prev', 20, ['_next/static/b.js']), m('live', 10, ['_next/static/c.js'])];
    expect(chunksToDelete(existing, manifests, now)).toEqual(['_next/static/a.js', '_next/static/d.js']);
  });

  it('keeps a build replaced within the grace period, even two deploys back', () => {
    const manifests = [m('two-back', 30, ['_next/static/a.js']), m('prev', 2, ['_next/static/b.js']), m('live', 1, ['_next/static/c.js'])];
    expect(chunksToDelete(existing, manifests, now)).toEqual(['_next/static/d.js']);
  });

  it('deletes nothing without any manifest (first deploy or lost records)', () => {
    expect(chunksToDelete(existing, [], now)).toEqual([]);
  });

  it('forgets manifests of builds replaced longer ago than the grace period', () => {
    const manifests = [m('a', 40, []), m('b', 30, []), m('c', 3, []), m('d', 1, [])];
    expect(manifestsToDelete(manifests, now)).toEqual(['deploys/a.json']);
  });
});
