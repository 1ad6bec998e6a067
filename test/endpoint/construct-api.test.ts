import { Resource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LlmEndpointBase } from '../../lib/endpoint/endpoint-base';
import { InferenceComponentEndpoint } from '../../lib/endpoint/inference-component-endpoint';
import { InstanceType } from '../../lib/endpoint/instance-type';
import { LlmEndpoint } from '../../lib/endpoint/llm-endpoint';
import { llama7b, testStack } from './helpers';

type Statement = { Action: string | string[]; Resource: unknown };

function invokeStatements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement)
    .filter((s) => [s.Action].flat().includes('sagemaker:InvokeEndpoint'));
}

describe('construct API (aws-cdk-lib style)', () => {
  it('endpoints, components and models are Resources; the model is IGrantable through its execution role', () => {
    const stack = testStack();
    const model = llama7b(stack);
    const endpoint = new InferenceComponentEndpoint(stack, 'Endpoint', { instanceType: InstanceType.P4D_24XLARGE, components: [{ name: 'c', model, copies: 2 }] });
    const variant = new LlmEndpoint(stack, 'Variant', { model: llama7b(stack, { instanceType: InstanceType.G5_2XLARGE }, 'Small'), instanceType: InstanceType.G5_2XLARGE });
    for (const r of [model, endpoint, variant, endpoint.components[0]]) expect(r).toBeInstanceOf(Resource);
    expect(model.grantPrincipal).toBe(model.role);
    const bucket = new s3.Bucket(stack, 'Extra');
    bucket.grantRead(model);
    const t = Template.fromStack(stack);
    const modelPolicies = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('s3:GetObject*'));
    expect(modelPolicies).toHaveLength(1);
    expect(JSON.stringify(modelPolicies[0])).toContain(stack.resolve((model.role.node.defaultChild as iam.CfnRole).logicalId));
    // The L1s stay reachable.
    expect(variant.cfnEndpoint.cfnResourceType).toBe('AWS::SageMaker::Endpoint');
    expect(endpoint.components[0].cfnInferenceComponent.cfnResourceType).toBe('AWS::SageMaker::InferenceComponent');
  });

  it('fromEndpointName: ARN in lower case, variant AllTraffic, invoke grants on the endpoint only', () => {
    const stack = testStack();
    const imported = LlmEndpoint.fromEndpointName(stack, 'Imported', 'My-Endpoint');
    expect(imported.endpointName).toBe('My-Endpoint');
    expect(stack.resolve(imported.endpointArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:123456789012:endpoint/my-endpoint']],
    });
    expect(imported.metricInvocations().dimensions).toEqual({ EndpointName: 'My-Endpoint', VariantName: 'AllTraffic' });
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    imported.grantInvoke(role);
    const [statement] = invokeStatements(Template.fromStack(stack));
    expect(statement.Action).toEqual(['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointWithResponseStream']);
    expect(JSON.stringify(statement.Resource)).toContain(':endpoint/my-endpoint');
  });

  it('fromEndpointAttributes with inference components: grantInvoke also covers each component ARN', () => {
    const stack = testStack();
    const imported = LlmEndpointBase.fromEndpointAttributes(stack, 'Imported', { endpointName: 'ep', variantName: 'Blue', inferenceComponentNames: ['Ep-IC'] });
    expect(imported.variantName).toBe('Blue');
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    imported.grantInvoke(role);
    const resources = JSON.stringify(invokeStatements(Template.fromStack(stack)).map((s) => s.Resource));
    expect(resources).toContain(':endpoint/ep"');
    expect(resources).toContain(':inference-component/ep-ic"');
  });

  it('InstanceType.of: catalog lookup with or without the ml. prefix; an unknown name names the field', () => {
    expect(InstanceType.of('g5.2xlarge')).toEqual(InstanceType.G5_2XLARGE);
    expect(InstanceType.G5_12XLARGE.acceleratorCount).toBe(4);
    expect(InstanceType.P4D_24XLARGE.slug).toBe('p4d-24xlarge');
    expect(`${InstanceType.G6E_2XLARGE}`).toBe('ml.g6e.2xlarge');
    expect(() => InstanceType.of('ml.g5.3xlarge')).toThrow(/^instanceType: unknown instance type 'ml\.g5\.3xlarge'/);
    // Each constant is the catalog entry its name spells (G6E_2XLARGE = ml.g6e.2xlarge).
    const constants = Object.entries(InstanceType).filter((e): e is [string, InstanceType] => e[1] instanceof InstanceType);
    expect(constants.length).toBeGreaterThan(10);
    for (const [key, value] of constants) expect(`ml.${key.toLowerCase().replace('_', '.')}`).toBe(value.name);
  });
});
