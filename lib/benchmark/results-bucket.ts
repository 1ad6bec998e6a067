import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface ResultsBucketProps {
  /**
   * Days after which raw records (records/*.jsonl.gz) move to Infrequent Access.
   * @default 30
   */
  readonly recordsInfrequentAccessAfterDays?: number;
  /**
   * Days after which replaced (noncurrent) object versions are deleted.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * What happens to the buckets when the stack is deleted.
   * @default RemovalPolicy.RETAIN - benchmark history outlives the stack
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The results bucket (runs/{deployment}/{runId}/…, latest/{deployment}/…): S3-managed encryption,
 * SSL only, public access blocked, versioned, lifecycle rules, server access logs to a second bucket.
 */
export class ResultsBucket extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ResultsBucketProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket of the results bucket; logging it into itself would loop.',
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'results/',
      lifecycleRules: [
        {
          id: 'records-to-infrequent-access',
          prefix: 'runs/',
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(props.recordsInfrequentAccessAfterDays ?? 30) },
          ],
        },
        { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpirationDays ?? 90) },
      ],
      removalPolicy,
    });
  }
}
