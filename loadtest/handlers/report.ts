import type { PricingClient } from '@aws-sdk/client-pricing';
import { DEFAULT_PRICE_REGION } from '../../lib/catalog';
import { createPriceListClient } from '../pricing/price-list';
import { buildReport } from '../pipeline/build-report';
import { reportPriceQuote } from '../pipeline/report-prices';
import { claimPipelineRun, executionOwner, releasePipelineRun } from '../pipeline/run-claim';
import { RunIdentityError } from '../pipeline/run-identity';
import { RunLockedError } from '../pipeline/run-lock';
import type { CaughtError, ExecutionState, ReportResult } from '../../lib/benchmark/pipeline-state';
import { defaultCommonDeps, type CommonDeps } from './deps';
import { publishSweepMetrics, type EmfSink } from './metrics';

export interface ReportDeps extends CommonDeps {
  /** Where EMF metric documents go; default stdout (Lambda → CloudWatch). */
  readonly emfSink?: EmfSink;
  /**
   * Price List client and the fleet's region: prices are read from the API (cached in the store for a
   * day), else from the shipped table. Absent: shipped table of AWS_REGION (else us-east-1).
   */
  readonly prices?: { readonly pricing?: PricingClient; readonly region: string };
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
    const owner = executionOwner(event.executionName ?? runId, deps.now());
    let claim;
    try {
      // Re-enters this execution's claim, or claims a run that failed before planning.
      claim = await claimPipelineRun(deps.store, deployment, runId, owner, deps.speedup, deps.now());
    } catch (error) {
      if (!(error instanceof RunLockedError || error instanceof RunIdentityError)) throw error;
      // The run id belongs to another execution or measurement: end without touching its files.
      deps.logger.warn('run refused', { deploymentId: deployment.id, runId, reason: error.message });
      return { deploymentId: deployment.id, runId, levels: 0, stopReason: { rule: 'refused', detail: error.message }, refused: error.message, files: {} };
    }
    const failure = state.failedStep !== undefined ? { step: state.failedStep, message: messageOf(state.error) } : undefined;
    const stopReason = state.sweep?.stopReason ?? (failure ? { rule: 'failed' as const, detail: `${failure.step}: ${failure.message}` } : undefined);
    let built;
    let price;
    try {
      const prices = deps.prices ?? { region: process.env.AWS_REGION ?? DEFAULT_PRICE_REGION };
      price = await reportPriceQuote({ ...prices, store: deps.store, now: deps.now }, deployment.instanceType, deployment.priceDiscount ?? 0);
      built = await buildReport(deps.store, { manifest: claim.manifest, stopReason, failure, finishedAt: deps.now(), price });
    } finally {
      await releasePipelineRun(deps.store, deployment.id, runId, owner);
    }
    publishSweepMetrics(built.sweep, built.regression, deployment.id, deps.emfSink);
    deps.logger.info('report written', { deploymentId: deployment.id, runId, files: built.files, regression: built.regression.detail, failure, price: { origin: price.origin, note: price.note } });
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
      price: {
        origin: price.origin,
        region: price.region,
        hourlyUsd: price.usd * deployment.instances,
        ...(price.asOf !== undefined ? { asOf: price.asOf } : {}),
        ...(price.note !== undefined ? { note: price.note } : {}),
      },
    };
  };
}

let cached: ReturnType<typeof createReportHandler> | undefined;
export const handler = (event: ReportEvent): Promise<ReportResult> =>
  (cached ??= createReportHandler({
    ...defaultCommonDeps('llm-bench-report'),
    // The Price List API answers in us-east-1 only (client pinned there); prices are those of the function's region.
    prices: { pricing: createPriceListClient(), region: process.env.AWS_REGION ?? DEFAULT_PRICE_REGION },
  }))(event);
