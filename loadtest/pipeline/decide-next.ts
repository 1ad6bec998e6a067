import type { LevelResult } from '../../lib/results/records';
import { nextStep, type NextStep } from '../sweep/next-step';
import type { StopRuleConfig } from '../sweep/stop-rules';
import { planLevels, warmupItem, workerItems } from './plan-levels';
import type { DeploymentInput, SweepState } from '../../lib/benchmark/pipeline-state';

export interface DecideNextInput {
  readonly deployment: DeploymentInput;
  readonly runId: string;
  /** Levels already merged in this run (any order). */
  readonly measured: readonly LevelResult[];
  readonly nowEpochMs: number;
  /**
   * Time between the decision and the level's common start, so every worker (a Lambda cold start
   * or a Map launch away) is ready before it.
   */
  readonly startLeadMs: number;
  /** Include the one-off warm-up (the first decision of an execution). */
  readonly withWarmup?: boolean;
}

export function stopRuleConfig(deployment: DeploymentInput): StopRuleConfig {
  return {
    invocationTimeoutMs: deployment.benchmark.timeoutS * 1000,
    maxErrorRate: deployment.benchmark.maxErrorRate,
    plateauGain: deployment.benchmark.plateauGain,
    ...(deployment.benchmark.minSloAttainment !== undefined ? { minSloAttainment: deployment.benchmark.minSloAttainment } : {}),
  };
}

/** The state machine's next move: the one sweep decision applied to the deployment's plan and stop rules. */
export function nextPipelineStep(deployment: DeploymentInput, measured: readonly LevelResult[]): NextStep {
  return nextStep(planLevels(deployment.benchmark), measured, stopRuleConfig(deployment));
}

/**
 * The sweep's next move from the levels measured so far: the next level's worker items, or done
 * with the stop rule that fired. Pure; a resumed run (same runId) continues at the first unmeasured level.
 */
export function decideNext(input: DecideNextInput): SweepState {
  const { deployment, runId } = input;
  const measured = [...input.measured].sort((a, b) => a.concurrency - b.concurrency);
  const step = nextPipelineStep(deployment, measured);
  const base = { deploymentId: deployment.id, runId, measured: measured.map((l) => l.concurrency) };
  if ('stop' in step) return { ...base, done: true, stopReason: step.stop, workers: [], workerCount: 1 };
  const common = {
    deploymentId: deployment.id,
    runId,
    endpointName: deployment.endpointName,
    ...(deployment.inferenceComponentName !== undefined ? { inferenceComponentName: deployment.inferenceComponentName } : {}),
    settings: deployment.benchmark,
    startAtEpochMs: input.nowEpochMs + input.startLeadMs,
  };
  const warmup = input.withWarmup ? warmupItem({ ...common, startAtEpochMs: input.nowEpochMs }) : undefined;
  const workers = workerItems({ ...common, concurrency: step.concurrency });
  return {
    ...base,
    done: false,
    concurrency: step.concurrency,
    workers,
    workerCount: workers.length,
    ...(warmup ? { warmup } : {}),
  };
}
