/** The shapes of the local control plane's resources: statuses, specs, and views as Describe* shows them. */

export type EndpointStatus = 'Creating' | 'InService' | 'Updating' | 'RollingBack' | 'Failed';
export type ComponentStatus = 'Creating' | 'InService' | 'Updating' | 'Failed';

/**
 * What SageMaker answers an invocation of a component with no copy (HTTP 400 ValidationError),
 * as quoted in AWS's launch post of scale to zero (2024-12-03):
 * https://aws.amazon.com/blogs/machine-learning/unlock-cost-savings-with-the-new-scale-down-to-zero-feature-in-sagemaker-inference/
 */
export const NO_CAPACITY_MESSAGE =
  'Inference Component has no capacity to process this request. ApplicationAutoScaling may be in-progress (if configured) ' +
  'or try to increase the capacity by invoking UpdateInferenceComponentRuntimeConfig API.';

export interface ComponentSpec {
  readonly name: string;
  /** CopyCount at creation (endpoint-wide). */
  readonly copies: number;
  /** Accelerators per copy. */
  readonly gpus: number;
}

export interface EndpointSpec {
  readonly endpointName: string;
  readonly endpointConfigName: string;
  readonly variantName: string;
  readonly instanceType: string;
  readonly instances: number;
  readonly components: readonly ComponentSpec[];
  /** Where creation ends: Failed exercises a pipeline's failure path. */
  readonly settledStatus: 'InService' | 'Failed';
  readonly failureReason: string;
  readonly region: string;
  readonly account: string;
}

export interface EndpointView {
  readonly status: EndpointStatus;
  readonly creationMs: number;
  readonly lastModifiedMs: number;
  readonly desiredInstances: number;
  readonly currentInstances: number;
  readonly failureReason?: string;
}

export interface ComponentView {
  readonly spec: ComponentSpec;
  readonly status: ComponentStatus;
  readonly creationMs: number;
  readonly lastModifiedMs: number;
  readonly desiredCopies: number;
  readonly currentCopies: number;
}
