import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { ExecutionState, ScenarioFinishResult, ScenarioRunState } from '../../lib/benchmark/pipeline-state';
import type { ScenarioFailure, ScenarioResult } from '../../lib/results/scenario';
import type { RequestRecord } from '../../lib/results/records';
import { latestScenarioKey, LATEST_SCENARIO_VERSION, scenarioKeys, type LatestScenarioPointer } from '../pipeline/layout';
import { targetOf } from '../pipeline/run-manifest';
import { decodeJsonl } from '../records/jsonl';
import { assembleScenarioResult, REAL_TIME, type EndpointClock } from '../scenario/assemble';
import { createCapacityReader, type CapacityClients } from '../scenario/capacity-reader';
import { scenarioSecondsOf, wallMsOf } from '../scenario/drive';
import { renderScenarioFiles, SCENARIO_CONTENT_TYPES, SCENARIO_FILES, type ScenarioFileKind } from '../scenario/report';
import type { TimedReading } from '../scenario/series';
import { createScenarioTelemetry, endpointMsOf, REAL_TIME as REAL_TIME_TARGET, telemetryTargetOf, type SettleOptions, type TargetClock } from '../telemetry';
import { defaultCommonDeps, type CommonDeps } from './deps';
import { publishScenarioMetrics, type EmfSink } from './metrics';

export interface ScenarioFinishDeps extends CommonDeps {
  readonly clients: CapacityClients;
  /** The endpoint's clock (a time-compressed twin's offline); absent: real time (AWS). */
  readonly clock?: TargetClock;
  /** EMF documents go here; absent: stdout (CloudWatch Logs extracts them in Lambda). */
  readonly emfSink?: EmfSink;
  /** CloudWatch of the endpoint: the run and each window are joined to its metrics (`server`). Absent: no telemetry. */
  readonly telemetry?: { readonly client: CloudWatchClient; readonly settle?: SettleOptions };
}

/**
 * The scenario's end: merges every window's records and capacity readings, reads the state at the
 * end and the scaling activities (DescribeScalingActivities), derives the figures
 * (assembleScenarioResult, the CLI's code), writes scenario.json, the time series and the report
 * under scenarios/{deployment}/{runId}/, points latest/{deployment}/scenarios/{kind}.json at it and
 * publishes the figures as EMF.
 *
 * After a failure (the state carries `failedStep` and the caught `error`: the state machine's
 * ScenarioPartialReport) it writes a partial report of what was measured until then: the records and
 * readings of the windows that finished, the capacity and activities if the endpoint still answers,
 * and `failure` naming the state; no latest pointer, no metrics.
 * With `telemetry`, the endpoint's CloudWatch metrics of the run (whole, per window and per period)
 * are joined first, after the bounded wait for their last period.
 */
