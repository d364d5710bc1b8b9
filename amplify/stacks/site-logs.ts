/**
 * The site's access-log bucket: S3 server access logs of the content bucket and CloudFront's standard
 * logs land here, so who fetched what (and when) can be answered after an incident. Logs expire, so
 * the bucket never grows without bound.
 */
import { Duration } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { dataRemovalPolicy } from './deployment';

/** How long access logs are kept: long enough for an investigation, short enough to hold little personal data. */
export const ACCESS_LOG_RETENTION_DAYS = 90;

/** Key prefixes inside the log bucket. */
export const LOG_PREFIXES = { s3: 's3-access/', cloudFront: 'cloudfront/' } as const;

/** A private, TLS-only, expiring bucket that S3 and CloudFront may deliver access logs to. */
export function createLogBucket(scope: Construct, id: string): Bucket {
  return new Bucket(scope, id, {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    // CloudFront's standard logging delivers through a bucket ACL, which BUCKET_OWNER_ENFORCED turns off;
    // with BUCKET_OWNER_PREFERRED the bucket still owns every log object.
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    // SSE-S3: CloudFront cannot deliver logs to a bucket encrypted with SSE-KMS.
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_RETENTION_DAYS), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    removalPolicy: dataRemovalPolicy(scope),
  });
}
