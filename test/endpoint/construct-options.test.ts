import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { InferenceComponentEndpoint } from '../../lib/endpoint/inference-component-endpoint';
import { LlmEndpoint } from '../../lib/endpoint/llm-endpoint';
import { llama7b, P4D, testStack } from './helpers';
import { InstanceType } from '../../lib/endpoint/instance-type';

/** The remaining optional props of both endpoint constructs, one assertion each. */
describe('endpoint construct options', () => {
  it('LlmEndpoint: variant name, RANDOM routing, explicit startup timeout, generated endpoint name', () => {
    const stack = testStack();
    const model = llama7b(stack, { instanceType: InstanceType.of('ml.g5.2xlarge'), tp: 1 });
    const endpoint = new LlmEndpoint(stack, 'Endpoint', { model, instanceType: InstanceType.of('ml.g5.2xlarge'), variantName: 'Blue', routingStrategy: 'RANDOM', startupTimeoutS: 1200 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        Match.objectLike({
          VariantName: 'Blue',
          RoutingConfig: { RoutingStrategy: 'RANDOM' },
          ContainerStartupHealthCheckTimeoutInSeconds: 1200,
          ModelDataDownloadTimeoutInSeconds: 1200,
          InitialInstanceCount: 1,
        }),
      ],
    });
    // Generated from the construct path, ending in the instance type (an instance-type change replaces the endpoint).
    expect(endpoint.endpointName).toMatch(/^Test-Endpoint-[0-9A-F]{8}-g5-2xlarge$/);
    t.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: endpoint.endpointName, RetainAllVariantProperties: Match.absent() });
    expect(endpoint.metricInvocations().dimensions).toMatchObject({ VariantName: 'Blue' });
  });

  it('InferenceComponentEndpoint: instance count and bounds, CPU/memory overrides, a given execution role', () => {
    const stack = testStack();
    const model = llama7b(stack, { tp: 2 });
    const role = iam.Role.fromRoleArn(stack, 'Given', 'arn:aws:iam::123456789012:role/endpoint');
    new InferenceComponentEndpoint(stack, 'Endpoint', {
      instanceType: P4D,
      instanceCount: 2,
      minInstances: 1,
      maxInstances: 3,
      executionRole: role,
      components: [{ name: 'c', model, copies: 8, cpuCoresPerCopy: 4, minMemoryMbPerCopy: 32768 }],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ExecutionRoleArn: 'arn:aws:iam::123456789012:role/endpoint',
      ProductionVariants: [Match.objectLike({ InitialInstanceCount: 2, ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 1, MaxInstanceCount: 3 } })],
    });
    t.hasResourceProperties('AWS::SageMaker::InferenceComponent', {
      Specification: Match.objectLike({
        ComputeResourceRequirements: { NumberOfAcceleratorDevicesRequired: 2, NumberOfCpuCoresRequired: 4, MinMemoryRequiredInMb: 32768 },
        StartupParameters: { ContainerStartupHealthCheckTimeoutInSeconds: Match.anyValue(), ModelDataDownloadTimeoutInSeconds: Match.anyValue() },
      }),
      RuntimeConfig: { CopyCount: 8 },
    });
  });

  it('InferenceComponentEndpoint: managed scaling max covers the max copies', () => {
    const stack = testStack();
    const model = llama7b(stack, { tp: 4 });
    new InferenceComponentEndpoint(stack, 'Endpoint', { instanceType: P4D, components: [{ name: 'c', model, copies: 2, autoscaling: { maxCopies: 6, targetValue: 4 } }] });
    // 6 copies × TP 4 = 24 accelerators = 3 p4d instances.
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 1, MaxInstanceCount: 3 } })],
    });
  });
});
