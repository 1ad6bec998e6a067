import { UnknownNameError, UserInputError } from '../../lib/errors';
import {
  closeMatches,
  getInstanceType,
  getModel,
  getTgiImage,
  jumpStartModelDataS3Uri,
  listInstanceTypes,
  listModels,
  listTgiImageRegions,
} from '../../lib/catalog';

describe('getModel', () => {
  it('finds a model by short id', () => {
    const model = getModel('llama-2-7b');
    expect(model.jumpStartId).toBe('meta-textgeneration-llama-2-7b');
    expect(model.layers).toBe(32);
  });

  it('finds a model by JumpStart id, case and whitespace insensitive', () => {
    expect(getModel('meta-textgeneration-llama-2-7b-f').id).toBe('llama-2-7b-chat');
    expect(getModel(' HUGGINGFACE-LLM-MIXTRAL-8X7B ').id).toBe('mixtral-8x7b');
  });

  it('has every model of the published study and the newer ones', () => {
    const ids = listModels().map((m) => m.id);
    for (const id of [
      'llama-2-7b', 'llama-2-7b-chat', 'llama-2-13b', 'llama-2-13b-chat', 'llama-2-70b', 'llama-2-70b-chat',
      'mistral-7b', 'mistral-7b-instruct', 'mixtral-8x7b', 'falcon-7b', 'falcon-7b-instruct', 'falcon-40b',
      'falcon-40b-instruct', 'falcon-180b', 'falcon-180b-chat', 'llama-3-1-8b', 'llama-3-1-70b', 'qwen2-5-7b-instruct',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('fails on an unknown name with close matches, nearest first', () => {
    let error: unknown;
    try {
      getModel('llama-2-7', 'deployments[0].model');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownNameError);
    const unknown = error as UnknownNameError;
    expect(unknown.field).toBe('deployments[0].model');
    expect(unknown.suggestions[0]).toBe('llama-2-7b');
    expect(unknown.message).toMatch(/^deployments\[0\]\.model: unknown model 'llama-2-7'; did you mean 'llama-2-7b'/);
  });

  it('lists the known models when nothing is close', () => {
    expect(() => getModel('gpt-4')).toThrow(/^model: unknown model 'gpt-4'; known models: llama-2-7b, .*mistral-7b.*qwen2-5-7b-instruct/);
  });
});

describe('getInstanceType', () => {
  it('accepts names with and without the ml. prefix', () => {
    expect(getInstanceType('ml.g5.2xlarge').acceleratorCount).toBe(1);
    expect(getInstanceType('g5.2xlarge').name).toBe('ml.g5.2xlarge');
    expect(getInstanceType('ML.P4D.24XLARGE').accelerator.memoryGB).toBe(40);
  });

  it('lists every instance type the catalog promises: the study\'s and the newer families', () => {
    const names = listInstanceTypes().map((i) => i.name);
    const expected = [
      ...['xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge'].map((s) => `ml.g5.${s}`),
      ...['xlarge', '2xlarge', '12xlarge', '48xlarge'].map((s) => `ml.g6.${s}`),
      ...['xlarge', '2xlarge', '12xlarge', '48xlarge'].map((s) => `ml.g6e.${s}`),
      'ml.p4d.24xlarge', 'ml.p4de.24xlarge', 'ml.p5.48xlarge',
    ];
    expect([...names].sort()).toEqual([...expected].sort());
  });

  it('suggests the intended name for a typo', () => {
    expect(() => getInstanceType('g5.2xlarg')).toThrow(/unknown instance type 'g5.2xlarg'; did you mean 'ml.g5.2xlarge'/);
    expect(() => getInstanceType('ml.p4.24xlarge', 'instance')).toThrow(/^instance: .*'ml.p4d.24xlarge'/);
    expect(() => getInstanceType('cpu')).toThrow(/^instance: unknown instance type 'cpu'; known instance types: ml.g5.xlarge, .*ml.p5.48xlarge/);
  });
});

describe('closeMatches', () => {
  it('includes substring matches and caps the list at five', () => {
    // Nearest by edit distance first: 'falcon-7b' is 3 edits away, 'falcon-180b-chat' 10.
    expect(closeMatches('falcon', listModels().map((m) => m.id))).toEqual([
      'falcon-7b', 'falcon-40b', 'falcon-180b', 'falcon-180b-chat', 'falcon-7b-instruct',
    ]);
    expect(closeMatches('', ['a'])).toEqual([]);
  });
});

describe('getTgiImage', () => {
  it.each(['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-1', 'ap-southeast-2'])(
    'builds the ECR URI in %s',
    (region) => {
      const image = getTgiImage(region);
      expect(image.uri).toBe(`763104351884.dkr.ecr.${region}.amazonaws.com/huggingface-pytorch-tgi-inference:${image.tag}`);
      expect(image.tag).toMatch(/^\d+\.\d+\.\d+-tgi\d+\.\d+\.\d+-gpu-py3\d+-cu\d+-ubuntu\d+\.\d+$/);
    },
  );

  it('uses the regional account where it differs', () => {
    expect(getTgiImage('af-south-1').accountId).toBe('626614931356');
  });

  it('fails for a region without an image and lists the regions that have one', () => {
    let error: unknown;
    try {
      getTgiImage('mars-east-1', 'fleet.region');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserInputError);
    const message = (error as Error).message;
    expect(message).toMatch(/^fleet\.region: no TGI .* 'mars-east-1'/);
    for (const region of listTgiImageRegions()) expect(message).toContain(region);
  });
});

describe('jumpStartModelDataS3Uri', () => {
  it('puts gated models in the private cache bucket of the region', () => {
    expect(jumpStartModelDataS3Uri(getModel('llama-2-7b'), 'us-west-2')).toBe(
      's3://jumpstart-private-cache-prod-us-west-2/meta-textgeneration/meta-textgeneration-llama-2-7b/artifacts/inference-prepack/v1.0.0/',
    );
    expect(jumpStartModelDataS3Uri(getModel('llama-3-1-8b-instruct'), 'eu-west-2')).toBe(
      's3://jumpstart-private-cache-prod-eu-west-2/meta-textgeneration/meta-textgeneration-llama-3-1-8b-instruct/artifacts/inference-prepack/v2.0.0/',
    );
    expect(jumpStartModelDataS3Uri(getModel('mistral-7b'), 'eu-west-1')).toMatch(
      /^s3:\/\/jumpstart-cache-prod-eu-west-1\/huggingface-llm\/huggingface-llm-mistral-7b\//,
    );
  });
});
