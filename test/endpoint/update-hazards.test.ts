import { Template } from 'aws-cdk-lib/assertions';
import { InferenceComponentEndpoint } from '../../lib/endpoint/inference-component-endpoint';
import { InstanceType } from '../../lib/endpoint/instance-type';
import { LlmEndpoint, type LlmEndpointProps } from '../../lib/endpoint/llm-endpoint';
import { llama7b, testStack } from './helpers';

/**
 * Stack updates must not break or undo autoscaling (sources in lib/endpoint/update-safety.ts):
 * - an instance-type change of an autoscaled variant fails UpdateEndpoint, so it must replace the
 *   endpoint (a new EndpointName: CloudFormation "Update requires: Replacement");
 * - without RetainAllVariantProperties, UpdateEndpoint resets the autoscaled instance count.
 */
function variant(instanceType: InstanceType, props: Partial<LlmEndpointProps> = {}): Record<string, unknown> {
  const stack = testStack();
  const model = llama7b(stack, { instanceType, tp: 1 });
  new LlmEndpoint(stack, 'Endpoint', { model, instanceType, autoscaling: { minInstances: 1, maxInstances: 4, targetValue: 8 }, ...props });
  const t = Template.fromStack(stack);
  const [endpoint] = Object.values(t.findResources('AWS::SageMaker::Endpoint')) as { Properties: Record<string, unknown> }[];
  const [target] = Object.values(t.findResources('AWS::ApplicationAutoScaling::ScalableTarget')) as { Properties: { ResourceId: unknown } }[];
  return { ...endpoint.Properties, scalableResourceId: target?.Properties.ResourceId };
}

describe('update hazards of autoscaled endpoints', () => {
  it('an instance-type change gives the endpoint a new name (replacement), and the scalable target follows it', () => {
    const small = variant(InstanceType.G5_2XLARGE);
    const large = variant(InstanceType.G5_4XLARGE);
    expect(small.EndpointName).toMatch(/-g5-2xlarge$/);
    expect(large.EndpointName).toMatch(/-g5-4xlarge$/);
    expect(small.EndpointName).not.toEqual(large.EndpointName);
    expect(JSON.stringify(small.scalableResourceId)).toContain('EndpointName');
    // The same instance type keeps the same name: an ordinary update stays an update.
    expect(variant(InstanceType.G5_2XLARGE).EndpointName).toEqual(small.EndpointName);
  });

  it('an explicit endpoint name is kept as given (the fleet puts the instance type in it)', () => {
    expect(variant(InstanceType.G5_2XLARGE, { endpointName: 'fleet-x-g5-2xlarge' }).EndpointName).toBe('fleet-x-g5-2xlarge');
  });

  it('an autoscaled variant retains its variant properties across updates; a fixed one takes the template’s count', () => {
    expect(variant(InstanceType.G5_2XLARGE).RetainAllVariantProperties).toBe(true);
    expect(variant(InstanceType.G5_2XLARGE, { autoscaling: undefined }).RetainAllVariantProperties).toBeUndefined();
  });

  it('an inference-component endpoint (managed instance scaling) always retains its variant properties', () => {
    const stack = testStack();
    new InferenceComponentEndpoint(stack, 'Endpoint', { instanceType: InstanceType.P4D_24XLARGE, components: [{ name: 'c', model: llama7b(stack), copies: 2 }] });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Endpoint', { RetainAllVariantProperties: true });
  });
});
