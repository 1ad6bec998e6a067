import { SCENARIO_WINDOW_S, type DeploymentInput, type ScenarioWindow } from '../../lib/benchmark/pipeline-state';
import type { ScenarioSpec } from '../../lib/results/scenario';
import { scenarioDurationS } from '../../lib/results/scenario-schedule';

/**
 * The scenario's load schedule sliced into windows of `windowS` (endpoint seconds) from a common
 * scenario start: each window's `workers` Lambda workers share its streams (stream i → worker
 * i mod workers) or, with load `rate`, its arrivals (arrival i → worker i mod workers, one seeded
 * sequence for the whole scenario) and one sampler reads capacity beside them. Every window counts from the same
 * start epoch, so the state machine's time between windows shifts nothing.
 */
export function planScenarioWindows(
  deployment: DeploymentInput,
  run: { readonly runId: string; readonly spec: ScenarioSpec; readonly scenarioStartEpochMs: number },
  windowS: number = SCENARIO_WINDOW_S,
): ScenarioWindow[] {
  const { spec } = run;
  const durationS = scenarioDurationS(spec);
  // A concurrency load's streams, or a rate load's requests per second at the top, shared by the workers.
  const streams = Math.max(1, Math.ceil(Math.max(spec.from, spec.to)));
  const workers = Math.max(1, Math.min(deployment.benchmark.workers, streams));
  const windows: ScenarioWindow[] = [];
  for (let index = 0, fromS = 0; fromS < durationS - 1e-9; index += 1, fromS += windowS) {
    const slice = {
      deploymentId: deployment.id,
      runId: run.runId,
      endpointName: deployment.endpointName,
      ...(deployment.inferenceComponentName !== undefined ? { inferenceComponentName: deployment.inferenceComponentName } : {}),
      spec,
      window: index,
      scenarioStartEpochMs: run.scenarioStartEpochMs,
      fromS,
      toS: Math.min(durationS, fromS + windowS),
    };
    const b = deployment.benchmark;
    windows.push({
      index,
      workers: Array.from({ length: workers }, (_, worker) => ({
        ...slice,
        worker,
        workers,
        inputTokens: b.inputTokens,
        outputTokens: b.outputTokens,
        stream: b.stream,
        timeoutS: b.timeoutS,
        seed: 1 + index * 1000 + worker,
        ...(b.container !== undefined ? { container: b.container } : {}),
      })),
      workerCount: workers,
      sampler: slice,
    });
  }
  return windows;
}
