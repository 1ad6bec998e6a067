import './polyfill';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { STEP_ENV } from '../../lib/benchmark/benchmark-functions';
import { SCENARIO_STATE_NAMES } from '../../lib/benchmark/scenario-path';
import { UserInputError } from '../../lib/errors';
import { SCENARIO_KINDS, type ScenarioKind, type ScenarioResult, type ScenarioSpec } from '../../lib/results/scenario';
import { scenarioSpec } from '../../lib/results/scenario-schedule';
import type { CapacityTimingParams } from '../../lib/planner/capacity-timing';
import { scalingOfTemplate } from '../local/control-plane/scaling-policies';
import type { TargetTrackingModel } from '../local/control-plane/target-tracking';
import type { AwsCall } from '../local/judges/aws-call';
import { IamJudge, type JudgedCall } from '../local/judges/iam/iam-judge';
import { templateRoles } from '../local/judges/iam/template-roles';
import { LocalFolderStore } from '../pipeline/local-store';
import { runIdProblem, scenarioKeys } from '../pipeline/layout';
import { checkOutputFolder } from '../report/output-folder';
import { renderScenarioFiles, SCENARIO_FILES, type ScenarioFileKind } from '../scenario/report';
import { capacityModelOf, startScalingTwinOf, type ScalingTwin } from '../scenario/scaling-twin';
import { extractStateMachine, localizeDefinition, type StatesDefinition } from './definition';
import { checkSpeedup, compressedPollMs, deploymentState, executeOffline, executionNameOf, fleetDeployment, offlineEmfPath, workerRuntimeClient } from './execute';
import { localHandlers } from './local-handlers';
import { defaultRunId } from './run-offline';
import { stepIdentities } from './step-roles';
import { synthesizeFleet, type SynthesizedFleet } from './synth';

export interface ScenarioOfflineOptions {
  readonly deployment: string;
  /** A scenario the deployment declares in `benchmark.scenarios`. */
  readonly scenario: string;
  readonly fleetPath?: string;
  readonly region?: string;
  /** A fleet synthesized before (tests reuse one). */
  readonly synthesized?: SynthesizedFleet;
  /** Time compression of the twin. @default 30 */
  readonly speedup?: number;
  /** Results folder (the S3 bucket's stand-in). @default ./bench-results */
  readonly outDir?: string;
  readonly runId?: string;
  /** Overrides of the declared scenario's parameters (tests shorten it), checked like the fleet's. */
  readonly overrides?: Partial<Omit<ScenarioSpec, 'kind'>>;
  /** Overrides of the twin's capacity model over the fleet's `benchmark.twin.capacity` (the --capacity flag), and its target tracking model (docs/scenarios.md). */
  readonly capacity?: Partial<CapacityTimingParams>;
  readonly tracking?: Partial<TargetTrackingModel>;
  readonly onProgress?: (message: string) => void;
  /**
   * Refuses the SageMaker / Application Auto Scaling calls it returns true for, as AccessDenied (what
   * a role losing a permission mid-run does): how tests fail a scenario in a chosen state.
   */
  readonly refuse?: (call: AwsCall) => boolean;
}

export interface ScenarioOfflineResult {
  readonly succeeded: boolean;
  readonly deploymentId: string;
  readonly runId: string;
  readonly spec: ScenarioSpec;
  readonly result?: ScenarioResult;
  /** Absolute paths of scenario.json and its report. */
  readonly files: Readonly<Record<ScenarioFileKind, string>>;
  readonly error?: string;
  /** The twin's modelled copy load and instance add times, virtual ms (the figures are checked against them). */
  readonly twin: Pick<ScalingTwin, 'copyLoadMs' | 'instanceAddMs' | 'policies' | 'capacity' | 'capacityOrigins'>;
  /** Every distinct AWS call the IAM judge decided (role, action, resource, allowed). */
  readonly iam: readonly JudgedCall[];
  readonly emfPath: string;
  readonly durationMs: number;
}

/** The declared spec of `kind` in the deployment's `Use {id}` state, with `overrides` applied (patched into the definition). */
function patchScenario(definition: StatesDefinition, deploymentId: string, kind: string, overrides: Partial<Omit<ScenarioSpec, 'kind'>> | undefined): ScenarioSpec {
  const state = deploymentState(definition, deploymentId);
  const input = state.input;
  const declared = input.scenarios ?? {};
  const spec = SCENARIO_KINDS.includes(kind as ScenarioKind) ? declared[kind as ScenarioKind] : undefined;
  if (spec === undefined || definition.States[SCENARIO_STATE_NAMES.route] === undefined) {
    throw new UserInputError('--scenario', `deployment ${deploymentId} declares no '${kind}' scenario; allowed: ${Object.keys(declared).join(', ') || 'none'} (add it to benchmark.scenarios in the fleet file)`);
  }
  const patched = overrides === undefined ? spec : scenarioSpec(kind, { ...spec, ...overrides });
  state.set({ ...input, scenarios: { ...declared, [kind]: patched } });
  return patched;
}

/**
 * A scenario through the synthesized pipeline, offline: the state machine's scenario path executed
 * by aws-local-stepfunctions, every task bound to the real handler running as its function's role
 * (the IAM judge decides each call), S3 replaced by a local folder, against the deployment's
 * autoscaling twin (its policies read from the synthesized deployment template).
 */
