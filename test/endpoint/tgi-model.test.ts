import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { getModel } from '../../lib/catalog';
import { JumpStartTgiModel } from '../../lib/endpoint/jump-start-tgi-model';
import { startupTimeoutS, weightsGB } from '../../lib/endpoint/startup-timeouts';
import { TgiModel } from '../../lib/endpoint/tgi-model';
import { UserInputError } from '../../lib/errors';
import { llama7b, testStack } from './helpers';
import { InstanceType } from '../../lib/endpoint/instance-type';

const settings = { tp: 1, maxInputTokens: 1024, maxTotalTokens: 2048, maxBatchPrefillTokens: 4096, maxConcurrentRequests: 64 };

describe('JumpStartTgiModel', () => {
  it('uses the JumpStart prepacked artifacts uncompressed, accepts the EULA and isolates the network', () => {
    const stack = testStack();
    llama7b(stack, { instanceType: InstanceType.of('ml.g5.2xlarge'), tp: undefined });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Model', {
      EnableNetworkIsolation: true,
      PrimaryContainer: {
        Image: Match.stringLikeRegexp('^763104351884\\.dkr\\.ecr\\.us-east-1\\.amazonaws\\.com/'),
        ModelDataSource: {
          S3DataSource: {
            S3Uri: Match.stringLikeRegexp('^s3://jumpstart-private-cache-prod-us-east-1/meta-textgeneration/meta-textgeneration-llama-2-7b/'),
            S3DataType: 'S3Prefix',
            CompressionType: 'None',
            ModelAccessConfig: { AcceptEula: true },
          },
        },
        Environment: Match.objectLike({ SM_NUM_GPUS: '1', HF_MODEL_ID: '/opt/ml/model', MAX_INPUT_TOKENS: '4095', MAX_TOTAL_TOKENS: '4096' }),
      },
    });
  });

  it('fails at construction when a gated model lacks acceptEula, naming the field', () => {
    const stack = testStack();
    expect(() => llama7b(stack, { acceptEula: false })).toThrow(UserInputError);
    expect(() => llama7b(stack, { acceptEula: undefined }, 'Other')).toThrow(/Test\/Other\.acceptEula: llama-2-7b is a gated model; set acceptEula: true/);
  });

  it('omits ModelAccessConfig for open models', () => {
    const stack = testStack();
    new JumpStartTgiModel(stack, 'Qwen', { modelId: 'qwen2-5-7b-instruct', instanceType: InstanceType.of('ml.g5.2xlarge') });
    const models = Template.fromStack(stack).findResources('AWS::SageMaker::Model');
    const source = Object.values(models)[0].Properties.PrimaryContainer.ModelDataSource.S3DataSource;
    expect(source.ModelAccessConfig).toBeUndefined();
    expect(source.S3Uri).toMatch(/^s3:\/\/jumpstart-cache-prod-us-east-1\//);
  });

  it('applies TGI overrides over JumpStart defaults', () => {
    const stack = testStack();
    llama7b(stack, { tgi: { maxInputTokens: 512, maxTotalTokens: 1024 }, quantize: 'bitsandbytes', extraEnv: { X: '1' } });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: { Environment: Match.objectLike({ MAX_INPUT_TOKENS: '512', MAX_INPUT_LENGTH: Match.absent(), MAX_TOTAL_TOKENS: '1024', HF_MODEL_QUANTIZE: 'bitsandbytes', X: '1' }) },
    });
  });

  it('creates a least-privilege role: artifact prefix, the DLC repository, SageMaker log groups', () => {
    const stack = testStack();
    llama7b(stack);
    const policy = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policy).toContain('jumpstart-private-cache-prod-us-east-1/meta-textgeneration/meta-textgeneration-llama-2-7b/artifacts/inference-prepack/v1.0.0/*');
    expect(policy).toContain(':ecr:us-east-1:763104351884:repository/huggingface-pytorch-tgi-inference');
    expect(policy).toContain('log-group:/aws/sagemaker/*');
    expect(policy).not.toContain('"s3:*"');
  });
});

describe('TgiModel', () => {
  it('downloads HF_MODEL_ID from the Hub without network isolation when no S3 data is given', () => {
    const stack = testStack();
    new TgiModel(stack, 'Hub', { model: getModel('qwen2-5-7b-instruct'), settings, image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-tgi:3.0' });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Model', {
      EnableNetworkIsolation: false,
      PrimaryContainer: {
        Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-tgi:3.0',
        Environment: Match.objectLike({ HF_MODEL_ID: 'Qwen/Qwen2.5-7B-Instruct', MAX_TOTAL_TOKENS: '2048' }),
        ModelDataSource: Match.absent(),
      },
    });
  });

  it('renders a model.tar.gz as ModelDataUrl', () => {
    const stack = testStack();
    new TgiModel(stack, 'Tar', { model: getModel('qwen2-5-7b-instruct'), settings, modelDataS3Uri: 's3://my-bucket/qwen/model.tar.gz' });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Model', {
      EnableNetworkIsolation: true,
      PrimaryContainer: { ModelDataUrl: 's3://my-bucket/qwen/model.tar.gz', ModelDataSource: Match.absent(), Environment: Match.objectLike({ HF_MODEL_ID: '/opt/ml/model' }) },
    });
  });

  it('refuses network isolation with a Hub download', () => {
    const stack = testStack();
    expect(() => new TgiModel(stack, 'Hub', { model: getModel('qwen2-5-7b-instruct'), settings, enableNetworkIsolation: true })).toThrow(
      /Test\/Hub\.enableNetworkIsolation: network isolation blocks the Hugging Face Hub download/,
    );
  });

  it('uses a given role and creates none', () => {
    const stack = testStack();
    const role = iam.Role.fromRoleArn(stack, 'Given', 'arn:aws:iam::123456789012:role/given');
    new TgiModel(stack, 'M', { model: getModel('qwen2-5-7b-instruct'), settings, modelDataS3Uri: 's3://my-bucket/qwen/', role });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::Role', 0);
    t.hasResourceProperties('AWS::SageMaker::Model', { ExecutionRoleArn: 'arn:aws:iam::123456789012:role/given', EnableNetworkIsolation: true });
  });

  it('rejects a malformed S3 URI and a region without an image', () => {
    expect(() => new TgiModel(testStack(), 'M', { model: getModel('qwen2-5-7b-instruct'), settings, modelDataS3Uri: 'http://x' })).toThrow(
      /modelDataS3Uri: 'http:\/\/x' is not an S3 URI/,
    );
    expect(() => new TgiModel(testStack('xx-nowhere-1'), 'M', { model: getModel('qwen2-5-7b-instruct'), settings, modelDataS3Uri: 's3://bucket-x/p/' })).toThrow(
      /no TGI .* image known for region 'xx-nowhere-1'/,
    );
  });
});

describe('startup timeouts', () => {
  it('sizes 600 s + 20 s/GB of weights, capped at the documented 3600 s', () => {
    expect(weightsGB(getModel('llama-2-7b'))).toBeCloseTo(13.5, 0);
    expect(startupTimeoutS(getModel('llama-2-7b'))).toBe(600 + Math.ceil(weightsGB(getModel('llama-2-7b')) * 20));
    expect(startupTimeoutS(getModel('falcon-180b'))).toBe(3600);
  });
});
