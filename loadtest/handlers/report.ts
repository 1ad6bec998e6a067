import { buildReport } from '../pipeline/build-report';
import { ensureRunManifest } from '../pipeline/run-manifest';
import type { CaughtError, ExecutionState, ReportResult } from '../../lib/benchmark/pipeline-state';
import { defaultCommonDeps, type CommonDeps } from './deps';
import { publishSweepMetrics, type EmfSink } from './metrics';

export interface ReportDeps extends CommonDeps {
  /** Where EMF metric documents go; default stdout (Lambda → CloudWatch). */
  readonly emfSink?: EmfSink;
}

/** Event of the report step: the execution state, plus the execution name for runs that failed before planning. */
export interface ReportEvent {
  readonly state: ExecutionState;
  readonly executionName?: string;
}

/** The message of a Step Functions error: Lambda errors carry JSON `{errorMessage}` in `Cause`. */
export function messageOf(error: CaughtError | undefined): string {
  if (error === undefined) return 'unknown error';
  const cause = error.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string; errorType?: string };
    if (parsed.errorMessage) return `${parsed.errorType ?? error.Error ?? 'Error'}: ${parsed.errorMessage}`;
  } catch {
    // not JSON: a plain cause string
  }
  return `${error.Error ?? 'Error'}${cause ? `: ${cause}` : ''}`;
}

/**
 * Final step (also the end of every failure path): writes the report of what was measured, states
 * the failed step when there is one, compares with the previous run and publishes the metrics.
 */
export function createReportHandler(deps: ReportDeps) {
  return async (event: ReportEvent): Promise<ReportResult> => {
    const { state } = event;
    const { deployment } = state;
    const runId = state.sweep?.runId ?? state.runId ?? event.executionName ?? `failed-${deps.now().getTime()}`;
    // Reads the manifest, or writes one for a run that failed before planning.
    const manifest = await ensureRunManifest(deps.store, deployment, runId, deps.speedup, deps.now());
    const failure = state.failedStep !== undefined ? { step: state.failedStep, message: messageOf(state.error) } : undefined;
    const stopReason = state.sweep?.stopReason ?? (failure ? 'failed' : undefined);
    const built = await buildReport(deps.store, { manifest, stopReason, failure, finishedAt: deps.now() });
    publishSweepMetrics(built.sweep, built.regression, deployment.id, deps.emfSink);
    deps.logger.info('report written', { deploymentId: deployment.id, runId, files: built.files, regression: built.regression.detail, failure });
    return {
      deploymentId: deployment.id,
      runId,
      levels: built.sweep.levels.length,
      ...(stopReason !== undefined ? { stopReason } : {}),
      ...(failure ? { failure } : {}),
      files: built.files,
      regression: { regressed: built.regression.regressed, detail: built.regression.detail },
      ...(built.sweep.maxThroughput ? { maxThroughputTokensPerS: built.sweep.maxThroughput.tokensPerS } : {}),
      ...(built.sweep.knee ? { kneeConcurrency: built.sweep.knee.concurrency } : {}),
    };
  };
}

let cached: ReturnType<typeof createReportHandler> | undefined;
export const handler = (event: ReportEvent): Promise<ReportResult> =>
  (cached ??= createReportHandler(defaultCommonDeps('llm-bench-report')))(event);
