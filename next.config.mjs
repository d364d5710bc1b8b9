/** Static export: the same `out/` folder is served by S3/CloudFront in AWS and by the local stack. */
import { execFileSync } from 'node:child_process';

/**
 * The build id sits inside every page's inline scripts, so it decides the CSP hashes. Next picks a random
 * one per build; pinning it to the commit makes two builds of one commit byte-identical (the hashes the
 * stack was synthesized with always match the pages uploaded). CI checkouts set GITHUB_SHA; a tree
 * without git (a tarball) gets a fixed id.
 */
export function commitBuildId() {
  if (process.env.GITHUB_SHA) return process.env.GITHUB_SHA;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'no-git';
  }
}

const nextConfig = {
  generateBuildId: async () => commitBuildId(),
  output: 'export',
  images: { unoptimized: true },
  trailingSlash: false,
  reactStrictMode: true,
  // The build checks only the web app; `npm run typecheck` covers the whole repo (backend, tests). `npm test` sets
  // BUILD_SKIP_TYPECHECK=1 on its build stages, which run after its typecheck stage passed: the same code, checked once.
  typescript: { tsconfigPath: 'tsconfig.web.json', ignoreBuildErrors: process.env.BUILD_SKIP_TYPECHECK === '1' },
  poweredByHeader: false,
  // The dev-mode badge covers the composer on small screens.
  devIndicators: false,
  productionBrowserSourceMaps: process.env.SOURCE_MAPS === '1',
  // Turbopack's Buffer polyfill is dead weight on the sign-in page (see lib/no-buffer.ts).
  turbopack: { resolveAlias: { 'next/dist/compiled/buffer': { browser: './lib/no-buffer.ts' } } },
};

export default nextConfig;
