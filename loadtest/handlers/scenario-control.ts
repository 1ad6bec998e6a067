import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { ExecutionState, ScenarioControlEvent, ScenarioRunState, ScenarioSamplerItem } from '../../lib/benchmark/pipeline-state';
import { UserInputError } from '../../lib/errors';
import { SCENARIO_KINDS, type ScenarioKind } from '../../lib/results/scenario';
import { runIdProblem, scenarioKeys } from '../pipeline/layout';
import { createCapacityReader, type CapacityClients } from '../scenario/capacity-reader';
import { sampleCapacity } from '../scenario/drive';
import { requestStartingCapacity, startingCapacityReached } from '../scenario/prepare';
import { planScenarioWindows } from '../scenario/windows';
import { defaultCommonDeps, type CommonDeps } from './deps';
import { LayoutBusy, ScalableTargetNotRegistered } from './scaling';

/**
 * The scenario path's control steps (scaling stays enabled throughout; nothing is suspended):
 * - plan: picks the scenario the execution asks for among those the deployment declares, reads the
 *   scalable target (DescribeScalableTargets) and asks for the starting copies: 0 for
 *   scale-from-zero, else MinCapacity (UpdateInferenceComponentRuntimeConfig);
 * - prepare: polled by the state machine until the starting copies are in service, then fixes the
 *   scenario's start and slices its schedule into windows;
 * - sample: one window's capacity sampler, DescribeEndpoint / DescribeInferenceComponent every
 *   `sampleS`, readings to scenarios/{deployment}/{runId}/readings/window-{K}.json.
 */
export interface ScenarioControlDeps extends CommonDeps {
  readonly clients: CapacityClients;
  /** Lead between the starting capacity being ready and the first window's start (workers' cold starts). */
  readonly startLeadMs: number;
  /** Polls of the starting capacity before giving up. */
  readonly maxPrepareAttempts: number;
}

function runIdOf(state: ExecutionState, kind: string, executionName: string): string {
  const runId = state.runId ?? `${kind}-${executionName}`.slice(0, 80);
  const problem = runIdProblem(runId);
  if (problem) throw new UserInputError('runId', problem);
  return runId;
}

async function plan(deps: ScenarioControlDeps, state: ExecutionState, executionName: string): Promise<ScenarioRunState> {
  const d = state.deployment;
  const kind = state.scenario ?? '';
  const declared = Object.keys(d.scenarios ?? {});
  const spec = SCENARIO_KINDS.includes(kind as ScenarioKind) ? d.scenarios?.[kind as ScenarioKind] : undefined;
  if (spec === undefined) {
    throw new UserInputError('scenario', `deployment ${d.id} declares no '${kind}' scenario; allowed: ${['sweep', ...declared].join(', ')} (benchmark.scenarios in the fleet file)`);
  }
  const runId = runIdOf(state, kind, executionName);
  const reader = createCapacityReader(deps.clients, d.endpointName, d.inferenceComponentName);
  const target = await reader.scalableTarget();
  if (target === undefined) throw new ScalableTargetNotRegistered(d.inferenceComponentName !== undefined ? `inference-component/${d.inferenceComponentName}` : `endpoint/${d.endpointName}`);
  const base = { deploymentId: d.id, runId, spec, scalableTarget: target, ready: false, attempts: 0, windows: [] };
  if (d.inferenceComponentName === undefined) return base;
  const startCopies = spec.kind === 'scale-from-zero' ? 0 : target.minCapacity;
  const reading = await reader.read();
  if (reading.copiesDesired !== startCopies && reading.componentStatus !== 'InService') throw new LayoutBusy(`inference component ${d.inferenceComponentName}`, reading.componentStatus ?? 'Unknown');
  const asked = await requestStartingCapacity(reader, startCopies, reading);
  deps.logger.info('scenario planned', { deploymentId: d.id, runId, kind, startCopies, asked, scalableTarget: target });
  return { ...base, startCopies };
}

async function prepare(deps: ScenarioControlDeps, state: ExecutionState): Promise<ScenarioRunState> {
  const run = state.scenarioRun;
  if (run === undefined) throw new Error('scenario-control prepare: the state has no scenarioRun (plan runs first)');
  const d = state.deployment;
  const reading = await createCapacityReader(deps.clients, d.endpointName, d.inferenceComponentName).read();
  const attempts = run.attempts + 1;
  const ready = run.startCopies === undefined ? reading.instancesInService !== undefined : startingCapacityReached(reading, run.startCopies);
  if (!ready) {
    if (attempts >= deps.maxPrepareAttempts) {
      throw new Error(`${d.inferenceComponentName ?? d.endpointName} did not reach ${String(run.startCopies)} copies in service after ${attempts} polls (now ${String(reading.copiesInService)}, ${String(reading.componentStatus)})`);
    }
    return { ...run, attempts };
  }
  const scenarioStartEpochMs = deps.now().getTime() + deps.startLeadMs;
  const windows = planScenarioWindows(d, { runId: run.runId, spec: run.spec, scenarioStartEpochMs });
  deps.logger.info('scenario ready', { deploymentId: d.id, runId: run.runId, windows: windows.length, reading });
  return { ...run, attempts, ready: true, startReading: reading, scenarioStartEpochMs, windows };
}

async function sample(deps: ScenarioControlDeps, item: ScenarioSamplerItem): Promise<{ readonly window: number; readonly readings: number }> {
  const reader = createCapacityReader(deps.clients, item.endpointName, item.inferenceComponentName);
  const readings = await sampleCapacity({ spec: item.spec, startWallMs: item.scenarioStartEpochMs, speedup: deps.speedup, fromS: item.fromS, toS: item.toS, capacity: reader });
  await deps.store.putJson(scenarioKeys(item.deploymentId, item.runId).readings(item.window), readings);
  return { window: item.window, readings: readings.length };
}

export function createScenarioControlHandler(deps: ScenarioControlDeps) {
  return async (event: ScenarioControlEvent): Promise<ScenarioRunState | { readonly window: number; readonly readings: number }> => {
    switch (event.action) {
      case 'plan':
        return plan(deps, event.state, event.executionName);
      case 'prepare':
        return prepare(deps, event.state);
      case 'sample':
        return sample(deps, event.item);
      default:
        throw new Error(`scenario-control: action must be 'plan', 'prepare' or 'sample', got ${JSON.stringify((event as { action?: unknown }).action)}`);
    }
  };
}

let cached: ReturnType<typeof createScenarioControlHandler> | undefined;
/** Lambda entry point; clients are built on the first invocation and reused while warm. */
export const handler = (event: ScenarioControlEvent): ReturnType<ReturnType<typeof createScenarioControlHandler>> =>
  (cached ??= createScenarioControlHandler({
    ...defaultCommonDeps('llm-bench-scenario-control'),
    clients: { sagemaker: new SageMakerClient({}), autoScaling: new ApplicationAutoScalingClient({}) },
    // Workers are Lambda invocations started by a Map state: a few seconds covers their cold start.
    startLeadMs: 5_000,
    maxPrepareAttempts: Number(process.env.MAX_WAIT_POLLS ?? 120),
  }))(event);
