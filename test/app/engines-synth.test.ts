import { resourcesOfType, synthFleet } from './synth-fleet';

/** `cdk synth -c fleet=fleets/examples/engines-llama-3-1-8b.yaml`, offline. */
describe('engines example fleet', () => {
  const { templates } = synthFleet('fleets/examples/engines-llama-3-1-8b.yaml');
  const models = resourcesOfType(templates, 'AWS::SageMaker::Model');
  const containerOf = (stack: string) => models.find((m) => m.stack === stack)?.properties.PrimaryContainer as { Image: string; Environment: Record<string, string> };

  it('creates the LMI deployment with the djl-inference image and OPTION_* settings, the rolling batch size explicit', () => {
    const lmi = containerOf('LlmBench-engines-llama31-llama31-8b-lmi');
    expect(lmi.Image).toBe('763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.36.0-lmi27.0.0-cu130');
    expect(lmi.Environment).toEqual({
      HF_MODEL_ID: '/opt/ml/model',
      TENSOR_PARALLEL_DEGREE: '1',
      OPTION_ROLLING_BATCH: 'auto',
      OPTION_MAX_ROLLING_BATCH_SIZE: '128',
      OPTION_MAX_MODEL_LEN: '4096',
      OPTION_MAX_NUM_BATCHED_TOKENS: '4096',
      MAX_CONCURRENT_REQUESTS: '1000',
    });
  });

  it('creates the TGI deployment of the same model on the same instance with the pinned TGI image', () => {
    const tgi = containerOf('LlmBench-engines-llama31-llama31-8b-tgi');
    expect(tgi.Image).toBe('763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.4.0-tgi2.3.1-gpu-py311-cu124-ubuntu22.04');
    expect(tgi.Environment).toMatchObject({ SM_NUM_GPUS: '1', MAX_TOTAL_TOKENS: '4096', MAX_CONCURRENT_REQUESTS: '128' });
    const variants = resourcesOfType(templates, 'AWS::SageMaker::EndpointConfig').map((c) => (c.properties.ProductionVariants as { InstanceType: string }[])[0].InstanceType);
    expect(variants).toEqual(['ml.g5.2xlarge', 'ml.g5.2xlarge']);
  });
});
