import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { copyResourceRequirements } from '../../lib/endpoint/inference-component';
import { InferenceComponentEndpoint } from '../../lib/endpoint/inference-component-endpoint';
import { DeploymentValidationError } from '../../lib/endpoint/validation';
import { UserInputError } from '../../lib/errors';
import { llama7b, P4D, testStack } from './helpers';

describe('InferenceComponentEndpoint', () => {
  it.each([
    [8, 1],
    [4, 2],
    [2, 4],
    [1, 8],
  ])('lays out %i copies × TP %i on one p4d.24xlarge', (copies, tp) => {
    const stack = testStack();
    const model = llama7b(stack, { tp });
    new InferenceComponentEndpoint(stack, 'Endpoint', {
      instanceType: P4D,
      endpointName: 'ep',
      components: [{ name: `llama-${copies}x${tp}`, model, copies }],
    });
    const t = Template.fromStack(stack);
    const expected = copyResourceRequirements(P4D.spec, tp);
    t.hasResourceProperties('AWS::SageMaker::InferenceComponent', {
      InferenceComponentName: `llama-${copies}x${tp}`,
      EndpointName: { 'Fn::GetAtt': [Match.anyValue(), 'EndpointName'] },
      VariantName: 'AllTraffic',
      Specification: {
        ModelName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Model'), 'ModelName'] },
        ComputeResourceRequirements: {
          NumberOfAcceleratorDevicesRequired: tp,
          NumberOfCpuCoresRequired: expected.cpuCores,
          MinMemoryRequiredInMb: expected.minMemoryMb,
        },
      },
      RuntimeConfig: { CopyCount: copies },
    });
    // The variant carries no model: the role sits on the endpoint config, scaling is managed.
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ModelExecutionRole'), 'Arn'] },
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          InstanceType: 'ml.p4d.24xlarge',
          InitialInstanceCount: 1,
          ModelName: Match.absent(),
          ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 1, MaxInstanceCount: 1 },
        },
      ],
    });
    t.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { Environment: Match.objectLike({ SM_NUM_GPUS: String(tp) }) } });
  });

  it('derives CPU cores and memory per copy from the instance divided by the copies that fit', () => {
    // p4d: 96 vCPUs = 48 cores, 1152 GiB; half the host memory is promised to copies.
    expect(copyResourceRequirements(P4D.spec, 1)).toEqual({ cpuCores: 6, minMemoryMb: Math.floor((1152 * 1024 * 0.5) / 8) });
    expect(copyResourceRequirements(P4D.spec, 8)).toEqual({ cpuCores: 48, minMemoryMb: 1152 * 1024 * 0.5 });
  });

  it('scales copies on high-resolution concurrent requests per copy', () => {
    const stack = testStack();
    const model = llama7b(stack);
    new InferenceComponentEndpoint(stack, 'Endpoint', {
      instanceType: P4D,
      routingStrategy: 'LEAST_OUTSTANDING_REQUESTS',
      components: [{ name: 'llama-ic', model, copies: 8, autoscaling: { minCopies: 2, maxCopies: 8, targetValue: 12 } }],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'sagemaker',
      ScalableDimension: 'sagemaker:inference-component:DesiredCopyCount',
      ResourceId: 'inference-component/llama-ic',
      MinCapacity: 2,
      MaxCapacity: 8,
    });
    t.hasResource('AWS::ApplicationAutoScaling::ScalableTarget', { DependsOn: [Match.stringLikeRegexp('^EndpointComponentllamaic')] });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution' },
        TargetValue: 12,
      },
    });
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', { ProductionVariants: [Match.objectLike({ RoutingConfig: { RoutingStrategy: 'LEAST_OUTSTANDING_REQUESTS' } })] });
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  it('scales copies on invocations per copy', () => {
    const stack = testStack();
    const model = llama7b(stack);
    new InferenceComponentEndpoint(stack, 'Endpoint', {
      instanceType: P4D,
      components: [{ name: 'llama-ic', model, copies: 4, autoscaling: { maxCopies: 8, targetValue: 100, metric: 'invocations-per-copy' } }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerInferenceComponentInvocationsPerCopy' }, TargetValue: 100 },
    });
  });

  it('scales to zero: min 0 copies and instances, a step policy adding one copy from a NoCapacityInvocationFailures alarm', () => {
    const stack = testStack();
    const model = llama7b(stack);
    new InferenceComponentEndpoint(stack, 'Endpoint', {
      instanceType: P4D,
      components: [{ name: 'llama-zero', model, copies: 2, autoscaling: { maxCopies: 8, targetValue: 8, scaleToZero: true } }],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ ManagedInstanceScaling: { Status: 'ENABLED', MinInstanceCount: 0, MaxInstanceCount: 1 } })],
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ResourceId: 'inference-component/llama-zero', MinCapacity: 0, MaxCapacity: 8 });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ChangeInCapacity',
        MetricAggregationType: 'Maximum',
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
      },
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SageMaker',
      MetricName: 'NoCapacityInvocationFailures',
      Dimensions: [{ Name: 'InferenceComponentName', Value: 'llama-zero' }],
      Statistic: 'Maximum',
      Period: 30,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('ScaleOutFromZero'), 'Arn'] }],
    });
  });

  it('carries several components and grants invoke on the endpoint and each component', () => {
    const stack = testStack();
    const a = llama7b(stack, { tp: 2 }, 'A');
    const b = llama7b(stack, { tp: 1 }, 'B');
    const endpoint = new InferenceComponentEndpoint(stack, 'Endpoint', {
      instanceType: P4D,
      components: [
        { name: 'tp2', model: a, copies: 2 },
        { name: 'tp1', model: b, copies: 4 },
      ],
    });
    const role = new iam.Role(stack, 'Client', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    endpoint.grantInvoke(role);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SageMaker::InferenceComponent', 2);
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Client') }],
      PolicyDocument: { Statement: [Match.objectLike({ Resource: Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('Componenttp2'), 'InferenceComponentArn'] }]) })] },
    });
    expect(endpoint.components[1].metricConcurrentRequestsPerCopy().dimensions).toEqual({ InferenceComponentName: 'tp1' });
  });

  it('rejects copies × TP beyond the accelerators, per component and in total', () => {
    const stack = testStack();
    const model = llama7b(stack, { tp: 2 });
    expect(() => new InferenceComponentEndpoint(stack, 'E1', { instanceType: P4D, components: [{ name: 'x', model, copies: 5 }] })).toThrow(
      /Test\/E1\.components\[x\]\.copies: copies 5 × tp 2 = 10 accelerators, but 1 × ml\.p4d\.24xlarge has 8; allowed copies ≤ 4/,
    );
    let error: unknown;
    try {
      new InferenceComponentEndpoint(stack, 'E2', {
        instanceType: P4D,
        components: [
          { name: 'a', model, copies: 3 },
          { name: 'b', model, copies: 2 },
        ],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toMatch(/Test\/E2\.components: the components need 10 accelerators .* has 8/);
    expect(() => new InferenceComponentEndpoint(stack, 'E3', { instanceType: P4D, components: [{ name: 'bad_name', model, copies: 1 }] })).toThrow(/\.name: 'bad_name' is not a valid/);
    expect(() =>
      new InferenceComponentEndpoint(stack, 'E4', { instanceType: P4D, components: [{ name: 'y', model, copies: 1, autoscaling: { minCopies: 4, maxCopies: 2, targetValue: 1 } }] }),
    ).toThrow(DeploymentValidationError);
  });
});
