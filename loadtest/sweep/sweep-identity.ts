import type { DeploymentDescription, PayloadDescription, TargetDescription } from '../../lib/results/records';
import { TOOL_VERSION, type JsonValue, type RunIdentity } from '../pipeline/run-identity';
import type { StopRuleConfig } from './stop-rules';
import type { Slo } from '../../lib/results/slo';
import { DEFAULT_AUTO_MAX_CONCURRENCY } from './next-step';
import type { OpenLoopPlan } from './open-loop-plan';

/** What defines a CLI sweep's measurement (labels and prices do not: they only change the report). */
export interface SweepIdentityInput {
  readonly target: TargetDescription;
  readonly payload: PayloadDescription;
  readonly deployment?: DeploymentDescription;
  readonly levels: readonly number[] | 'auto';
  readonly maxConcurrency?: number;
  readonly durationS?: number;
  readonly requests?: number;
  readonly warmupRequests?: number | ((concurrency: number) => number);
  readonly stopRules: StopRuleConfig;
  readonly latencyBoundMsPerToken?: number;
  readonly repeat?: number;
  readonly minCompletionsPerSlot?: number;
  readonly openLoop?: OpenLoopPlan;
  readonly slo?: Slo;
}

/** The stop rules' settings as JSON: a non-finite number (e.g. -Infinity: rule off) becomes 'off'. */
function finiteJson(config: object): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === 'number') out[key] = Number.isFinite(value) ? value : 'off';
    else if (typeof value === 'string' || typeof value === 'boolean') out[key] = value;
  }
  return out;
}

/** The run identity of a CLI sweep (see RunIdentity). */
export function sweepIdentity(input: SweepIdentityInput): RunIdentity {
  const { deployment } = input;
  const warmup = input.warmupRequests;
  return {
    target: { ...input.target },
    ...(deployment?.instanceType !== undefined ? { deployment: { instanceType: deployment.instanceType, instances: deployment.instances ?? 1 } } : {}),
    payload: { ...input.payload },
    workload: {
      ...(input.durationS !== undefined ? { durationS: input.durationS } : {}),
      ...(input.requests !== undefined ? { requests: input.requests } : {}),
      // A function of the level: one warm-up request per stream (the CLI's default).
      warmupRequests: typeof warmup === 'function' ? 'one per stream' : (warmup ?? 0),
      ...(input.repeat !== undefined && input.repeat > 1 ? { repeat: input.repeat } : {}),
      ...(input.minCompletionsPerSlot !== undefined && input.minCompletionsPerSlot > 0 ? { minCompletionsPerSlot: input.minCompletionsPerSlot } : {}),
    },
    levels: input.levels === 'auto' ? { mode: 'auto', maxConcurrency: input.maxConcurrency ?? DEFAULT_AUTO_MAX_CONCURRENCY } : { mode: 'list', levels: [...input.levels] },
    slos: {
      ...finiteJson(input.stopRules),
      ...(input.latencyBoundMsPerToken !== undefined ? { latencyBoundMsPerToken: input.latencyBoundMsPerToken } : {}),
      ...(input.slo !== undefined ? { request: finiteJson(input.slo) } : {}),
    },
    ...(input.openLoop !== undefined ? { openLoop: finiteJson({ ...input.openLoop, rates: input.openLoop.rates === 'auto' ? 'auto' : input.openLoop.rates.join(',') }) } : {}),
    toolVersion: TOOL_VERSION,
  };
}
