import { UserInputError } from '../errors';

/** Bucket and key prefix of an `s3://bucket/prefix/` URI. */
export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
}

export function parseS3Uri(uri: string, field: string): S3Location {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/?(.*)$/.exec(uri);
  if (!match) throw new UserInputError(field, `'${uri}' is not an S3 URI; expected s3://bucket/prefix/`);
  return { bucket: match[1], prefix: match[2] };
}

/** Registry account, region and repository of an ECR image URI, when it is one. */
export interface EcrRepository {
  readonly accountId: string;
  readonly region: string;
  readonly repository: string;
}

export function parseEcrImageUri(uri: string): EcrRepository | undefined {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(uri);
  return match ? { accountId: match[1], region: match[2], repository: match[3] } : undefined;
}
