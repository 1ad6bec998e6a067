import { getInstanceType, getModel } from '../../lib/catalog';
import { checkDeployment, DEPLOYMENT_RULES, impossibleCombinationProblems, type DeploymentUnderCheck } from '../../lib/endpoint/validation';
import { TGI_START_RULES } from '../../lib/planner/deployment-shape';

const base: DeploymentUnderCheck = {
  model: getModel('llama-2-7b'),
  instance: getInstanceType('ml.g5.12xlarge'),
  region: 'us-east-1',
  layout: 'variant',
  tp: 4,
  copies: 1,
  instances: 1,
  tgi: { maxInputTokens: 4095, maxTotalTokens: 4096, maxBatchPrefillTokens: 4096, maxConcurrentRequests: 128 },
};

const fieldsOf = (d: Partial<DeploymentUnderCheck>): string[] => checkDeployment({ ...base, ...d }).map((p) => `${p.rule}:${p.field}`);

describe('deployment rules', () => {
  it('is a list of small rules with unique ids', () => {
    const ids = DEPLOYMENT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(9);
    // The TGI start rules run as one deployment rule, each problem under its own id.
    expect(TGI_START_RULES.map((r) => r.id)).toEqual([
      'tgi-whole-numbers',
      'tgi-one-input-name',
      'tgi-input-below-total',
      'tgi-total-within-context',
      'tgi-total-within-batch-total',
      'tgi-prefill-covers-input',
      'tgi-prefill-within-batch-total',
      'tgi-shards-fit-gpus',
      'tgi-batch-fits-kv-cache',
    ]);
    for (const rule of TGI_START_RULES) expect(rule.source).toMatch(/github\.com\/huggingface\/text-generation-inference\/blob\/v2\.3\.1\/|config\.json/);
  });

  it('accepts the published layouts', () => {
    expect(checkDeployment(base)).toEqual([]);
    expect(checkDeployment({ ...base, instance: getInstanceType('ml.p4d.24xlarge'), layout: 'inference-components', tp: 1, copies: 8 })).toEqual([]);
  });

  it.each<[string, Partial<DeploymentUnderCheck>, string[]]>([
    ['TP not dividing heads', { tp: 3 }, ['tp-divides-heads:tp']],
    ['TP above accelerators', { instance: getInstanceType('ml.g5.2xlarge') }, ['tp-fits-accelerators:tp']],
    ['copies beyond accelerators', { tp: 1, copies: 5, layout: 'inference-components' }, ['copies-fit-accelerators:copies']],
    ['unsupported instance', { model: getModel('falcon-7b'), tgi: getModel('falcon-7b').tgiDefaults, instance: getInstanceType('ml.p4d.24xlarge'), tp: 1 }, ['instance-supported:instanceType']],
    ['does not fit memory', { model: getModel('llama-2-13b'), tp: 1 }, ['fits-memory:tp']],
    ['input ≥ total', { tgi: { ...base.tgi, maxInputTokens: 4096 } }, ['tgi-input-below-total:tgi.maxInputTokens']],
    ['total > context', { tgi: { ...base.tgi, maxTotalTokens: 8192, maxBatchPrefillTokens: 8192 } }, ['tgi-total-within-context:tgi.maxTotalTokens']],
    ['total > batch total', { tgi: { ...base.tgi, maxBatchTotalTokens: 2048 } }, ['tgi-total-within-batch-total:tgi.maxBatchTotalTokens', 'tgi-prefill-within-batch-total:tgi.maxBatchPrefillTokens']],
    ['prefill > batch total', { tgi: { ...base.tgi, maxBatchTotalTokens: 4096, maxBatchPrefillTokens: 8192 } }, ['tgi-prefill-within-batch-total:tgi.maxBatchPrefillTokens']],
    ['MAX_INPUT_LENGTH beside MAX_INPUT_TOKENS', { extraEnv: { MAX_INPUT_LENGTH: '4095' } }, ['tgi-one-input-name:tgi.env.MAX_INPUT_LENGTH']],
    ['escape hatch breaking input < total', { extraEnv: { MAX_TOTAL_TOKENS: '1000' } }, ['tgi-input-below-total:tgi.maxInputTokens']],
    ['escape hatch shards beyond the GPUs', { extraEnv: { SM_NUM_GPUS: '8' } }, ['tgi-shards-fit-gpus:tgi.env.SM_NUM_GPUS']],
    ['payload above MAX_INPUT_TOKENS', { payload: { inputTokens: 5000, outputTokens: 100 } }, ['payload-fits-tgi-limits:benchmark.inputTokens', 'payload-fits-tgi-limits:benchmark.outputTokens']],
    ['payload above MAX_TOTAL_TOKENS', { payload: { inputTokens: 4000, outputTokens: 256 } }, ['payload-fits-tgi-limits:benchmark.outputTokens']],
    ['prefill < input', { tgi: { ...base.tgi, maxBatchPrefillTokens: 2048 } }, ['tgi-prefill-covers-input:tgi.maxBatchPrefillTokens']],
    ['region without image', { region: 'xx-nowhere-1' }, ['region-has-image:region']],
    ['autoscaling min > max', { autoscaling: { minInstances: 3, maxInstances: 2 } }, ['autoscaling-bounds:autoscaling.minInstances']],
    ['max below initial', { instances: 3, autoscaling: { minInstances: 1, maxInstances: 2 } }, ['autoscaling-bounds:autoscaling.maxInstances']],
  ])('%s', (_name, change, expected) => {
    expect(fieldsOf(change)).toEqual(expected);
  });

  it('reports the memory shortfall in GB', () => {
    const [p] = checkDeployment({ ...base, model: getModel('llama-2-13b'), tp: 1 });
    expect(p.message).toMatch(/llama-2-13b at tp 1 on ml\.g5\.12xlarge is short by \d+\.\d GB/);
  });

  it('separates impossible combinations (matrix skips) from configuration errors', () => {
    expect(impossibleCombinationProblems({ ...base, tp: 8 }).map((p) => p.rule)).toEqual(['tp-fits-accelerators']);
    expect(impossibleCombinationProblems({ ...base, tgi: { ...base.tgi, maxInputTokens: 5000 } })).toEqual([]);
  });
});
