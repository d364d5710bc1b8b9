/**
 * Uploads a built site (out/, with amplify_outputs.json already written into it) to the site bucket
 * without breaking open pages: hashed chunks first (immutable), then config and other files, then the
 * HTML that references them (both revalidated on every load); then a manifest of this build's chunks,
 * then deletes only chunks no build of the last GRACE_DAYS needs (never `s3 sync --delete`).
 *
 *   npx tsx scripts/deploy/upload-site.ts --bucket B [--out out] [--commit SHA] [--dry-run]
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { CSP_HASHES_FILE } from '../../amplify/stacks/csp-hashes';
import { arg, DRY_RUN, fail, run } from './command';
import {
  CACHE_IMMUTABLE,
  CACHE_REVALIDATE,
  chunksToDelete,
  IMMUTABLE_PREFIX,
  MANIFEST_PREFIX,
  manifestsToDelete,
  type DeployManifest,
} from './site-files';

const bucket = arg('bucket');
const out = resolve(arg('out', 'out'));
const commit = arg('commit', process.env.GITHUB_SHA ?? 'local');
const s3 = `s3://${bucket}`;

for (const file of ['index.html', CSP_HASHES_FILE, 'amplify_outputs.json']) {
  if (!existsSync(join(out, file))) {
    fail(
      file === 'amplify_outputs.json'
        ? `${out} has no amplify_outputs.json: write the deployment's outputs into the build first (npx ampx generate outputs --out-dir ${relative('.', out) || '.'})`
        : `${out}/${file} is missing: run \`npm run build\` first`,
    );
  }
}

/** Every file under out/ as an S3 key. */
function keys(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? keys(join(dir, e.name), base) : [relative(base, join(dir, e.name)).split('\\').join('/')],
  );
}
const built = keys(out);

// 1. Chunks (content-hashed names): already-present ones are skipped by size, nothing is deleted.
run('aws', ['s3', 'sync', join(out, IMMUTABLE_PREFIX), `${s3}/${IMMUTABLE_PREFIX}`, '--size-only', '--cache-control', CACHE_IMMUTABLE, '--no-progress']);
// 2. Everything else except the pages: amplify_outputs.json, csp-hashes.json, icons, Next's .txt payloads.
run('aws', ['s3', 'cp', out, s3, '--recursive', '--exclude', `${IMMUTABLE_PREFIX}*`, '--exclude', '*.html', '--cache-control', CACHE_REVALIDATE, '--no-progress']);
// 3. The pages, last: from here on new visitors get the new build, whose chunks are all in place.
run('aws', ['s3', 'cp', out, s3, '--recursive', '--exclude', '*', '--include', '*.html', '--content-type', 'text/html; charset=utf-8', '--cache-control', CACHE_REVALIDATE, '--no-progress']);

// 4. Record what this build needs, then drop chunks no recent build needs.
const now = new Date();
const manifest: DeployManifest = { commit, deployedAt: now.toISOString(), keys: built.filter((k) => k.startsWith(IMMUTABLE_PREFIX)) };
const work = mkdtempSync(join(tmpdir(), 'upload-site-'));
try {
  const manifestFile = join(work, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify(manifest));
  const manifestKey = `${MANIFEST_PREFIX}${manifest.deployedAt.replace(/[:.]/g, '-')}-${commit}.json`;
  run('aws', ['s3', 'cp', manifestFile, `${s3}/${manifestKey}`, '--cache-control', CACHE_REVALIDATE, '--no-progress']);

  const listed = run('aws', ['s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', IMMUTABLE_PREFIX, '--query', 'Contents[].Key', '--output', 'json'], { quiet: true });
  const existing = DRY_RUN ? [] : ((JSON.parse(listed || 'null') as string[] | null) ?? []);
  const manifestsDir = join(work, 'manifests');
  run('aws', ['s3', 'cp', `${s3}/${MANIFEST_PREFIX}`, manifestsDir, '--recursive', '--no-progress'], { quiet: true });
  const manifests = existsSync(manifestsDir)
    ? readdirSync(manifestsDir).map((name) => ({ key: `${MANIFEST_PREFIX}${name}`, ...(JSON.parse(readFileSync(join(manifestsDir, name), 'utf8')) as DeployManifest) }))
    : [manifest].map((m) => ({ key: manifestKey, ...m }));
  const doomed = [...chunksToDelete(existing, manifests, now), ...manifestsToDelete(manifests, now)];
  for (let i = 0; i < doomed.length; i += 1000) {
    const batch = { Objects: doomed.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true };
    run('aws', ['s3api', 'delete-objects', '--bucket', bucket, '--delete', JSON.stringify(batch)], { quiet: true });
  }
  console.log(`uploaded ${built.length} files of ${commit} to ${s3}; removed ${doomed.length} object(s) no build of the grace period needs`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