export async function runScenarioPipelineOffline(opts: ScenarioOfflineOptions): Promise<ScenarioOfflineResult> {
  const started = Date.now();
  const progress = opts.onProgress ?? (() => undefined);
  const speedup = opts.speedup ?? 30;
  checkSpeedup(speedup);
  const runId = opts.runId ?? `${opts.scenario}-${defaultRunId(new Date())}`;
  const runIdError = runIdProblem(runId);
  if (runIdError) throw new UserInputError('--run-id', runIdError);
  const synth = opts.synthesized ?? synthesizeFleet({ fleetPath: opts.fleetPath, region: opts.region });
  progress(`synthesized fleet '${synth.fleet.name}' in ${(synth.durationMs / 1000).toFixed(1)} s`);
  const deployment = fleetDeployment(synth.fleet.deployments, opts.deployment);
  const machine = extractStateMachine(synth.template, { region: synth.region, account: synth.account, startAt: 'SelectDeployment', stepEnv: STEP_ENV });
  const definition = localizeDefinition(machine.definition);
  const spec = patchScenario(definition, deployment.id, opts.scenario, opts.overrides);
  const deploymentTemplate = synth.deploymentTemplates[deployment.id];
  if (deploymentTemplate === undefined) throw new Error(`no synthesized template for deployment ${deployment.id}`);

  const ctx = { region: synth.region, account: synth.account };
  const judge = new IamJudge(templateRoles(synth.template, ctx), ctx);
  const outDir = path.resolve(opts.outDir ?? 'bench-results');
  checkOutputFolder(outDir);
  const twin = await startScalingTwinOf(deployment, scalingOfTemplate(deploymentTemplate), {
    speedup,
    ...(opts.capacity ? { capacity: opts.capacity } : {}),
    ...(opts.tracking ? { tracking: opts.tracking } : {}),
    authorize: (accessKeyId, call) =>
      opts.refuse?.(call) === true ? Promise.resolve({ allowed: false, code: 'AccessDeniedException', message: `refused by the offline run: ${call.action}` }) : judge.authorize(accessKeyId, call),
  });
  const endpointUrl = twin.endpoint.url;
  progress(`autoscaling twin of ${deployment.id} at ${endpointUrl}, speedup ${speedup}× (one copy loads in ${(twin.copyLoadMs / 1000).toFixed(1)} s)`);
  const store = new LocalFolderStore(outDir);
  const identity = stepIdentities(synth.template, judge, store, ctx, true);
  // No SDK retries: every refusal (no capacity, throttled) is one of the scenario's failures.
  const runtimeClient = workerRuntimeClient(identity('scenario-worker'), { endpointUrl, region: synth.region, retries: 0 });
  const emfPath = offlineEmfPath(outDir, deployment.id, runId);
  const handlers = localHandlers({
    store,
    identity,
    endpointUrl,
    region: synth.region,
    speedup,
    runtimeClient,
    emfPath,
    tolerateMissingControlPlane: false,
    telemetryClock: { speedup, originMs: twin.endpoint.clockOriginMs ?? Date.now() },
  });
  const executionName = executionNameOf(runId);
  const pollMs = compressedPollMs(speedup);
  let error: string | undefined;
  try {
    progress(`scenario ${spec.kind} → ${outDir} (run ${runId})`);
    await executeOffline({
      synth,
      machine,
      definition,
      judge,
      handlers,
      input: { deploymentId: deployment.id, scenario: spec.kind, runId, trigger: 'offline' },
      executionName,
      waitTimeOverrides: { [SCENARIO_STATE_NAMES.waitForEndpoint]: pollMs, [SCENARIO_STATE_NAMES.waitForCapacity]: Math.min(pollMs, 200) },
    });
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  } finally {
    runtimeClient.destroy();
    await twin.endpoint.close();
  }
  const keys = scenarioKeys(deployment.id, runId);
  const files = Object.fromEntries((Object.keys(SCENARIO_FILES) as ScenarioFileKind[]).map((kind) => [kind, store.locate(keys.file(SCENARIO_FILES[kind]))])) as Record<ScenarioFileKind, string>;
  // A failed run leaves a partial scenario.json (with `failure`) when it got far enough to measure.
  const written = await store.getJson<ScenarioResult>(keys.file(SCENARIO_FILES.json));
  // The twin's capacity model is the offline run's own (a deployed endpoint has none): recorded beside the figures it shaped.
  const result = written === undefined ? undefined : { ...written, capacityModel: capacityModelOf(twin) };
  if (result !== undefined) {
    const bodies = await renderScenarioFiles(result);
    for (const kind of Object.keys(SCENARIO_FILES) as ScenarioFileKind[]) await fs.writeFile(files[kind], bodies[kind]);
  }
  return {
    succeeded: error === undefined && result !== undefined && result.failure === undefined,
    deploymentId: deployment.id,
    runId,
    spec,
    ...(result ? { result } : {}),
    files,
    ...(error ? { error } : {}),
    twin: { copyLoadMs: twin.copyLoadMs, instanceAddMs: twin.instanceAddMs, policies: twin.policies, capacity: twin.capacity, capacityOrigins: twin.capacityOrigins },
    iam: judge.judged,
    emfPath,
    durationMs: Date.now() - started,
  };
}
