import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LlmEndpoint } from '../../lib/endpoint/llm-endpoint';
import { startupTimeoutS } from '../../lib/endpoint/startup-timeouts';
import { DeploymentValidationError } from '../../lib/endpoint/validation';
import { LLAMA_2_7B, llama7b, testStack } from './helpers';
import { InstanceType } from '../../lib/endpoint/instance-type';

describe('LlmEndpoint (one model per variant)', () => {
  it('renders one production variant with instance type, count, model and sized timeouts', () => {
    const stack = testStack();
    const model = llama7b(stack, { instanceType: InstanceType.of('ml.g5.12xlarge'), tp: 4 });
    new LlmEndpoint(stack, 'Endpoint', { model, instanceType: InstanceType.of('ml.g5.12xlarge'), instanceCount: 2, endpointName: 'my-endpoint', routingStrategy: 'LEAST_OUTSTANDING_REQUESTS' });
    const t = Template.fromStack(stack);
    const timeout = startupTimeoutS(LLAMA_2_7B);
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          InstanceType: 'ml.g5.12xlarge',
          InitialInstanceCount: 2,
          ModelName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Model'), 'ModelName'] },
          ContainerStartupHealthCheckTimeoutInSeconds: timeout,
          ModelDataDownloadTimeoutInSeconds: timeout,
          RoutingConfig: { RoutingStrategy: 'LEAST_OUTSTANDING_REQUESTS' },
        },
      ],
    });
    t.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'my-endpoint' });
    t.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });

  it('scales instances on high-resolution concurrent requests per model', () => {
    const stack = testStack();
    const model = llama7b(stack, { instanceType: InstanceType.of('ml.g5.2xlarge'), tp: 1 });
    new LlmEndpoint(stack, 'Endpoint', {
      model,
      instanceType: InstanceType.of('ml.g5.2xlarge'),
      endpointName: 'ep',
      autoscaling: { minInstances: 1, maxInstances: 3, targetValue: 20, scaleInCooldownS: 600, scaleOutCooldownS: 30 },
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'sagemaker',
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      ResourceId: { 'Fn::Join': ['', ['endpoint/', { 'Fn::GetAtt': [Match.anyValue(), 'EndpointName'] }, '/variant/AllTraffic']] },
      MinCapacity: 1,
      MaxCapacity: 3,
      RoleARN: Match.absent(),
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantConcurrentRequestsPerModelHighResolution' },
        TargetValue: 20,
        ScaleInCooldown: 600,
        ScaleOutCooldown: 30,
      },
    });
  });

  it('scales instances on invocations per instance with default cool-downs', () => {
    const stack = testStack();
    const model = llama7b(stack, { instanceType: InstanceType.of('ml.g5.2xlarge'), tp: 1 });
    new LlmEndpoint(stack, 'Endpoint', { model, instanceType: InstanceType.of('ml.g5.2xlarge'), autoscaling: { minInstances: 1, maxInstances: 2, targetValue: 70, metric: 'invocations-per-instance' } });
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        TargetValue: 70,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
      },
    });
  });

  it('grants InvokeEndpoint and the streaming variant on the endpoint ARN', () => {
    const stack = testStack();
    const model = llama7b(stack, { instanceType: InstanceType.of('ml.g5.2xlarge'), tp: 1 });
    const endpoint = new LlmEndpoint(stack, 'Endpoint', { model, instanceType: InstanceType.of('ml.g5.2xlarge') });
    const role = new iam.Role(stack, 'Client', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const grant = endpoint.grantInvoke(role);
    expect(grant.success).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Client') }],
      PolicyDocument: {
        Statement: [
          { Action: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointWithResponseStream'], Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('^Endpoint') } },
        ],
      },
    });
  });

  it('exposes invocation, latency, error and setup metrics with endpoint and variant dimensions', () => {
    const stack = testStack();
    const model = llama7b(stack, { instanceType: InstanceType.of('ml.g5.2xlarge'), tp: 1 });
    const endpoint = new LlmEndpoint(stack, 'Endpoint', { model, instanceType: InstanceType.of('ml.g5.2xlarge'), endpointName: 'ep' });
    const byName = (m: { metricName: string; namespace: string; statistic: string; dimensions?: Record<string, unknown> }) => [m.metricName, m.namespace, m.statistic, m.dimensions];
    expect(byName(endpoint.metricInvocations())).toEqual(['Invocations', 'AWS/SageMaker', 'Sum', { EndpointName: 'ep', VariantName: 'AllTraffic' }]);
    expect(byName(endpoint.metricModelLatency())).toEqual(['ModelLatency', 'AWS/SageMaker', 'Average', { EndpointName: 'ep', VariantName: 'AllTraffic' }]);
    expect(endpoint.metricInvocation4XXErrors().metricName).toBe('Invocation4XXErrors');
    expect(endpoint.metricInvocation5XXErrors().metricName).toBe('Invocation5XXErrors');
    expect(endpoint.metricModelSetupTime().metricName).toBe('ModelSetupTime');
    expect(endpoint.metricInvocationsPerInstance().metricName).toBe('InvocationsPerInstance');
    expect(endpoint.metricConcurrentRequestsPerModel().metricName).toBe('ConcurrentRequestsPerModel');
    expect(endpoint.metricGpuUtilization().namespace).toBe('/aws/sagemaker/Endpoints');
  });

  it('validates at construction, naming the construct path, field, value and what is allowed', () => {
    const stack = testStack();
    const model = llama7b(stack, { instanceType: InstanceType.of('ml.p4d.24xlarge'), tp: 8 });
    let error: unknown;
    try {
      new LlmEndpoint(stack, 'Endpoint', { model, instanceType: InstanceType.of('ml.g5.2xlarge'), autoscaling: { minInstances: 3, maxInstances: 2, targetValue: 1 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeploymentValidationError);
    const issues = (error as DeploymentValidationError).issues;
    expect(issues.map((i) => i.path)).toEqual(['Test/Endpoint.model.settings.tp', 'Test/Endpoint.autoscaling.minInstances']);
    expect(issues[0].message).toBe('tp 8 exceeds the 1 accelerators of ml.g5.2xlarge; allowed 1..1');
    expect(issues[1].message).toBe('minInstances 3 exceeds maxInstances 2; allowed ≤ 2');
  });
});
