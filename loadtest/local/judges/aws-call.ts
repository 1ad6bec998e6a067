import type { IncomingMessage } from 'node:http';

/**
 * An AWS API call as a local service receives it, described for authorization: the IAM action and
 * the resources it is authorized on. The IAM judge turns resource names into ARNs of its account.
 */

/** A resource of a call: a SageMaker resource type and the resource's name, or a full ARN. */
export type AwsCallResource = { readonly type: string; readonly name: string } | { readonly arn: string };

export interface AwsCall {
  /** `service:Action`, e.g. `sagemaker:InvokeEndpoint`. */
  readonly action: string;
  /**
   * Every resource the action is authorized on for this request; all must be allowed. E.g.
   * InvokeEndpoint with InferenceComponentName: the endpoint and the inference component.
   */
  readonly resources: readonly AwsCallResource[];
  /** Condition keys the request carries (`s3:prefix`, …). */
  readonly context?: Readonly<Record<string, string>>;
}

export type AuthorizationDecision = { readonly allowed: true } | { readonly allowed: false; readonly code: string; readonly message: string };

/** Decides a call made by the principal whose SigV4 access key id is `accessKeyId`. */
export type CallAuthorizer = (accessKeyId: string | undefined, call: AwsCall) => Promise<AuthorizationDecision>;

/**
 * The access key id of a SigV4-signed request (`Authorization: AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, …`):
 * how AWS knows the caller. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html
 */
export function accessKeyIdOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined ? undefined : /Credential=([^/,\s]+)\//.exec(value)?.[1];
}
