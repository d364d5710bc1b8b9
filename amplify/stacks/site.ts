/**
 * The static site: a private S3 bucket served only through CloudFront (Origin Access Control), HTTPS
 * only, with the security headers of security-headers.ts on every response and access logs from both
 * S3 and CloudFront. CI uploads `out/` (with amplify_outputs.json) after the backend deploys. This stack
 * must not reference the realtime stack: the realtime stack reads the site URL for CORS, so the reverse
 * would be a nested-stack cycle (hence the region-wide API hosts in connect-src).
 */
import { Aws, Duration } from 'aws-cdk-lib';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import {
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { resolve } from 'node:path';
import { mergeHashes, type InlineHashes } from './csp';
import { readHashesFile, readSiteHashes } from './csp-hashes';
import { dataRemovalPolicy } from './deployment';
import { cloudCsp, securityHeaders } from './security-headers';
import { responseHeadersPolicy } from './site-headers';
import { createLogBucket, LOG_PREFIXES } from './site-logs';

/** Context key naming the static export folder whose csp-hashes.json the CSP allows (default: ./out). */
export const SITE_OUT_DIR_CONTEXT = 'chat:site-out-dir';

/** The repository's `out/`, where `npm run build` writes the export and its csp-hashes.json. */
export const DEFAULT_OUT_DIR = resolve(import.meta.dirname, '../../out');

/** Page Next's static export writes for unknown paths. */
export const NOT_FOUND_PAGE = '/404.html';

/**
 * Next's static export (trailingSlash: false) writes `/about` as `about.html`; S3 has no such key, so
 * extensionless paths are mapped to their `.html` file before CloudFront looks them up.
 */
export const HTML_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/') return request;
  if (uri.endsWith('/')) uri = uri.slice(0, -1);
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = uri + '.html';
  return request;
}`;

/** Options of the site. */
export interface SiteProps {
  /**
   * The live build's csp-hashes.json (CHAT_PREVIOUS_CSP_HASHES): its hashes stay allowed until the next
   * deploy, so pages of the previous build keep starting while the new build uploads.
   */
  readonly previousHashesFile?: string;
}

/** A missing or unusable build: the message says how to fix it. */
export class SiteBuildError extends Error {
  override name = 'SiteBuildError';
}

/** Bucket + CloudFront distribution for the exported Next.js site, and the bucket of their access logs. */
export class Site extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** The Content-Security-Policy CloudFront sends (the region is a CloudFormation token). */
  readonly csp: string;

  constructor(scope: Construct, id: string, props: SiteProps = {}) {
    super(scope, id);
    // S3 server access logs: grant delivery with a bucket policy rather than the legacy log-delivery ACL.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    this.logBucket = createLogBucket(this, 'LogBucket');
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // The content is a build artefact CI can always re-upload, but a shared site is kept on stack deletion.
      removalPolicy: dataRemovalPolicy(this),
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: LOG_PREFIXES.s3,
    });
    this.csp = cloudCsp(Aws.REGION, this.inlineHashes(props.previousHashesFile));
    const headers = responseHeadersPolicy(this, 'SecurityHeaders', securityHeaders(this.csp), 'Chat site: CSP, HSTS, no framing');
    const rewrite = new CloudFrontFunction(this, 'HtmlRewrite', {
      code: FunctionCode.fromInline(HTML_REWRITE_CODE),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Map extensionless paths to the .html files of a Next static export',
    });
    // With OAC and no s3:ListBucket, S3 answers 403 for a missing key: both mean "not found" here.
    const notFound = (httpStatus: number) => ({
      httpStatus,
      responseHttpStatus: 404,
      responsePagePath: NOT_FOUND_PAGE,
      ttl: Duration.seconds(10),
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Chat static site',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      errorResponses: [notFound(403), notFound(404)],
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: LOG_PREFIXES.cloudFront,
    });
  }

  /**
   * Hashes of this build's inline scripts and styles (plus the live build's, when given). Without them
   * the policy would allow no inline code and the deployed page would never start, so a missing
   * out/csp-hashes.json fails synthesis instead of deploying a dead site.
   */
  private inlineHashes(previousFile: string | undefined): InlineHashes {
    const outDir = (this.node.tryGetContext(SITE_OUT_DIR_CONTEXT) as string | undefined) ?? DEFAULT_OUT_DIR;
    const current = readSiteHashes(outDir);
    if (!current) {
      throw new SiteBuildError(
        `No valid ${outDir}/csp-hashes.json: run \`npm run build\` before deploying (the site's Content-Security-Policy is made from this build's inline-script hashes).`,
      );
    }
    if (!previousFile) return current;
    const previous = readHashesFile(previousFile);
    if (!previous) {
      throw new SiteBuildError(`CHAT_PREVIOUS_CSP_HASHES=${previousFile} is not a readable csp-hashes.json: unset it on a first deploy, or download the live one again.`);
    }
    return mergeHashes([current, previous]);
  }

  /** The site's public https:// URL (also the one browser origin the HTTP API always allows). */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
