import type { PriceQuote } from '../../lib/catalog';
import { summarizeSweep } from '../../lib/results/summarize-sweep';
import type { StopReason, SweepResult } from '../../lib/results/records';
import { REPORT_CONTENT_TYPES, REPORT_FILE_KINDS, REPORT_FILES, type ReportFileKind } from '../report/names';
import { renderReportFiles } from '../report/report-files';
import { LAST_RUN_VERSION, lastRunKey, latestPrefix, runPrefix, type LastRunPointer } from './layout';
import { checkRegression, type RegressionCheck } from './regression';
import type { ResultStore } from './result-store';
import { loadRunLevels, type PipelineRunManifest } from './run-manifest';

export interface BuildReportInput {
  readonly manifest: PipelineRunManifest;
  readonly stopReason?: StopReason;
  /** Set on the failure path: the report is partial and says which step failed. */
  readonly failure?: { readonly step: string; readonly message: string };
  readonly finishedAt: Date;
  /** Price of one instance read by the report step; absent: the price the deployment carries. */
  readonly price?: PriceQuote;
}

export interface BuiltReport {
  readonly sweep: SweepResult;
  readonly files: Readonly<Record<ReportFileKind, string>>;
  readonly regression: RegressionCheck;
}

/**
 * Summarizes a run's merged levels into a SweepResult and writes every report format to
 * runs/{deployment}/{runId}/ and latest/{deployment}/, after comparing with the previous latest run.
 */
export async function buildReport(store: ResultStore, input: BuildReportInput): Promise<BuiltReport> {
  const { manifest } = input;
  const deployment = manifest.deployment;
  const levels = await loadRunLevels(store, deployment.id, manifest.runId);
  const sweep = summarizeSweep({
    label: `${deployment.id} (${deployment.model} on ${deployment.instances} × ${deployment.instanceType}, TP ${deployment.tp}${deployment.copies > 1 ? `, ${deployment.copies} copies` : ''})`,
    target: manifest.target,
    payload: manifest.payload,
    deployment: {
      id: deployment.id,
      model: deployment.model,
      instanceType: deployment.instanceType,
      instances: deployment.instances,
      tp: deployment.tp,
      copies: deployment.copies,
      hourlyUsd: input.price !== undefined ? input.price.usd * deployment.instances : deployment.hourlyUsd,
      ...(input.price !== undefined ? { price: input.price } : {}),
    },
    levels,
    startedAt: manifest.startedAt,
    finishedAt: input.finishedAt.toISOString(),
    ...(input.stopReason !== undefined ? { stopReason: input.stopReason } : {}),
    ...(input.failure !== undefined ? { failure: input.failure } : {}),
    latencyBoundMsPerToken: deployment.benchmark.latencyBoundMsPerToken,
    maxErrorRate: deployment.benchmark.maxErrorRate,
    invocationTimeoutMs: deployment.benchmark.timeoutS * 1000,
    ...(deployment.benchmark.minSloAttainment !== undefined ? { minSloAttainment: deployment.benchmark.minSloAttainment } : {}),
  });

  const latest = latestPrefix(deployment.id);
  const previous = await store.getJson<SweepResult>(`${latest}${REPORT_FILES.json}`);
  const comparable = previous !== undefined && previous.startedAt !== sweep.startedAt ? previous : undefined;
  // A failed run measured only some levels: its maximum says nothing about a regression.
  const regression: RegressionCheck =
    input.failure === undefined
      ? checkRegression(sweep, comparable, deployment.benchmark.regressionThresholdPct)
      : { regressed: false, regressionPct: 0, detail: `not compared: the run failed at ${input.failure.step}` };

  const rendered = await renderReportFiles([sweep]);
  const prefix = runPrefix(deployment.id, manifest.runId);
  const files = {} as Record<ReportFileKind, string>;
  for (const kind of REPORT_FILE_KINDS) {
    const key = `${prefix}${REPORT_FILES[kind]}`;
    await store.putText(key, rendered[kind], REPORT_CONTENT_TYPES[kind]);
    files[kind] = key;
  }
  // latest/ only moves forward on complete runs, so a failed run never hides the last good one.
  if (input.failure === undefined) {
    for (const kind of REPORT_FILE_KINDS) {
      await store.putText(`${latest}${REPORT_FILES[kind]}`, rendered[kind], REPORT_CONTENT_TYPES[kind]);
    }
  }
  // Every run, failed ones too, says where it is: the fleet report shows a deployment whose newest
  // run failed as failed, with its reason, not as its last good run.
  const pointer: LastRunPointer = { schemaVersion: LAST_RUN_VERSION, runId: manifest.runId, finishedAt: sweep.finishedAt ?? input.finishedAt.toISOString(), failed: input.failure !== undefined };
  await store.putJson(lastRunKey(deployment.id), pointer);
  return { sweep, files, regression };
}
