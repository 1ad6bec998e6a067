/**
 * Application Auto Scaling's scalable dimensions and resource ids of SageMaker resources (pure: Lambda
 * handlers import it without aws-cdk-lib).
 * https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html#autoscaling-RegisterScalableTarget-request-ResourceId
 */
export const VARIANT_INSTANCE_DIMENSION = 'sagemaker:variant:DesiredInstanceCount';
export const COMPONENT_COPY_DIMENSION = 'sagemaker:inference-component:DesiredCopyCount';

/** `endpoint/{endpoint}/variant/{variant}` */
export function variantResourceId(endpointName: string, variantName: string): string {
  return `endpoint/${endpointName}/variant/${variantName}`;
}

/** `inference-component/{name}` */
export function componentResourceId(componentName: string): string {
  return `inference-component/${componentName}`;
}
