/**
 * Post-build step of `npm run build`: records the sha256 hashes of every inline script and style in
 * out/**\/*.html in out/csp-hashes.json, which the site stack (CloudFront CSP) and the local static
 * server read, and fails the build if the deployed policy would exceed CloudFront's length limit.
 *
 *   npm run build          # next build, then this
 *   npx tsx scripts/csp-hashes.ts [outDir]
 */
import { resolve } from 'node:path';
import { CLOUDFRONT_CSP_MAX_LENGTH } from '../amplify/stacks/csp';
import { CSP_HASHES_FILE, writeSiteHashes } from '../amplify/stacks/csp-hashes';
import { cloudCsp } from '../amplify/stacks/security-headers';

const outDir = resolve(process.argv[2] ?? 'out');
const hashes = writeSiteHashes(outDir);
// Measured with a region name longer than any real one, so every region fits.
const length = cloudCsp('x'.repeat(20), hashes).length;
console.log(
  `${CSP_HASHES_FILE}: ${hashes.scripts.length} inline script(s), ${hashes.styles.length} style element(s), ` +
    `${hashes.styleAttributes.length} style attribute(s) in ${hashes.htmlFiles} page(s); ` +
    `CloudFront CSP ${length}/${CLOUDFRONT_CSP_MAX_LENGTH} characters`,
);
if (length > CLOUDFRONT_CSP_MAX_LENGTH) {
  console.error('The Content-Security-Policy would be too long for CloudFront: fewer distinct inline scripts/styles are needed.');
  process.exit(1);
}
