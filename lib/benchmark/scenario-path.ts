import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { ScenarioStep } from './benchmark-functions';
import { LAYOUT_BUSY, SCALABLE_TARGET_NOT_REGISTERED, SCENARIO_WINDOWS_IN_FLIGHT } from './pipeline-state';
import { INLINE_MAP_MAX_CONCURRENCY } from './service-limits';

/** Names of the scenario path's states the offline harness and tests refer to. */
export const SCENARIO_STATE_NAMES = {
  route: 'SweepOrScenario?',
  describe: 'ScenarioDescribeEndpoint',
  waitForEndpoint: 'ScenarioWaitForEndpoint',
  plan: 'PlanScenario',
  prepare: 'PrepareScenario',
  waitForCapacity: 'ScenarioWaitForCapacity',
  windows: 'ScenarioWindows',
  window: 'ScenarioWindow',
  workers: 'ScenarioWorkers',
  worker: 'ScenarioWorker',
  sample: 'SampleCapacity',
  finish: 'FinishScenario',
  fleetReport: 'ScenarioFleetReport',
  partialReport: 'ScenarioPartialReport',
  failed: 'ScenarioFailed',
} as const;

/** A window's workers run in an inline Map and must all run together. */
const MAX_SCENARIO_WORKERS = INLINE_MAP_MAX_CONCURRENCY;

export interface ScenarioPathProps {
  readonly functions: Readonly<Record<ScenarioStep, lambda.IFunction>>;
  /** The describe-endpoint step (the sweep's, reused to wait for InService). */
  readonly describeEndpoint: lambda.IFunction;
  /** Builds a Lambda task as the sweep's are built (retries, timeout). */
  readonly invoke: (stateName: string, fn: lambda.IFunction, payload: sfn.TaskInput | string, resultPath: string) => tasks.LambdaInvoke;
  /** The fleet report after the scenario (best effort), then `then`. */
  readonly fleetReportThen: (stateName: string, then: sfn.IChainable) => sfn.IChainable;
  readonly pollIntervalS: number;
  /** Most Lambda workers any scenario deployment uses per window. */
  readonly maxWorkers: number;
}

/**
 * The scenario path (execution input `{"deploymentId": …, "scenario": "ramp"}`): scaling stays
 * enabled, nothing is pinned. Wait until the endpoint and its component are InService; plan (pick
 * the declared scenario, ask for the starting copies: 0 for scale-from-zero, else MinCapacity);
 * wait until they are in service; then the windows (a Map, two in flight so the next one's workers
 * are up when this one ends): each window's workers (a Map, all at once) beside its capacity sampler
 * (a Parallel state); finally
 * derive the figures and write scenario.json, its time series and report, and the EMF metrics.
 * Any failure writes a partial report (scenario-finish with the failed state: what was measured until
 * then) and ends in ScenarioFailed with the failed state's name (no scaling to restore).
 */
export function scenarioPath(scope: Construct, props: ScenarioPathProps): sfn.IChainable {
  if (props.maxWorkers > MAX_SCENARIO_WORKERS) {
    throw new Error(`scenario windows run their workers in an inline Map (at most ${MAX_SCENARIO_WORKERS} at once); benchmark.workers is ${props.maxWorkers}`);
  }
  const n = SCENARIO_STATE_NAMES;
  const fns = props.functions;
  // The error names the failed state, the cause is its error's (Step Functions' Catch puts {Error, Cause} at $.error).
  const failed = new sfn.Fail(scope, n.failed, { errorPath: '$.failedStep', causePath: '$.error.Cause' });
  // As the sweep's: a partial report of what was measured, naming the failed state, then the failure
  // (the report failing too still ends in ScenarioFailed with the original error).
  const partialReport = props.invoke(n.partialReport, fns['scenario-finish'], '$', '$.scenarioResult');
  partialReport.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.reportError' });
  partialReport.next(failed);
  const catchInto = (state: sfn.TaskStateBase | sfn.Map | sfn.Parallel, stepName: string): void => {
    const mark = new sfn.Pass(scope, `${stepName}Failed`, { result: sfn.Result.fromString(stepName), resultPath: '$.failedStep' });
    mark.next(partialReport);
    state.addCatch(mark, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
  };
  const control = (action: string, extra: Record<string, unknown> = {}): sfn.TaskInput => sfn.TaskInput.fromObject({ action, 'state.$': '$', ...extra });

  const describe = props.invoke(n.describe, props.describeEndpoint, '$', '$.endpoint');
  catchInto(describe, n.describe);
  const waitEndpoint = new sfn.Wait(scope, n.waitForEndpoint, { time: sfn.WaitTime.duration(Duration.seconds(props.pollIntervalS)) });
  const plan = props.invoke(n.plan, fns['scenario-control'], control('plan', { 'executionName.$': '$$.Execution.Name' }), '$.scenarioRun');
  plan.addRetry({ errors: [SCALABLE_TARGET_NOT_REGISTERED, LAYOUT_BUSY], interval: Duration.seconds(props.pollIntervalS), backoffRate: 1, maxAttempts: 20 });
  catchInto(plan, n.plan);
  const prepare = props.invoke(n.prepare, fns['scenario-control'], control('prepare'), '$.scenarioRun');
  catchInto(prepare, n.prepare);
  const waitCapacity = new sfn.Wait(scope, n.waitForCapacity, { time: sfn.WaitTime.duration(Duration.seconds(props.pollIntervalS)) });

  const worker = props.invoke(n.worker, fns['scenario-worker'], '$', sfn.JsonPath.DISCARD);
  const workers = new sfn.Map(scope, n.workers, { itemsPath: '$.workers', maxConcurrencyPath: '$.workerCount', resultPath: sfn.JsonPath.DISCARD });
  workers.itemProcessor(worker);
  const sample = props.invoke(n.sample, fns['scenario-control'], sfn.TaskInput.fromObject({ action: 'sample', 'item.$': '$.sampler' }), sfn.JsonPath.DISCARD);
  const window = new sfn.Parallel(scope, n.window, { resultPath: sfn.JsonPath.DISCARD });
  window.branch(workers).branch(sample);
  // Two windows in flight: the next window's workers start (and wait for its start) while this one's
  // last requests drain, so draining never delays the next window. Every window counts from the
  // scenario's common start, and each stream hands over to the next window's (scenario-worker).
  const windows = new sfn.Map(scope, n.windows, { itemsPath: '$.scenarioRun.windows', maxConcurrency: SCENARIO_WINDOWS_IN_FLIGHT, resultPath: sfn.JsonPath.DISCARD });
  windows.itemProcessor(window);
  catchInto(windows, n.windows);
  const finish = props.invoke(n.finish, fns['scenario-finish'], '$', '$.scenarioResult');
  catchInto(finish, n.finish);
  const succeeded = new sfn.Succeed(scope, 'ScenarioSucceeded');

  finish.next(props.fleetReportThen(n.fleetReport, succeeded));
  windows.next(finish);
  waitCapacity.next(prepare);
  prepare.next(new sfn.Choice(scope, 'StartingCapacityReady?').when(sfn.Condition.booleanEquals('$.scenarioRun.ready', true), windows).otherwise(waitCapacity));
  plan.next(prepare);
  waitEndpoint.next(describe);
  describe.next(new sfn.Choice(scope, 'ScenarioEndpointInService?').when(sfn.Condition.booleanEquals('$.endpoint.ready', true), plan).otherwise(waitEndpoint));
  return describe;
}