export function createScenarioFinishHandler(deps: ScenarioFinishDeps) {
  return async (state: ExecutionState): Promise<ScenarioFinishResult | PartialScenarioSkipped> => {
    const run = state.scenarioRun;
    const failure: ScenarioFailure | undefined =
      state.failedStep !== undefined ? { state: state.failedStep, error: state.error?.Error ?? 'Unknown', ...(state.error?.Cause !== undefined ? { cause: state.error.Cause } : {}) } : undefined;
    if (failure !== undefined && run === undefined) {
      // The run failed before PlanScenario chose it: nothing was measured, there is no run to report.
      deps.logger.warn('scenario failed before it was planned: no partial report', { deploymentId: state.deployment.id, failure });
      return { partial: 'skipped', failedStep: failure.state };
    }
    if (failure === undefined && (run?.scenarioStartEpochMs === undefined || run.startReading === undefined)) throw new Error('scenario-finish: the scenario has not started (no scenarioRun.scenarioStartEpochMs)');
    const started = run as ScenarioRunState;
    const d = state.deployment;
    const keys = scenarioKeys(d.id, started.runId);
    // A failed Map stops waiting for its windows, not their workers: let the started windows' workers store their records.
    if (failure !== undefined) await awaitStartedWindows(deps, keys, started, d.benchmark.timeoutS);
    const records: RequestRecord[] = [];
    for (const key of (await deps.store.list(keys.recordsPrefix)).sort()) {
      const bytes = await deps.store.getBytes(key);
      if (bytes !== undefined) records.push(...decodeJsonl(bytes, key));
    }
    const readings: TimedReading[] = [];
    for (const window of started.windows) readings.push(...((await deps.store.getJson<TimedReading[]>(keys.readings(window.index))) ?? []));
    const reader = createCapacityReader(deps.clients, d.endpointName, d.inferenceComponentName);
    const clock: EndpointClock = deps.clock ? { speedup: deps.clock.speedup, anchorWallMs: deps.clock.originMs, anchorVirtualMs: deps.clock.originMs } : REAL_TIME;
    // After a failure the endpoint may not answer (the failure may be its): the last state seen stands in.
    const lastSeen = readings[readings.length - 1] ?? started.startReading ?? {};
    const endReading = failure === undefined ? await reader.read() : await reader.read().catch(() => lastSeen);
    const activities = failure === undefined ? await reader.activities() : await reader.activities().catch(() => []);
    const startWallMs = started.scenarioStartEpochMs ?? deps.now().getTime();
    const assembled = assembleScenarioResult({
      spec: started.spec,
      startWallMs,
      clock,
      records,
      startReading: started.startReading ?? endReading,
      readings,
      endReading,
      activities,
      target: targetOf(d, deps.speedup),
      payload: { inputTokens: d.benchmark.inputTokens, outputTokens: d.benchmark.outputTokens },
      // The definition's price (the shipped table at synth) of one instance.
      hourlyUsd: d.hourlyUsd / Math.max(1, d.instances),
      priceSource: 'price table at synth (deployment hourlyUsd)',
      deployment: { id: d.id, instanceType: d.instanceType, model: d.model },
      ...(started.scalableTarget ? { policy: { minCapacity: started.scalableTarget.minCapacity, maxCapacity: started.scalableTarget.maxCapacity } } : {}),
      // A failed run ends where its measurements end (the last request or reading), not at the schedule's end.
      ...(failure !== undefined ? { endS: measuredEndS(records, readings, startWallMs, clock.speedup) } : {}),
    });
    // The endpoint's CloudWatch metrics of the whole run and of each window, once the last period is published.
    const joined = deps.telemetry
      ? await createScenarioTelemetry({ client: deps.telemetry.client, target: telemetryTargetOf(d), clock: deps.clock ?? REAL_TIME_TARGET, ...(deps.telemetry.settle ? { settle: deps.telemetry.settle } : {}) }).attach(
          assembled,
          endpointMsOf(clock, startWallMs),
          started.windows.map((w) => ({ index: w.index, fromS: w.sampler.fromS, toS: w.sampler.toS })),
        )
      : assembled;
    const result: ScenarioResult = failure !== undefined ? { ...joined, failure } : joined;
    const bodies = await renderScenarioFiles(result);
    const files: Record<string, string> = {};
    for (const kind of Object.keys(SCENARIO_FILES) as ScenarioFileKind[]) {
      files[kind] = keys.file(SCENARIO_FILES[kind]);
      await deps.store.putText(files[kind], bodies[kind], SCENARIO_CONTENT_TYPES[kind]);
    }
    if (failure !== undefined) {
      // A partial run is no latest result and no metric (its figures would draw false points on the dashboard).
      deps.logger.warn('scenario failed: partial report written', { deploymentId: d.id, runId: started.runId, failure, records: records.length, files });
      return { deploymentId: d.id, runId: started.runId, kind: started.spec.kind, files, figures: result.figures };
    }
    const pointer: LatestScenarioPointer = {
      schemaVersion: LATEST_SCENARIO_VERSION,
      kind: started.spec.kind,
      runId: started.runId,
      finishedAt: deps.now().toISOString(),
      report: files.html as string,
      figures: result.figures,
    };
    await deps.store.putJson(latestScenarioKey(d.id, started.spec.kind), pointer);
    publishScenarioMetrics(result, d.id, deps.emfSink);
    deps.logger.info('scenario done', { deploymentId: d.id, runId: started.runId, kind: started.spec.kind, records: records.length, figures: result.figures });
    return { deploymentId: d.id, runId: started.runId, kind: started.spec.kind, files, figures: result.figures };
  };
}

/** What the finish step returns after a failure before the run was planned (nothing to report). */
export interface PartialScenarioSkipped {
  readonly partial: 'skipped';
  readonly failedStep: string;
}

/** Longest wait of a partial report for the workers of started windows, wall ms (the step's Lambda timeout is 300 s). */
const MAX_PARTIAL_WAIT_MS = 200_000;

/**
 * Waits until every started window's workers have stored their records, at most until the latest
 * started window's end plus one request deadline (a worker that died stores nothing) and
 * MAX_PARTIAL_WAIT_MS.
 */
async function awaitStartedWindows(deps: ScenarioFinishDeps, keys: ReturnType<typeof scenarioKeys>, run: ScenarioRunState, timeoutS: number): Promise<void> {
  if (run.scenarioStartEpochMs === undefined) return;
  const slice = { startWallMs: run.scenarioStartEpochMs, speedup: deps.speedup };
  const now = Date.now();
  const started = run.windows.filter((w) => wallMsOf(slice, w.sampler.fromS) <= now);
  if (started.length === 0) return;
  const expected = started.flatMap((w) => Array.from({ length: w.workerCount }, (_, k) => keys.records(w.index, k)));
  const deadline = Math.min(now + MAX_PARTIAL_WAIT_MS, Math.max(...started.map((w) => wallMsOf(slice, w.sampler.toS))) + (timeoutS * 1000) / deps.speedup);
  const pollMs = Math.max(20, Math.min(1000, 1000 / deps.speedup));
  for (;;) {
    const stored = new Set(await deps.store.list(keys.recordsPrefix));
    if (expected.every((key) => stored.has(key)) || Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Scenario seconds of the last thing measured: the last request's end or the last capacity reading (0 when none). */
function measuredEndS(records: readonly RequestRecord[], readings: readonly TimedReading[], startWallMs: number, speedup: number): number {
  const lastRecord = records.reduce((m, r) => Math.max(m, scenarioSecondsOf({ startWallMs, speedup }, r.clockOriginMs + r.endMs)), 0);
  return Math.max(0, lastRecord, ...readings.map((r) => r.tS));
}

let cached: ReturnType<typeof createScenarioFinishHandler> | undefined;
export const handler = (event: ExecutionState): Promise<ScenarioFinishResult | PartialScenarioSkipped> =>
  (cached ??= createScenarioFinishHandler({
    ...defaultCommonDeps('llm-bench-scenario-finish'),
    clients: { sagemaker: new SageMakerClient({}), autoScaling: new ApplicationAutoScalingClient({}) },
    telemetry: { client: new CloudWatchClient({}) },
  }))(event);
