import { Match, Template } from 'aws-cdk-lib/assertions';
import { InferenceComponentEndpoint } from '../../lib/endpoint/inference-component-endpoint';
import { InstanceType } from '../../lib/endpoint/instance-type';
import { JumpStartLmiModel, type JumpStartLmiModelProps } from '../../lib/endpoint/jump-start-lmi-model';
import { LlmEndpoint } from '../../lib/endpoint/llm-endpoint';
import { LmiModel } from '../../lib/endpoint/lmi-model';
import { DeploymentValidationError } from '../../lib/endpoint/validation';
import { getModel } from '../../lib/catalog';
import { testStack } from './helpers';

const G5 = InstanceType.of('ml.g5.2xlarge');
const G5_12 = InstanceType.of('ml.g5.12xlarge');

function llama31(props: Partial<JumpStartLmiModelProps> = {}, region = 'us-east-1') {
  const stack = testStack(region);
  const model = new JumpStartLmiModel(stack, 'Model', { modelId: 'llama-3-1-8b', instanceType: G5, tp: 1, acceptEula: true, ...props });
  return { stack, model };
}

describe('LmiModel', () => {
  it('renders the djl-inference image and OPTION_* settings with an explicit OPTION_MAX_ROLLING_BATCH_SIZE, weights from JumpStart at /opt/ml/model', () => {
    const { stack, model } = llama31({ lmi: { maxNumBatchedTokens: 4096, enablePrefixCaching: false }, dtype: 'bfloat16' }, 'eu-south-1');
    new LlmEndpoint(stack, 'Endpoint', { model, instanceType: G5 });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: {
        Image: '692866216735.dkr.ecr.eu-south-1.amazonaws.com/djl-inference:0.36.0-lmi27.0.0-cu130',
        Environment: {
          HF_MODEL_ID: '/opt/ml/model',
          TENSOR_PARALLEL_DEGREE: '1',
          OPTION_ROLLING_BATCH: 'auto',
          OPTION_MAX_ROLLING_BATCH_SIZE: '32',
          OPTION_MAX_MODEL_LEN: '8192',
          OPTION_MAX_NUM_BATCHED_TOKENS: '4096',
          OPTION_ENABLE_PREFIX_CACHING: 'false',
          OPTION_DTYPE: 'bfloat16',
          MAX_CONCURRENT_REQUESTS: '1000',
        },
        ModelDataSource: { S3DataSource: { S3Uri: Match.stringLikeRegexp('^s3://jumpstart-private-cache-prod-eu-south-1/meta-textgeneration/meta-textgeneration-llama-3-1-8b/') } },
      },
    });
    expect(model.engine).toBe('lmi');
    // The role's description names the container it serves.
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { Description: Match.stringLikeRegexp('^Execution role of a LMI model') });
  });

  it("carries JumpStart's own LMI variables (70B: OPTION_ENFORCE_EAGER) under the escape hatch", () => {
    const stack = testStack();
    const model = new JumpStartLmiModel(stack, 'Model', { modelId: 'llama-3-1-70b', instanceType: InstanceType.P4D_24XLARGE, acceptEula: true });
    expect(model.settings.tp).toBe(8);
    expect(model.environment).toMatchObject({ OPTION_ENFORCE_EAGER: 'true', TENSOR_PARALLEL_DEGREE: '8' });
  });

  it('serves inference components as a TgiModel does: accelerators per copy from its TP', () => {
    const stack = testStack();
    const model = new JumpStartLmiModel(stack, 'Model', { modelId: 'llama-3-1-8b', instanceType: G5_12, tp: 1, acceptEula: true, lmi: { maxRollingBatchSize: 64 } });
    new InferenceComponentEndpoint(stack, 'Endpoint', { instanceType: G5_12, endpointName: 'ep', components: [{ name: 'llama31', model, copies: 4 }] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SageMaker::InferenceComponent', { Specification: { ComputeResourceRequirements: { NumberOfAcceleratorDevicesRequired: 1 } }, RuntimeConfig: { CopyCount: 4 } });
    t.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { Environment: Match.objectLike({ OPTION_MAX_ROLLING_BATCH_SIZE: '64' }) } });
  });

  it.each([
    [{ extraEnv: { OPTION_MAX_NUM_SEQS: '256' } }, 'Endpoint.model.settings.extraEnv.OPTION_MAX_NUM_SEQS', /256 disagrees with maxRollingBatchSize 32/],
    [{ lmi: { maxNumBatchedTokens: 16 } }, 'Endpoint.model.settings.maxNumBatchedTokens', /maxNumBatchedTokens 16 is below maxRollingBatchSize 32/],
    [{ tp: 3 }, 'Endpoint.model.settings.tp', /tp 3 must divide llama-3-1-8b's 32 attention heads/],
  ])('refuses invalid LMI settings at the endpoint, naming the prop (%#)', (props, path, wording) => {
    const stack = testStack();
    const model = new JumpStartLmiModel(stack, 'Model', { modelId: 'llama-3-1-8b', instanceType: G5_12, tp: 1, acceptEula: true, ...props });
    let error: unknown;
    try {
      new LlmEndpoint(stack, 'Endpoint', { model, instanceType: G5_12 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeploymentValidationError);
    const issue = (error as DeploymentValidationError).issues.find((i) => i.path.endsWith(path));
    expect(issue?.message).toMatch(wording);
  });

  it('takes explicit settings and the Hub id without S3 weights', () => {
    const stack = testStack();
    const model = new LmiModel(stack, 'Model', {
      model: getModel('qwen2-5-7b-instruct'),
      settings: { tp: 1, rollingBatch: 'auto', maxRollingBatchSize: 256, maxModelLen: 8192, maxConcurrentRequests: 1000 },
    });
    expect(model.environment).toMatchObject({ HF_MODEL_ID: 'Qwen/Qwen2.5-7B-Instruct', OPTION_MAX_ROLLING_BATCH_SIZE: '256' });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: false });
  });
});
