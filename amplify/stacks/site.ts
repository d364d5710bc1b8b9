/**
 * The static site: a private S3 bucket served only through CloudFront (Origin Access Control), HTTPS
 * only. CI uploads `out/` (with amplify_outputs.json) after the backend deploys. This stack must not
 * reference the realtime stack: the realtime stack reads the site URL for CORS, so the reverse would
 * be a nested-stack cycle.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { backendType, dataRemovalPolicy } from './deployment';

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

/** Bucket + CloudFront distribution for the exported Next.js site. */
export class Site extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const sandbox = backendType(this) === 'sandbox';
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // The content is a build artefact CI can always re-upload, but a shared site is kept on stack deletion.
      removalPolicy: dataRemovalPolicy(this),
      autoDeleteObjects: sandbox,
    });
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
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      errorResponses: [notFound(403), notFound(404)],
    });
  }

  /** The site's public https:// URL (also the one browser origin the HTTP API always allows). */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
