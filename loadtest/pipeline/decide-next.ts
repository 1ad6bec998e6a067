import type { LevelResult } from '../../lib/results/records';
import { nextStep, type NextStep } from '../sweep/next-step';
import type { StopRuleConfig } from '../sweep/stop-rules';
import { planLevels, repeatsOf, warmupItem, workerItems } from './plan-levels';
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
  /** The repeat merge-level just merged, when it did not complete its level (more repeats to measure). */
  readonly pendingRepeat?: PendingRepeat;
}

/** A repeat of a level merged before the level's last one (the level is written after its last). */
export interface PendingRepeat {
  readonly concurrency: number;
  /** The repeat merged (0-based). */
  readonly repeat: number;
}

/**
 * The next measurement of a repeated level: the repeat after the one just merged, while the level
 * is not written. Only within one execution: a resumed run measures an unwritten level from repeat 0.
 */
function nextRepeat(deployment: DeploymentInput, measured: readonly LevelResult[], pending: PendingRepeat | undefined): { concurrency: number; repeat: number } | undefined {
  if (pending === undefined || measured.some((l) => l.concurrency === pending.concurrency)) return undefined;
  const repeat = pending.repeat + 1;
  return repeat < repeatsOf(deployment.benchmark) ? { concurrency: pending.concurrency, repeat } : undefined;
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
 * The sweep's next move from the levels measured so far: the next repeat of a level being repeated,
 * else the next level's worker items (repeat 0), or done with the stop rule that fired. Pure; a
 * resumed run (same runId) continues at the first unmeasured level.
 */
export function decideNext(input: DecideNextInput): SweepState {
  const { deployment, runId } = input;
  const measured = [...input.measured].sort((a, b) => a.concurrency - b.concurrency);
  const again = nextRepeat(deployment, measured, input.pendingRepeat);
  const step = again ?? nextPipelineStep(deployment, measured);
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
  const repeat = again?.repeat ?? 0;
  const workers = workerItems({ ...common, concurrency: step.concurrency, repeat });
  return {
    ...base,
    done: false,
    concurrency: step.concurrency,
    ...(repeat > 0 ? { repeat } : {}),
    workers,
    workerCount: workers.length,
    ...(warmup ? { warmup } : {}),
  };
}
