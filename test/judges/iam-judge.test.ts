import { ApplicationAutoScalingClient, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { IamJudge } from '../../loadtest/local/judges/iam/iam-judge';
import { templateRoles, type TemplateResources } from '../../loadtest/local/judges/iam/template-roles';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';

const ctx = { region: 'us-east-1', account: '123456789012' };
const ENDPOINT = 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/bench';

/** A template with one role whose policy uses the intrinsics CDK writes. */
function template(statements: Record<string, unknown>[]): TemplateResources {
  return {
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket' },
      Worker: { Type: 'AWS::IAM::Role', Properties: {} },
      WorkerPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyName: 'p', Roles: [{ Ref: 'Worker' }], PolicyDocument: { Version: '2012-10-17', Statement: statements } },
      },
    },
  };
}

describe('IAM judge', () => {
  it('resolves Fn::Join / Fn::GetAtt / Ref ARNs in the policies of a role', () => {
    const roles = templateRoles(
      template([{ Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/runs/*']] } }]),
      ctx,
    );
    const worker = roles.get('Worker');
    expect(worker?.arn).toBe('arn:aws:iam::123456789012:role/worker');
    expect(worker?.policies[0]?.document.Statement[0]).toMatchObject({ Resource: 'arn:aws:s3:::bucket/runs/*' });
  });

  it('an invocation naming an inference component needs the endpoint and the component allowed', async () => {
    const endpointOnly = new IamJudge(templateRoles(template([{ Effect: 'Allow', Action: 'sagemaker:InvokeEndpoint', Resource: ENDPOINT }]), ctx), ctx);
    const call = (component?: string) => ({
      action: 'sagemaker:InvokeEndpoint',
      resources: [{ type: 'endpoint', name: 'bench' }, ...(component ? [{ type: 'inference-component', name: component }] : [])],
    });
    await expect(endpointOnly.authorize('Worker', call())).resolves.toEqual({ allowed: true });
    await expect(endpointOnly.authorize('Worker', call('bench-ic'))).resolves.toEqual({
      allowed: false,
      code: 'AccessDeniedException',
      message:
        'User: arn:aws:sts::123456789012:assumed-role/worker/offline is not authorized to perform: sagemaker:InvokeEndpoint on resource: ' +
        'arn:aws:sagemaker:us-east-1:123456789012:inference-component/bench-ic because no identity-based policy allows the sagemaker:InvokeEndpoint action',
    });
    const both = new IamJudge(
      templateRoles(template([{ Effect: 'Allow', Action: 'sagemaker:InvokeEndpoint', Resource: [ENDPOINT, 'arn:aws:sagemaker:us-east-1:123456789012:inference-component/bench-ic'] }]), ctx),
      ctx,
    );
    await expect(both.authorize('Worker', call('bench-ic'))).resolves.toEqual({ allowed: true });
    expect(both.judged.map((j) => j.resource)).toEqual([ENDPOINT, 'arn:aws:sagemaker:us-east-1:123456789012:inference-component/bench-ic']);
  });

  it('condition keys (s3:prefix) and an unknown caller', async () => {
    const judge = new IamJudge(
      templateRoles(template([{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { StringLike: { 's3:prefix': ['runs/*'] } } }]), ctx),
      ctx,
    );
    const list = (prefix: string) => ({ action: 's3:ListBucket', resources: [{ arn: 'arn:aws:s3:::b' }], context: { 's3:prefix': prefix } });
    await expect(judge.authorize('Worker', list('runs/x/'))).resolves.toEqual({ allowed: true });
    await expect(judge.authorize('Worker', list('latest/x/'))).resolves.toMatchObject({ allowed: false });
    await expect(judge.authorize(undefined, list('runs/x/'))).resolves.toMatchObject({ allowed: false, code: 'UnrecognizedClientException' });
  });
});

describe('the local endpoint asks the IAM judge, and the SDK raises what AWS would', () => {
  let endpoint: LocalEndpoint;
  const judge = new IamJudge(templateRoles(template([{ Effect: 'Allow', Action: ['sagemaker:InvokeEndpoint', 'sagemaker:DescribeEndpoint'], Resource: ENDPOINT }]), ctx), ctx);
  const credentials = { accessKeyId: 'Worker', secretAccessKey: 'x' };
  beforeAll(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    endpoint = await startLocalEndpoint({
      model: 'llama-2-7b',
      instance: 'ml.g5.12xlarge',
      tp: 1,
      copies: 4,
      endpointName: 'bench',
      inferenceComponents: ['bench-ic'],
      speedup: 100,
      authorize: (key, call) => judge.authorize(key, call),
    });
  });
  afterAll(() => endpoint.close());

  it('InvokeEndpoint with InferenceComponentName: AccessDeniedException naming the component', async () => {
    const runtime = new SageMakerRuntimeClient({ endpoint: endpoint.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const body = JSON.stringify({ inputs: 'Hi', parameters: { max_new_tokens: 2 } });
    await expect(
      runtime.send(new InvokeEndpointCommand({ EndpointName: 'bench', InferenceComponentName: 'bench-ic', Body: body, ContentType: 'application/json' })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 }, message: expect.stringContaining('inference-component/bench-ic') });
    runtime.destroy();
  });

  it('DescribeEndpoint as the role is allowed; as an unknown key it is refused', async () => {
    const allowed = new SageMakerClient({ endpoint: endpoint.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    await expect(allowed.send(new DescribeEndpointCommand({ EndpointName: 'bench' }))).resolves.toMatchObject({ EndpointStatus: 'InService' });
    const stranger = new SageMakerClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'nobody', secretAccessKey: 'x' }, maxAttempts: 1 });
    await expect(stranger.send(new DescribeEndpointCommand({ EndpointName: 'bench' }))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    allowed.destroy();
    stranger.destroy();
  });

  it('Application Auto Scaling calls are judged too (no scaling permission: AccessDeniedException)', async () => {
    const scaling = new ApplicationAutoScalingClient({ endpoint: endpoint.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    await expect(
      scaling.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'sagemaker',
          ResourceId: 'inference-component/bench-ic',
          ScalableDimension: 'sagemaker:inference-component:DesiredCopyCount',
          SuspendedState: { DynamicScalingInSuspended: true, DynamicScalingOutSuspended: true },
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('application-autoscaling:RegisterScalableTarget') });
    scaling.destroy();
  });
});
