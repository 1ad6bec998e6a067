import { App, Stack } from 'aws-cdk-lib';
import { containerDefaults, getInstanceType, getModel } from '../../lib/catalog';
import { JumpStartTgiModel } from '../../lib/endpoint/jump-start-tgi-model';
import { InstanceType } from '../../lib/endpoint/instance-type';
import { parseFleetYaml } from '../../lib/fleet/load';
import { resolveFleet } from '../../lib/fleet/resolve';
import {
  chooseTp,
  constructPropPath,
  flagLabel,
  fleetPath,
  jumpStartTp,
  kneeBound,
  propLabel,
  resolveTgiSettings,
  supportedInstances,
  TpChoiceError,
} from '../../lib/planner/deployment-shape';
import { planConfiguration } from '../../lib/planner/plan';
import { resolveLocalDeployment } from '../../loadtest/local/deployment';

const STUDY_MODELS = ['llama-2-7b', 'llama-2-13b', 'llama-2-70b', 'mistral-7b', 'mixtral-8x7b', 'falcon-7b', 'falcon-40b', 'falcon-180b'];
const STUDY_INSTANCES = ['ml.g5.2xlarge', 'ml.g5.12xlarge', 'ml.g5.48xlarge', 'ml.p4d.24xlarge', 'ml.p4de.24xlarge'];

