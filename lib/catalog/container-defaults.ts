/**
 * The one source of engine defaults: the TGI container settings a deployment of a model on an
 * instance type starts from, each value marked as JumpStart's (cited spec) or derived (and why).
 * `plan`, `reproduce`, `serve-local`, the constructs and the fleet all read it through the
 * planner's `resolveTgiSettings`.
 */
import {
  jumpStartContainerSpec,
  jumpStartSpecSource,
  P4_ADMITTED_CONCURRENCY,
  TGI_LAUNCHER_DEFAULTS,
  type ContainerDefaultName,
  type ContainerEnvValues,
  type JumpStartContainerSpec,
} from './jumpstart-specs';
import type { InstanceTypeSpec, ModelSpec, Source, TgiDefaults, TgiSettings } from './types';

export interface DefaultOrigin {
  /** True when the value is not set by the cited JumpStart spec. */
  readonly derived: boolean;
  /** Where the value comes from. */
  readonly why: string;
}

export interface ContainerDefaults {
  readonly tgi: TgiSettings;
  /** Tensor-parallel degree JumpStart sets (`SM_NUM_GPUS`). */
  readonly smNumGpus: number;
  readonly origins: Readonly<Partial<Record<ContainerDefaultName, DefaultOrigin>>>;
  readonly source: Source;
}

const FROM_SPEC = (spec: JumpStartContainerSpec, where: string): DefaultOrigin => ({ derived: false, why: `JumpStart ${spec.jumpStartId} v${spec.version} ${where}` });

/** Launcher default of MAX_BATCH_PREFILL_TOKENS for the spec's image (TGI_LAUNCHER_DEFAULTS). */
function launcherPrefillDefault(tgiVersion: string, maxInputTokens: number): number {
  return Number(tgiVersion.split('.')[0]) >= 2 ? maxInputTokens + TGI_LAUNCHER_DEFAULTS.prefillMarginFrom2 : TGI_LAUNCHER_DEFAULTS.maxBatchPrefillTokensBefore2;
}

/** JumpStart's model-wide TGI defaults of a spec (no instance overrides), unset values derived. */
export function specTgiDefaults(spec: JumpStartContainerSpec): TgiDefaults {
  const input = spec.env.MAX_INPUT_TOKENS as number;
  return {
    maxInputTokens: input,
    maxTotalTokens: spec.env.MAX_TOTAL_TOKENS as number,
    maxBatchPrefillTokens: spec.env.MAX_BATCH_PREFILL_TOKENS ?? launcherPrefillDefault(spec.imageTgiVersion, input),
    maxConcurrentRequests: spec.env.MAX_CONCURRENT_REQUESTS ?? TGI_LAUNCHER_DEFAULTS.maxConcurrentRequests,
  };
}

/** Container defaults of `model` on `instance`: the spec's per-instance value, else its model-wide value, else derived. */
export function containerDefaults(model: ModelSpec, instance: InstanceTypeSpec): ContainerDefaults {
  const spec = jumpStartContainerSpec(model.jumpStartId);
  if (spec === undefined) {
    const why = `no JumpStart TGI spec in the catalog for ${model.jumpStartId}: ${model.tgiDefaultsSource?.note ?? 'derived'}`;
    const derived: DefaultOrigin = { derived: true, why };
    const p4 = P4_ADMITTED_CONCURRENCY.instances.includes(instance.name);
    return {
      tgi: { ...model.tgiDefaults, ...(p4 ? { maxConcurrentRequests: P4_ADMITTED_CONCURRENCY.maxConcurrentRequests } : {}) },
      smNumGpus: instance.acceleratorCount,
      origins: {
        MAX_INPUT_TOKENS: derived,
        MAX_TOTAL_TOKENS: derived,
        MAX_BATCH_PREFILL_TOKENS: derived,
        MAX_CONCURRENT_REQUESTS: p4 ? { derived: true, why: P4_ADMITTED_CONCURRENCY.note } : derived,
        SM_NUM_GPUS: { derived: true, why: 'all GPUs of the instance, as every JumpStart TGI spec sets SM_NUM_GPUS' },
      },
      source: model.tgiDefaultsSource ?? model.source,
    };
  }
  const own: ContainerEnvValues = spec.byInstance[instance.name] ?? {};
  const origins: Partial<Record<ContainerDefaultName, DefaultOrigin>> = {};
  const pick = (name: ContainerDefaultName): number | undefined => {
    const value = own[name] ?? spec.env[name];
    if (value !== undefined) {
      origins[name] = FROM_SPEC(spec, own[name] !== undefined ? `hosting_instance_type_variants[${instance.name}]` : 'inference_environment_variables');
    }
    return value;
  };
  const maxInputTokens = pick('MAX_INPUT_TOKENS') as number;
  const maxTotalTokens = pick('MAX_TOTAL_TOKENS') as number;
  let maxBatchPrefillTokens = pick('MAX_BATCH_PREFILL_TOKENS');
  if (maxBatchPrefillTokens === undefined) {
    maxBatchPrefillTokens = launcherPrefillDefault(spec.imageTgiVersion, maxInputTokens);
    origins.MAX_BATCH_PREFILL_TOKENS = { derived: true, why: `unset by the spec: TGI ${spec.imageTgiVersion} launcher default (${TGI_LAUNCHER_DEFAULTS.source})` };
  }
  let maxConcurrentRequests = pick('MAX_CONCURRENT_REQUESTS');
  if (maxConcurrentRequests === undefined && P4_ADMITTED_CONCURRENCY.instances.includes(instance.name)) {
    maxConcurrentRequests = P4_ADMITTED_CONCURRENCY.maxConcurrentRequests;
    origins.MAX_CONCURRENT_REQUESTS = { derived: true, why: `unset by the spec: ${P4_ADMITTED_CONCURRENCY.note}` };
  } else if (maxConcurrentRequests === undefined) {
    maxConcurrentRequests = TGI_LAUNCHER_DEFAULTS.maxConcurrentRequests;
    origins.MAX_CONCURRENT_REQUESTS = { derived: true, why: `unset by the spec: TGI launcher default (${TGI_LAUNCHER_DEFAULTS.source})` };
  }
  const maxBatchTotalTokens = pick('MAX_BATCH_TOTAL_TOKENS');
  let smNumGpus = pick('SM_NUM_GPUS');
  if (own.SM_NUM_GPUS === undefined && !spec.supportedInstances.includes(instance.name)) {
    // The model-wide SM_NUM_GPUS belongs to the spec's own instances; elsewhere JumpStart's pattern: all GPUs.
    smNumGpus = instance.acceleratorCount;
    origins.SM_NUM_GPUS = { derived: true, why: `${instance.name} is not in the spec's instance list: all its GPUs, as every variant of the spec sets` };
  }
  return {
    tgi: {
      maxInputTokens,
      maxTotalTokens,
      maxBatchPrefillTokens,
      maxConcurrentRequests,
      ...(maxBatchTotalTokens !== undefined ? { maxBatchTotalTokens } : {}),
    },
    smNumGpus: smNumGpus ?? instance.acceleratorCount,
    origins,
    source: jumpStartSpecSource(spec),
  };
}
