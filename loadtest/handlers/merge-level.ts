import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { LevelResult } from '../../lib/results/records';
import { levelTelemetry, REAL_TIME, type TargetClock } from '../telemetry';
import { telemetryTargetOf } from '../telemetry/deployment-target';
import { mergeLevel } from '../pipeline/merge-worker-records';
import { rateOfLevelKey } from '../../lib/results/level-key';
import type { ExecutionState } from '../../lib/benchmark/pipeline-state';
import { defaultCommonDeps, type CommonDeps } from './deps';

/** Short summary of a merged level (the full LevelResult is in the store). */
export interface MergedLevelSummary {
  readonly concurrency: number;
  readonly requests: number;
  readonly ok: number;
  readonly timeouts: number;
  readonly throughputTokensPerS: number;
  readonly msPerTokenP50: number;
  /** Per-GPU utilization and model latency CloudWatch reported for the window, when read. */
  readonly gpuUtilizationPct?: number;
  readonly modelLatencyMsMean?: number;
}

export interface MergeLevelDeps extends CommonDeps {
  /** CloudWatch of the endpoint and its clock: the level's window is read and joined (`server`). Absent: no telemetry. */
  readonly telemetry?: { readonly client: CloudWatchClient; readonly clock: TargetClock };
}

function summaryOf(level: LevelResult): MergedLevelSummary {
  return {
    concurrency: level.concurrency,
    requests: level.requests,
    ok: level.ok,
    timeouts: level.timeouts,
    throughputTokensPerS: level.throughputTokensPerS,
    msPerTokenP50: level.latencyMsPerToken.p50,
    ...(level.server?.gpuUtilizationPct !== undefined ? { gpuUtilizationPct: level.server.gpuUtilizationPct } : {}),
    ...(level.server?.modelLatencyMs !== undefined ? { modelLatencyMsMean: level.server.modelLatencyMs.mean } : {}),
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
    const level = await mergeLevel(deps.store, {
      deploymentId: sweep.deploymentId,
      runId: sweep.runId,
      concurrency: sweep.concurrency,
      workers: sweep.workers.length,
      speedup: deps.speedup,
      ...(deps.telemetry !== undefined ? { enrich: enrichWith(deps.telemetry, state) } : {}),
      ...(offered !== undefined ? { offeredRatePerS: offered, openLoop: { arrival: first.arrival ?? 'poisson', ...(first.burstiness !== undefined ? { burstiness: first.burstiness } : {}) } } : {}),
      ...(first?.slo !== undefined ? { slo: first.slo } : {}),
    });
    const summary = summaryOf(level);
    deps.logger.info('level merged', { ...summary });
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
