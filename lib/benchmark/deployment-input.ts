import type { BenchmarkInput, DeploymentInput } from './pipeline-state';
import type { PipelineDeployment } from './types';

/** The deployment as the state machine carries it (embedded in the definition at synth). */
export function deploymentInputOf(deployment: PipelineDeployment): DeploymentInput {
  return {
    id: deployment.id,
    endpointName: deployment.endpointName,
    ...(deployment.inferenceComponentName !== undefined ? { inferenceComponentName: deployment.inferenceComponentName } : {}),
    model: deployment.model.id,
    instanceType: deployment.instanceType.name,
    instances: deployment.instances,
    tp: deployment.tp,
    copies: deployment.copies,
    hourlyUsd: deployment.hourlyUsd,
    ...(deployment.price !== undefined && deployment.price.discount > 0 ? { priceDiscount: deployment.price.discount } : {}),
    ...(deployment.autoscaling ? { autoscaling: { kind: deployment.autoscaling.kind, scaleToZero: deployment.autoscaling.scaleToZero === true } } : {}),
    benchmark: benchmarkInputOf(deployment.benchmark),
    // The declared scenarios' specs by kind (their schedules are the triggers'); absent when none.
    ...((deployment.benchmark.scenarios ?? []).length > 0
      ? { scenarios: Object.fromEntries((deployment.benchmark.scenarios ?? []).map((s) => [s.spec.kind, { ...s.spec }])) }
      : {}),
  };
}

/**
 * The settings the state machine carries, field by field: a resolved fleet's settings may hold more
 * (the schedule, future fields) and none of it belongs in the definition.
 */
export function benchmarkInputOf(b: BenchmarkInput): BenchmarkInput {
  return {
    inputTokens: b.inputTokens,
    outputTokens: b.outputTokens,
    ...(b.inputDistribution !== undefined ? { inputDistribution: b.inputDistribution } : {}),
    ...(b.outputDistribution !== undefined ? { outputDistribution: b.outputDistribution } : {}),
    ...(b.tokenLimits !== undefined ? { tokenLimits: { maxInputTokens: b.tokenLimits.maxInputTokens, maxTotalTokens: b.tokenLimits.maxTotalTokens } } : {}),
    concurrency: b.concurrency === 'auto' ? 'auto' : [...b.concurrency],
    maxConcurrency: b.maxConcurrency,
    durationS: b.durationS,
    warmupRequests: b.warmupRequests,
    stream: b.stream,
    workers: b.workers,
    latencyBoundMsPerToken: b.latencyBoundMsPerToken,
    maxErrorRate: b.maxErrorRate,
    timeoutS: b.timeoutS,
    plateauGain: b.plateauGain,
    regressionThresholdPct: b.regressionThresholdPct,
    ...(b.container !== undefined ? { container: b.container } : {}),
    // Open-loop settings and SLOs only when set: a closed-loop definition stays as it was.
    ...(b.mode !== undefined ? { mode: b.mode } : {}),
    ...(b.rates !== undefined ? { rates: b.rates === 'auto' ? 'auto' : [...b.rates] } : {}),
    ...(b.maxRatePerS !== undefined ? { maxRatePerS: b.maxRatePerS } : {}),
    ...(b.arrival !== undefined ? { arrival: b.arrival } : {}),
    ...(b.burstiness !== undefined ? { burstiness: b.burstiness } : {}),
    ...(b.slo !== undefined ? { slo: { ...b.slo } } : {}),
    ...(b.minSloAttainment !== undefined ? { minSloAttainment: b.minSloAttainment } : {}),
    ...(b.repeat !== undefined ? { repeat: b.repeat } : {}),
    ...(b.minCompletionsPerSlot !== undefined ? { minCompletionsPerSlot: b.minCompletionsPerSlot } : {}),
  };
}

/** Concurrency levels a deployment's dashboard shows: its list, or powers of two up to the max for 'auto'. */
export function dashboardLevels(deployment: PipelineDeployment): number[] {
  const b = deployment.benchmark;
  if (b.concurrency !== 'auto') return [...b.concurrency];
  const levels: number[] = [];
  for (let c = 1; c <= b.maxConcurrency; c *= 2) levels.push(c);
  return levels;
}
