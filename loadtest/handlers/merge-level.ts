import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ClientVerdict, LevelResult } from '../../lib/results/records';
import { levelTelemetry, REAL_TIME, type TargetClock } from '../telemetry';
import { telemetryTargetOf } from '../telemetry/deployment-target';
import { mergeRepeat, type CompletionsJudgement, type MergedRepeat } from '../pipeline/merge-worker-records';
import { minCompletionsPerSlotOf, repeatsOf } from '../pipeline/plan-levels';
import { rateOfLevelKey } from '../../lib/results/level-key';
import type { ExecutionState } from '../../lib/benchmark/pipeline-state';
import { defaultCommonDeps, type CommonDeps } from './deps';

/**
 * Short summary of a merged level (the full LevelResult is in the store), or of one repeat of a
 * repeated level (`complete` false: the level is written after its last repeat; decide-next then
 * asks for the next repeat).
 */
export interface MergedLevelSummary {
  readonly concurrency: number;
  /** The repeat merged (0-based) and the level's measurements. */
  readonly repeat: number;
  readonly repeats: number;
  /** True when the level is written (its last repeat merged). */
  readonly complete: boolean;
  /** The level's figures once complete; before, the repeat's own. */
  readonly requests: number;
  readonly ok: number;
  readonly timeouts: number;
  readonly throughputTokensPerS: number;
  readonly msPerTokenP50: number;
  /** 95 % half-width of throughput over the repeats. */
  readonly throughputHalfWidth95?: number;
  /** The client verdict (the worst worker's). */
  readonly client?: ClientVerdict['verdict'];
  /** Against the local twin: whether it kept up with its virtual time (the worst worker's reading). */
  readonly twin?: 'ok' | 'lagging';
  readonly peakInFlight?: number;
  /** Closed loop: completions per stream (the weakest repeat's) judged by the window rule. */
  readonly completions?: CompletionsJudgement;
  /** Per-GPU utilization and model latency CloudWatch reported for the window, when read. */
  readonly gpuUtilizationPct?: number;
  readonly modelLatencyMsMean?: number;
}

export interface MergeLevelDeps extends CommonDeps {
  /** CloudWatch of the endpoint and its clock: the level's window is read and joined (`server`). Absent: no telemetry. */
  readonly telemetry?: { readonly client: CloudWatchClient; readonly clock: TargetClock };
}

function summaryOf(merged: MergedRepeat, repeats: number): MergedLevelSummary {
  const { level, repeat, complete, completions } = merged;
  return {
    concurrency: level.concurrency,
    repeat,
    repeats,
    complete,
    requests: level.requests,
    ok: level.ok,
    timeouts: level.timeouts,
    throughputTokensPerS: level.throughputTokensPerS,
    msPerTokenP50: level.latencyMsPerToken.p50,
    ...(level.server?.gpuUtilizationPct !== undefined ? { gpuUtilizationPct: level.server.gpuUtilizationPct } : {}),
    ...(level.server?.modelLatencyMs !== undefined ? { modelLatencyMsMean: level.server.modelLatencyMs.mean } : {}),
    ...(level.repeats !== undefined ? { throughputHalfWidth95: level.repeats.throughputTokensPerS.halfWidth95 } : {}),
    ...(level.client !== undefined ? { client: level.client.verdict } : {}),
    ...(level.twin !== undefined ? { twin: level.twin.verdict } : {}),
    ...(level.openLoop?.peakInFlight !== undefined ? { peakInFlight: level.openLoop.peakInFlight } : {}),
    ...(completions !== undefined ? { completions } : {}),
  };
}

/** Merges the level just measured: every worker's raw records, summarized once, joined to the endpoint's CloudWatch metrics of its window. */
export function createMergeLevelHandler(deps: MergeLevelDeps) {
  return async (state: ExecutionState): Promise<MergedLevelSummary> => {
    const sweep = state.sweep;
    if (sweep?.concurrency === undefined) throw new Error('merge-level: the state has no level to merge');
    // Open loop and SLOs: the level's workers carry them; an open-loop level's key is its offered rate.
    const first = sweep.workers[0];
    const offered = first?.ratePerS !== undefined ? rateOfLevelKey(sweep.concurrency) : undefined;
    const settings = state.deployment.benchmark;
    const repeats = repeatsOf(settings);
    const merged = await mergeRepeat(deps.store, {
      deploymentId: sweep.deploymentId,
      runId: sweep.runId,
      concurrency: sweep.concurrency,
      workers: sweep.workers.length,
      speedup: deps.speedup,
      repeat: sweep.repeat ?? 0,
      repeats,
      ...(deps.telemetry !== undefined ? { enrich: enrichWith(deps.telemetry, state) } : {}),
      ...(offered !== undefined
        ? {
            offeredRatePerS: offered,
            openLoop: {
              arrival: first.arrival ?? 'poisson',
              ...(first.burstiness !== undefined ? { burstiness: first.burstiness } : {}),
              // The level's cap: the sum of its workers' shares (plan-levels splits maxConcurrency).
              ...(sweep.workers.every((w) => w.maxInFlight !== undefined) ? { maxConcurrency: sweep.workers.reduce((sum, w) => sum + (w.maxInFlight ?? 0), 0) } : {}),
            },
          }
        : { minCompletionsPerSlot: first?.minCompletionsPerSlot ?? minCompletionsPerSlotOf(settings) }),
      ...(first?.slo !== undefined ? { slo: first.slo } : {}),
    });
    const summary = summaryOf(merged, repeats);
    if (summary.completions !== undefined && !summary.completions.met) {
      deps.logger.warn('level below the minimum completions per stream (window cut at its cap)', { concurrency: sweep.concurrency, repeat: merged.repeat, ...summary.completions });
    }
    deps.logger.info(merged.complete ? 'level merged' : 'repeat merged', { ...summary });
    return summary;
  };
}

function enrichWith(telemetry: NonNullable<MergeLevelDeps['telemetry']>, state: ExecutionState) {
  const target = telemetryTargetOf(state.deployment);
  return (level: LevelResult, records: Parameters<typeof levelTelemetry>[1]): Promise<LevelResult> => levelTelemetry(level, records, { ...telemetry, target });
}

let cached: ReturnType<typeof createMergeLevelHandler> | undefined;
export const handler = (event: ExecutionState): Promise<MergedLevelSummary> =>
  (cached ??= createMergeLevelHandler({ ...defaultCommonDeps('llm-bench-merge-level'), telemetry: { client: new CloudWatchClient({}), clock: REAL_TIME } }))(event);
