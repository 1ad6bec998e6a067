import { Names } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { InstanceType } from './instance-type';

/**
 * Stack updates that must not undo or break what the autoscaler does.
 *
 * Instance type. "When you update an endpoint, Application Auto Scaling checks to see whether any of
 * the models on that endpoint are targets for auto scaling. If the update would change the instance
 * type for any model that is a target for auto scaling, the update fails."
 * https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html
 * So an instance-type change must create a new endpoint instead of calling UpdateEndpoint. A new
 * `EndpointName` makes CloudFormation replace AWS::SageMaker::Endpoint ("EndpointName ... Update
 * requires: Replacement"; EndpointConfigName is "No interruption", i.e. UpdateEndpoint:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-endpoint.html ),
 * so endpoint names carry the instance type: a generated name here, and the fleet's names
 * (lib/fleet/names.ts `endpointName`). EndpointName is the resource schema's only create-only
 * property (aws-cloudformation/cfn-lint src/cfnlint/data/schemas/providers/us_east_1/aws-sagemaker-endpoint.json).
 * AWS::SageMaker::InferenceComponent declares no create-only property in that schema set, so a
 * component is moved to the new endpoint by creating a new one: its name (and so its construct id
 * and logical id) changes with the endpoint's (the fleet's component name derives from it).
 *
 * Instance count. UpdateEndpoint applies the new config's variant properties, the instance count
 * among them, unless `RetainAllVariantProperties` is true ("To retain the variant properties of an
 * endpoint when updating it, set RetainAllVariantProperties to true ... The default is false";
 * retained properties are DesiredInstanceCount, DesiredWeight and DataCaptureConfig:
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpoint.html ,
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_VariantProperty.html ). Without it
 * every stack update that touches the config resets an autoscaled variant to InitialInstanceCount.
 */

/** SageMaker endpoint names: 1-63 characters of [a-zA-Z0-9-]. */
const MAX_ENDPOINT_NAME = 63;

/**
 * The endpoint's name: the one given, else `{unique path}-{instance slug}` so that a different
 * instance type is a different name and CloudFormation replaces the endpoint instead of updating it.
 */
export function endpointPhysicalName(scope: IConstruct, instanceType: InstanceType, given?: string): string {
  if (given !== undefined) return given;
  const suffix = `-${instanceType.slug}`;
  return `${Names.uniqueResourceName(scope, { maxLength: MAX_ENDPOINT_NAME - suffix.length, separator: '-' })}${suffix}`;
}

/**
 * Endpoint properties that keep autoscaled capacity across stack updates: set whenever something
 * other than the template owns the instance count (Application Auto Scaling, managed instance scaling).
 */
export function retainScaledVariantProperties(scaled: boolean): { retainAllVariantProperties?: boolean } {
  return scaled ? { retainAllVariantProperties: true } : {};
}