describe('chooseTp: one default TP for plan, serve-local, the constructs, the fleet and its matrix', () => {
  const matrix = resolveFleet(
    parseFleetYaml(`name: m\nmaxHourlyUsd: 10000\ndefaults: { acceptEula: true }\nmatrix:\n  models: [${STUDY_MODELS.join(', ')}]\n  instanceTypes: [${STUDY_INSTANCES.join(', ')}]\n  tp: default\n`),
    { region: 'us-east-1' },
  );

  it.each(STUDY_MODELS.flatMap((m) => STUDY_INSTANCES.map((i) => [m, i] as const)))('%s on %s', (modelId, instanceName) => {
    const model = getModel(modelId);
    const instance = getInstanceType(instanceName);
    const plan = planConfiguration({ model, instance, inputTokens: 256, outputTokens: 256 });
    const chosen = chooseTp({ model, instance, tokensPerSequence: resolveTgiSettings(model, instance, 1).maxTotalTokens });
    expect(plan.tp).toBe(chosen.tp);
    const deployed = matrix.deployments.find((d) => d.model.id === modelId && d.instanceType.name === instanceName);
    if (!plan.fits) {
      // A matrix skips what cannot be deployed; serve-local refuses it.
      expect(deployed).toBeUndefined();
      expect(() => resolveLocalDeployment({ model, instance })).toThrow(/does not fit/);
      return;
    }
    // A fleet deploys a model only where it has a JumpStart TP (instance-supported); a matrix skips the rest.
    expect(deployed?.tp).toBe(chosen.tpSource === 'jumpstart-default' ? chosen.tp : undefined);
    expect(resolveLocalDeployment({ model, instance }).tp).toBe(chosen.tp);
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
    expect(new JumpStartTgiModel(stack, 'M', { modelId, instanceType: InstanceType.fromSpec(instance), acceptEula: true }).settings.tp).toBe(chosen.tp);
    // Where JumpStart lists a TP the catalog's SM_NUM_GPUS is it.
    if (chosen.tpSource === 'jumpstart-default') expect(chosen.tp).toBe(containerDefaults(model, instance).smNumGpus);
  });

  it("takes JumpStart's SM_NUM_GPUS where TGI can shard at it and one request fits, else the smallest TP that fits", () => {
    const g5x12 = getInstanceType('ml.g5.12xlarge');
    expect(jumpStartTp(getModel('llama-2-7b'), g5x12)).toBe(4);
    // Falcon 7B has 71 attention heads: JumpStart's SM_NUM_GPUS 4 cannot shard it.
    expect(jumpStartTp(getModel('falcon-7b'), g5x12)).toBeUndefined();
    expect(chooseTp({ model: getModel('falcon-7b'), instance: g5x12, tokensPerSequence: 2048 })).toEqual({ tp: 1, tpSource: 'smallest-fitting' });
    // Falcon 180B's weights do not fit 8 × 40 GB: not supported on p4d, supported on p4de.
    expect(supportedInstances(getModel('falcon-180b')).map((s) => s.instance)).toEqual(expect.arrayContaining(['ml.p4de.24xlarge']));
    expect(supportedInstances(getModel('falcon-180b')).map((s) => s.instance)).not.toContain('ml.p4d.24xlarge');
  });

  it('with several copies, the largest valid TP that lets them fit; too many copies name the field', () => {
    const p4d = getInstanceType('ml.p4d.24xlarge');
    expect(chooseTp({ model: getModel('llama-2-7b'), instance: p4d, copies: 4, tokensPerSequence: 4096 })).toEqual({ tp: 2, tpSource: 'fits-copies' });
    expect(chooseTp({ model: getModel('llama-2-7b'), instance: p4d, copies: 3, instances: 2, tokensPerSequence: 4096 })).toEqual({ tp: 4, tpSource: 'fits-copies' });
    expect(() => chooseTp({ model: getModel('llama-2-7b'), instance: p4d, copies: 9, tokensPerSequence: 4096 })).toThrow(TpChoiceError);
    expect(() => chooseTp({ model: getModel('llama-2-7b'), instance: p4d, requested: 3, tokensPerSequence: 4096 })).toThrow(/TP 3 must divide llama-2-7b's 32 attention heads/);
  });
});

describe('kneeBound', () => {
  const model = getModel('llama-2-7b');
  const instance = getInstanceType('ml.g5.2xlarge');
  const tgi = resolveTgiSettings(model, instance, 1);
  const bound = (over: Partial<typeof tgi>, copies = 1, instances = 1) =>
    kneeBound({ model, instance, tp: 1, tgi: { ...tgi, ...over }, inputTokens: 256, outputTokens: 256, copies, instances });

  it('binds at the smallest of KV batch, B* and MAX_CONCURRENT_REQUESTS, times the replicas', () => {
    expect(bound({})).toMatchObject({ perReplica: 35, limit: 'memory', criticalBatch: 116 });
    expect(bound({ maxConcurrentRequests: 10 })).toMatchObject({ perReplica: 10, limit: 'max-concurrent-requests' });
    expect(bound({ maxBatchTotalTokens: 5120 })).toMatchObject({ perReplica: 10, limit: 'memory', detail: 'MAX_BATCH_TOTAL_TOKENS = 5120 holds 10 sequences per replica × 1 replica = 10' });
    expect(bound({}, 1, 3)).toMatchObject({ concurrency: 105, replicas: 3 });
  });
});

describe('field names', () => {
  it('maps one domain field to the flag, the fleet path and the construct prop', () => {
    expect(flagLabel('maxBatchTotalTokens')).toBe('--max-batch-total-tokens (MAX_BATCH_TOTAL_TOKENS)');
    expect(propLabel('maxBatchTotalTokens')).toBe('maxBatchTotalTokens');
    expect(fleetPath('maxBatchTotalTokens')).toBe('tgi.maxBatchTotalTokens');
    expect(fleetPath('env.MAX_INPUT_LENGTH')).toBe('tgi.env.MAX_INPUT_LENGTH');
    expect(constructPropPath(fleetPath('maxBatchTotalTokens'))).toBe('model.settings.maxBatchTotalTokens');
    expect(constructPropPath(fleetPath('env.MAX_INPUT_LENGTH'))).toBe('model.settings.extraEnv.MAX_INPUT_LENGTH');
    expect(constructPropPath('tp')).toBe('model.settings.tp');
    expect(constructPropPath('instances')).toBe('instanceCount');
    expect(constructPropPath('autoscaling.maxInstances')).toBe('autoscaling.maxInstances');
  });
});
