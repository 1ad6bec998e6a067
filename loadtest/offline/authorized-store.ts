import type { AuthorizationDecision, AwsCall } from '../local/judges/aws-call';
import type { ResultStore } from '../pipeline/result-store';

/**
 * The results bucket as one pipeline step sees it offline: every store operation is the S3 call
 * S3Store makes for it, authorized against the step's role before the local folder answers.
 * Actions and resources: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * (GetObject and HeadObject → s3:GetObject on the object; PutObject, conditional or not → s3:PutObject;
 * DeleteObject → s3:DeleteObject; ListObjectsV2
 * → s3:ListBucket on the bucket with the `s3:prefix` condition key). Without s3:ListBucket, S3
 * answers a missing key with 403 rather than 404
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions").
 */

export class AccessDeniedError extends Error {
  /** What the SDK reads: S3 calls the code AccessDenied, JSON services AccessDeniedException. */
  public readonly $metadata = { httpStatusCode: 403 };

  constructor(
    public readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

export type Authorize = (call: AwsCall) => Promise<AuthorizationDecision>;

export class AuthorizedStore implements ResultStore {
  constructor(
    private readonly inner: ResultStore,
    private readonly bucket: string,
    private readonly authorize: Authorize,
  ) {}

  public locate(key: string): string {
    return this.inner.locate(key);
  }

  public async getJson<T>(key: string): Promise<T | undefined> {
    await this.readable(key);
    return this.inner.getJson<T>(key);
  }

  public async getBytes(key: string): Promise<Uint8Array | undefined> {
    await this.readable(key);
    return this.inner.getBytes(key);
  }

  public async putJson(key: string, value: unknown): Promise<void> {
    await this.require('s3:PutObject', this.objectArn(key));
    return this.inner.putJson(key, value);
  }

  public async putText(key: string, text: string, contentType?: string): Promise<void> {
    await this.require('s3:PutObject', this.objectArn(key));
    return this.inner.putText(key, text, contentType);
  }

  public async putBytes(key: string, bytes: Uint8Array, contentType?: string): Promise<void> {
    await this.require('s3:PutObject', this.objectArn(key));
    return this.inner.putBytes(key, bytes, contentType);
  }

  public async list(prefix: string): Promise<string[]> {
    await this.require('s3:ListBucket', `arn:aws:s3:::${this.bucket}`, { 's3:prefix': prefix });
    return this.inner.list(prefix);
  }

  /** A conditional PutObject (If-None-Match): s3:PutObject on the object. */
  public async createIfAbsent(key: string, text: string, contentType?: string): Promise<boolean> {
    await this.require('s3:PutObject', this.objectArn(key));
    return this.inner.createIfAbsent(key, text, contentType);
  }

  /** DeleteObject: s3:DeleteObject on the object. */
  public async delete(key: string): Promise<void> {
    await this.require('s3:DeleteObject', this.objectArn(key));
    return this.inner.delete(key);
  }

  /** GetObject, then a conditional DeleteObject (If-Match). */
  public async takeOverStale(key: string, expected: unknown): Promise<boolean> {
    await this.readable(key);
    await this.require('s3:DeleteObject', this.objectArn(key));
    return this.inner.takeOverStale(key, expected);
  }

  public async exists(key: string): Promise<boolean> {
    await this.readable(key);
    return this.inner.exists(key);
  }

  private objectArn(key: string): string {
    return `arn:aws:s3:::${this.bucket}/${key}`;
  }

  /** GetObject/HeadObject: needs s3:GetObject; a missing key also needs s3:ListBucket to read as missing. */
  private async readable(key: string): Promise<void> {
    await this.require('s3:GetObject', this.objectArn(key));
    if (!(await this.inner.exists(key))) await this.require('s3:ListBucket', `arn:aws:s3:::${this.bucket}`, { 's3:prefix': key });
  }

  private async require(action: string, arn: string, context?: Readonly<Record<string, string>>): Promise<void> {
    const decision = await this.authorize({ action, resources: [{ arn }], ...(context ? { context } : {}) });
    if (!decision.allowed) throw new AccessDeniedError(decision.code === 'AccessDeniedException' ? 'AccessDenied' : decision.code, decision.message);
  }
}
