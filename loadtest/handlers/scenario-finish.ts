import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { ExecutionState, ScenarioFinishResult } from '../../lib/benchmark/pipeline-state';
import type { RequestRecord } from '../../lib/results/records';
import { latestScenarioKey, LATEST_SCENARIO_VERSION, scenarioKeys, type LatestScenarioPointer } from '../pipeline/layout';
import { targetOf } from '../pipeline/run-manifest';
import { decodeJsonl } from '../records/jsonl';
import { assembleScenarioResult, REAL_TIME, type EndpointClock } from '../scenario/assemble';
import { createCapacityReader, type CapacityClients } from '../scenario/capacity-reader';
import { renderScenarioFiles, SCENARIO_CONTENT_TYPES, SCENARIO_FILES, type ScenarioFileKind } from '../scenario/report';
import type { TimedReading } from '../scenario/series';
import type { TargetClock } from '../telemetry';
import { defaultCommonDeps, type CommonDeps } from './deps';
import { publishScenarioMetrics, type EmfSink } from './metrics';

export interface ScenarioFinishDeps extends CommonDeps {
  readonly clients: CapacityClients;
  /** The endpoint's clock (a time-compressed twin's offline); absent: real time (AWS). */
  readonly clock?: TargetClock;
  /** EMF documents go here; absent: stdout (CloudWatch Logs extracts them in Lambda). */
  readonly emfSink?: EmfSink;
}

/**
 * The scenario's end: merges every window's records and capacity readings, reads the state at the
 * end and the scaling activities (DescribeScalingActivities), derives the figures
 * (assembleScenarioResult, the CLI's code), writes scenario.json, the time series and the report
 * under scenarios/{deployment}/{runId}/, points latest/{deployment}/scenarios/{kind}.json at it and
 * publishes the figures as EMF.
 */
export function createScenarioFinishHandler(deps: ScenarioFinishDeps) {
  return async (state: ExecutionState): Promise<ScenarioFinishResult> => {
    const run = state.scenarioRun;
    if (run?.scenarioStartEpochMs === undefined || run.startReading === undefined) throw new Error('scenario-finish: the scenario has not started (no scenarioRun.scenarioStartEpochMs)');
    const d = state.deployment;
    const keys = scenarioKeys(d.id, run.runId);
    const records: RequestRecord[] = [];
    for (const key of (await deps.store.list(keys.recordsPrefix)).sort()) {
      const bytes = await deps.store.getBytes(key);
      if (bytes !== undefined) records.push(...decodeJsonl(bytes, key));
    }
    const readings: TimedReading[] = [];
    for (const window of run.windows) readings.push(...((await deps.store.getJson<TimedReading[]>(keys.readings(window.index))) ?? []));
    const reader = createCapacityReader(deps.clients, d.endpointName, d.inferenceComponentName);
    const clock: EndpointClock = deps.clock ? { speedup: deps.clock.speedup, anchorWallMs: deps.clock.originMs, anchorVirtualMs: deps.clock.originMs } : REAL_TIME;
    const result = assembleScenarioResult({
      spec: run.spec,
      startWallMs: run.scenarioStartEpochMs,
      clock,
      records,
      startReading: run.startReading,
      readings,
      endReading: await reader.read(),
      activities: await reader.activities(),
      target: targetOf(d, deps.speedup),
      payload: { inputTokens: d.benchmark.inputTokens, outputTokens: d.benchmark.outputTokens },
      // The definition's price (the shipped table at synth) of one instance.
      hourlyUsd: d.hourlyUsd / Math.max(1, d.instances),
      priceSource: 'price table at synth (deployment hourlyUsd)',
      deployment: { id: d.id, instanceType: d.instanceType, model: d.model },
      ...(run.scalableTarget ? { policy: { minCapacity: run.scalableTarget.minCapacity, maxCapacity: run.scalableTarget.maxCapacity } } : {}),
    });
    const bodies = await renderScenarioFiles(result);
    const files: Record<string, string> = {};
    for (const kind of Object.keys(SCENARIO_FILES) as ScenarioFileKind[]) {
      files[kind] = keys.file(SCENARIO_FILES[kind]);
      await deps.store.putText(files[kind], bodies[kind], SCENARIO_CONTENT_TYPES[kind]);
    }
    const pointer: LatestScenarioPointer = {
      schemaVersion: LATEST_SCENARIO_VERSION,
      kind: run.spec.kind,
      runId: run.runId,
      finishedAt: deps.now().toISOString(),
      report: files.html as string,
      figures: result.figures,
    };
    await deps.store.putJson(latestScenarioKey(d.id, run.spec.kind), pointer);
    publishScenarioMetrics(result, d.id, deps.emfSink);
    deps.logger.info('scenario done', { deploymentId: d.id, runId: run.runId, kind: run.spec.kind, records: records.length, figures: result.figures });
    return { deploymentId: d.id, runId: run.runId, kind: run.spec.kind, files, figures: result.figures };
  };
}

let cached: ReturnType<typeof createScenarioFinishHandler> | undefined;
export const handler = (event: ExecutionState): Promise<ScenarioFinishResult> =>
  (cached ??= createScenarioFinishHandler({
    ...defaultCommonDeps('llm-bench-scenario-finish'),
    clients: { sagemaker: new SageMakerClient({}), autoScaling: new ApplicationAutoScalingClient({}) },
  }))(event);
