import './polyfill';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { STATE_NAMES } from '../../lib/benchmark/sweep-state-machine';
import { STEP_ENV } from '../../lib/benchmark/benchmark-functions';
import { UserInputError } from '../../lib/errors';
import type { ResolvedDeployment } from '../../lib/fleet/types';
import { startLocalEndpoint, type LocalEndpoint } from '../local';
import type { TemplateEndpoint } from './template-endpoint';
import { IamJudge, type JudgedCall } from '../local/judges/iam/iam-judge';
import { templateRoles } from '../local/judges/iam/template-roles';
import type { AwsCall } from '../local/judges/aws-call';
import { readTemplateDeployment } from './template-deployment';
import { judgedImage, startTemplateEndpoint } from './template-endpoint';
import type { LifecyclePreset, LifecycleTimings } from '../local/control-plane/lifecycle-timings';
import { deferredCompressedClock } from '../local/control-plane/timeline';
import type { MergedLevelSummary } from '../handlers/merge-level';
import { pipelineRunKeys, RUN_FILES, runIdProblem, runPrefix } from '../pipeline/layout';
import { ensureRunManifest } from '../pipeline/run-manifest';
import { acquireRunLock, processOwner, type HeldLock, type RunOwner } from '../pipeline/run-lock';
import { checkOutputFolder } from '../report/output-folder';
import { REPORT_FILE_KINDS, REPORT_FILES, type ReportFileKind } from '../report/names';
import { LocalFolderStore } from '../pipeline/local-store';
import type { BenchmarkInput, DeploymentInput, SweepState, WorkerItem } from '../../lib/benchmark/pipeline-state';
import type { StopReason, SweepResult } from '../../lib/results/records';
import { extractStateMachine, localizeDefinition, type StatesDefinition } from './definition';
import { checkSpeedup, compressedPollMs, deploymentState, executeOffline, executionNameOf, fleetDeployment, offlineEmfPath, workerRuntimeClient } from './execute';
import { localHandlers } from './local-handlers';
import { stepIdentities } from './step-roles';
import { discoverTargetClock } from '../telemetry';
import { discoverTwinLagProbe, twinLagProbe } from '../local/twin-lag';
import { synthesizeFleet, type SynthesizedFleet } from './synth';

export type OfflineProgress =
  | { readonly kind: 'synthesized'; readonly fleet: string; readonly deployments: number; readonly durationMs: number }
  | {
      readonly kind: 'endpoint';
      readonly url: string;
      readonly local: boolean;
      readonly speedup: number;
      readonly deploymentId: string;
      readonly endpointName: string;
      /** Why the container did not start (execution role or TGI launcher judge). */
      readonly containerFailure?: string;
    }
  | { readonly kind: 'run'; readonly runId: string; readonly outDir: string; readonly resumed: boolean; readonly movedAsideTo?: string }
  | { readonly kind: 'took-over'; readonly owner: RunOwner }
  | { readonly kind: 'level-start'; readonly concurrency: number; readonly workers: number }
  | { readonly kind: 'level'; readonly level: MergedLevelSummary }
  | { readonly kind: 'done'; readonly succeeded: boolean; readonly stopReason?: StopReason; readonly failure?: SweepResult['failure'] };

export interface OfflineOptions {
  /** Deployment id of the fleet. @default the fleet's llama-2-7b on ml.g5.2xlarge, else its first */
  readonly deployment?: string;
  /** Any SageMaker-protocol endpoint; when absent a local endpoint twin of the deployment is started. */
  readonly endpointUrl?: string;
  /**
   * Endpoint name to invoke at `endpointUrl` in place of the deployment's (an endpoint served under
   * another name, e.g. `llm-bench serve-local --endpoint-name NAME`). Also drops the deployment's
   * inference component unless `inferenceComponentName` is given. @default the deployment's name
   */
  readonly endpointName?: string;
  /** Inference component to address with `endpointName`. */
  readonly inferenceComponentName?: string;
  /** Time compression of the local endpoint. @default 30 (1 with endpointUrl) */
  readonly speedup?: number;
  /** Results folder (the S3 bucket's stand-in). @default ./bench-results */
  readonly outDir?: string;
  /** Run id; an existing one with the same identity resumes (levels already merged are not measured again). */
  readonly runId?: string;
  /** Move an existing run of this run id aside (to `{runId}-replaced-{time}`) and start it afresh. */
  readonly restart?: boolean;
  readonly fleetPath?: string;
  readonly region?: string;
  /** A fleet synthesized before (tests reuse one). */
  readonly synthesized?: SynthesizedFleet;
  /** Overrides of the deployment's benchmark settings (tests shorten windows). */
  readonly benchmark?: Partial<BenchmarkInput>;
  /**
   * AWS Price List API endpoint the report step reads prices from (e.g. the loopback one of
   * loadtest/local/pricing); absent or unreachable: the report uses the shipped table and says so.
   */
  readonly priceListUrl?: string;
  /** Fault spec of the local endpoint (loadtest/local/faults.ts). */
  readonly faults?: string;
  /** Called before each worker runs; throwing fails the worker (fault injection). */
  readonly beforeWorker?: (item: WorkerItem) => void | Promise<void>;
  readonly onProgress?: (event: OfflineProgress) => void;
  /** Control-plane lifecycle of the local endpoint (virtual ms per transition, or a preset). @default 'quick' */
  readonly lifecycle?: Partial<LifecycleTimings> | LifecyclePreset;
  /** Called once the local endpoint listens (tests drive and inspect its control plane). */
  readonly onLocalEndpoint?: (endpoint: LocalEndpoint) => void;
  /**
   * Workers keep their client verdict. Offline the workers share one process with the endpoint twin,
   * so on a loaded machine levels can be judged client-bound, and stop rules then skip them; tests of
   * stop rules turn it off. @default true
   */
  readonly recordClient?: boolean;
}

export interface OfflineResult {
  readonly succeeded: boolean;
  readonly deploymentId: string;
  readonly runId: string;
  /** Absolute paths of the report files. */
  readonly files: Readonly<Record<ReportFileKind, string>>;
  readonly sweep?: SweepResult;
  /** Message of the execution's failure (the report says which step). */
  readonly error?: string;
  /** How the local endpoint's container started (execution role and launcher judges), when a local endpoint ran. */
  readonly container?: TemplateEndpoint['start'];
  /** Every distinct AWS call the IAM judge decided (role, action, resource, allowed). */
  readonly iam: readonly JudgedCall[];
  /** EMF lines the report step emitted (JSON lines). */
  readonly emfPath: string;
  readonly durationMs: number;
}

function pickDeployment(deployments: readonly ResolvedDeployment[], id: string | undefined): ResolvedDeployment {
  if (id !== undefined) return fleetDeployment(deployments, id);
  return deployments.find((d) => d.model.id === 'llama-2-7b' && d.instanceType.name === 'ml.g5.2xlarge' && d.layout === 'variant') ?? deployments[0];
}

/** Overrides of the deployment's Pass state (`Use {id}`) in the definition. */
interface DeploymentPatch {
  readonly benchmark?: Partial<BenchmarkInput>;
  readonly endpointName?: string;
  readonly inferenceComponentName?: string;
}

/** Applies endpoint and benchmark overrides to the deployment's Pass state (`Use {id}`) in the definition. */
function patchDeployment(definition: StatesDefinition, deploymentId: string, patch: DeploymentPatch): void {
  if (!patch.benchmark && patch.endpointName === undefined) return;
  const state = deploymentState(definition, deploymentId);
  const { inferenceComponentName, ...result } = state.input;
  const patched: DeploymentInput = {
    ...result,
    ...(patch.endpointName === undefined
      ? inferenceComponentName !== undefined ? { inferenceComponentName } : {}
      : { endpointName: patch.endpointName, ...(patch.inferenceComponentName ? { inferenceComponentName: patch.inferenceComponentName } : {}) }),
    benchmark: { ...result.benchmark, ...patch.benchmark },
  };
  state.set(patched);
}

const OFFLINE_REMEDIES = 'Give a new --run-id, or add --restart to move the old run aside and start afresh.';

/**
 * Claims the run for this process before anything starts: its lock (pid, host; a dead process's
 * lock is taken over) and its manifest (same identity resumes, another is refused naming the
 * differing fields). `restart` moves an existing run aside first.
 */
async function claimOfflineRun(
  store: LocalFolderStore,
  input: DeploymentInput,
  runId: string,
  execution: string,
  speedup: number,
  restart: boolean,
): Promise<{ lock: HeldLock; resumed: boolean; movedAsideTo?: string }> {
  const keys = pipelineRunKeys(input.id, runId);
  const owner = processOwner('npm start', { execution });
  const place = { field: '--run-id', location: `run ${runId} of ${input.id} in ${store.root}`, remedy: 'wait for it to end, or give another --run-id' };
  let lock = await acquireRunLock(store, keys.lock, owner, place);
  let movedAsideTo: string | undefined;
  try {
    if (restart && (await store.exists(keys.manifest))) {
      const dir = store.locate(keys.prefix.replace(/\/$/, ''));
      movedAsideTo = `${dir}-replaced-${new Date().toISOString().replace(/[-:.]/g, '')}`;
      await fs.rename(dir, movedAsideTo);
      await fs.rm(path.join(movedAsideTo, RUN_FILES.lock), { force: true });
      lock = await acquireRunLock(store, keys.lock, owner, place);
    }
    const claim = await ensureRunManifest(store, input, runId, speedup, new Date(), { field: '--run-id', location: `run ${runId} of ${input.id} in ${store.root}`, remedies: OFFLINE_REMEDIES });
    return { lock, resumed: claim.resumed, ...(movedAsideTo ? { movedAsideTo } : {}) };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

export function defaultRunId(now: Date): string {
  return `offline-${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
}

/**
 * The benchmark pipeline, offline: the synthesized state machine executed by aws-local-stepfunctions
 * with every Lambda task bound to the real handler code, S3 replaced by a local folder and the
 * SageMaker clients pointed at a local endpoint (or `endpointUrl`).
 */
export async function runOffline(opts: OfflineOptions = {}): Promise<OfflineResult> {
  const started = Date.now();
  const progress = opts.onProgress ?? (() => undefined);
  const synth = opts.synthesized ?? synthesizeFleet({ fleetPath: opts.fleetPath, region: opts.region });
  progress({ kind: 'synthesized', fleet: synth.fleet.name, deployments: synth.fleet.deployments.length, durationMs: synth.durationMs });
  const deployment = pickDeployment(synth.fleet.deployments, opts.deployment);
  const machine = extractStateMachine(synth.template, { region: synth.region, account: synth.account, startAt: 'SelectDeployment', stepEnv: STEP_ENV });
  const definition = localizeDefinition(machine.definition);
  if (opts.endpointName !== undefined && opts.endpointUrl === undefined) {
    throw new UserInputError('--endpoint-name', `'${opts.endpointName}' needs --endpoint-url (the local twin serves the deployment's own name)`);
  }
  patchDeployment(definition, deployment.id, {
    ...(opts.benchmark ? { benchmark: opts.benchmark } : {}),
    ...(opts.endpointName !== undefined ? { endpointName: opts.endpointName, inferenceComponentName: opts.inferenceComponentName } : {}),
  });

  const speedup = opts.speedup ?? (opts.endpointUrl ? 1 : 30);
  checkSpeedup(speedup);
  const runIdError = opts.runId === undefined ? undefined : runIdProblem(opts.runId);
  if (runIdError) throw new UserInputError('--run-id', runIdError);
  const ctx = { region: synth.region, account: synth.account };
  const judge = new IamJudge(templateRoles(synth.template, ctx), ctx);
  const deploymentTemplate = synth.deploymentTemplates[deployment.id];
  if (deploymentTemplate === undefined) throw new Error(`no synthesized template for deployment ${deployment.id}`);
  let local: LocalEndpoint | undefined;
  // The deployment's lifecycle starts with the execution (see deferredCompressedClock).
  const controlPlaneClock = deferredCompressedClock(speedup);
  let container: TemplateEndpoint['start'] | undefined;
  if (opts.endpointUrl === undefined) {
    const templateDeployment = readTemplateDeployment(deploymentTemplate, synth.region);
    const common = {
      speedup,
      ...(opts.faults ? { faults: opts.faults } : {}),
      authorize: (accessKeyId: string | undefined, call: AwsCall) => judge.authorize(accessKeyId, call),
      // The endpoint goes InService, then its component is created and its copies placed; the
      // template's scalable targets are registered once their resource exists, as CloudFormation does.
      controlPlane: { lifecycle: opts.lifecycle ?? ('quick' as const), scalableTargets: templateDeployment.scalableTargets, clock: controlPlaneClock.now },
    };
    if (judgedImage(templateDeployment.image)) {
      // What the deployment's template declares is what runs: model, container env, variant, components.
      const started = await startTemplateEndpoint(templateDeployment, { ...common, modelAccess: { template: deploymentTemplate, ...ctx } });
      local = started.endpoint;
      container = started.start;
    } else {
      // An image no container-start judge holds rules for: the fleet's settings drive the twin.
      local = await startLocalEndpoint({
        ...common,
        model: deployment.model,
        instance: deployment.instanceType,
        tp: deployment.tp,
        // The fleet counts copies across the endpoint (CopyCount); the engine counts them per instance.
        copies: Math.max(1, Math.ceil(deployment.copies / deployment.instances)),
        instances: deployment.instances,
        tgi: deployment.tgi,
        // An LMI deployment is served behind LMI's protocol (JSON-lines streams) by the planner's vLLM scheduler, with its LMI settings.
        ...(deployment.lmi !== undefined ? { lmi: deployment.lmi } : {}),
        container: deployment.engine,
        endpointName: deployment.endpointName,
        ...(deployment.inferenceComponentName ? { inferenceComponents: [deployment.inferenceComponentName] } : {}),
      });
    }
    opts.onLocalEndpoint?.(local);
  }
  const endpointUrl = local?.url ?? (opts.endpointUrl as string);
  progress({
    kind: 'endpoint',
    url: endpointUrl,
    local: local !== undefined,
    speedup,
    deploymentId: deployment.id,
    endpointName: opts.endpointName ?? deployment.endpointName,
    ...(container !== undefined && !container.started ? { containerFailure: container.message } : {}),
  });

  const outDir = path.resolve(opts.outDir ?? 'bench-results');
  checkOutputFolder(outDir);
  const store = new LocalFolderStore(outDir);
  const runId = opts.runId ?? defaultRunId(new Date());
  // This process owns the run while it runs (a killed one leaves a stale lock the next resume takes over).
  // Its execution name is unique: the pipeline's steps re-enter the claim, another process is another owner.
  const executionName = executionNameOf(runId);
  let claimed: { lock: HeldLock; resumed: boolean; movedAsideTo?: string };
  try {
    claimed = await claimOfflineRun(store, deploymentState(definition, deployment.id).input, runId, executionName, speedup, opts.restart === true);
  } catch (error) {
    await local?.close();
    throw error;
  }
  const { lock } = claimed;
  if (lock.tookOver) progress({ kind: 'took-over', owner: lock.tookOver });
  progress({ kind: 'run', runId, outDir, resumed: claimed.resumed, ...(claimed.movedAsideTo ? { movedAsideTo: claimed.movedAsideTo } : {}) });
  // Steps sign as their roles only toward the local twin, which reads the access key id back; an
  // endpoint given by URL gets the SDK's own credentials.
  const identity = stepIdentities(synth.template, judge, store, ctx, local !== undefined);
  const runtimeClient = workerRuntimeClient(identity('run-worker'), { endpointUrl, region: synth.region, retries: 2 });
  const emfPath = offlineEmfPath(outDir, deployment.id, runId);
  const handlers = localHandlers({
    store,
    identity,
    endpointUrl,
    region: synth.region,
    speedup,
    runtimeClient,
    emfPath,
    tolerateMissingControlPlane: local === undefined,
    // CloudWatch on the endpoint's clock: the twin's own, or what an endpoint at --endpoint-url advertises.
    // (read when a level is merged: the clock's origin is set when the execution starts, below)
    telemetryClock:
      local !== undefined
        ? {
            speedup,
            get originMs(): number {
              return controlPlaneClock.originMs();
            },
          }
        : await discoverTargetClock(endpointUrl),
    ...(opts.priceListUrl !== undefined ? { priceListUrl: opts.priceListUrl } : {}),
    beforeWorker: opts.beforeWorker,
    ...(opts.recordClient === false ? { recordClient: false } : {}),
    // Levels against a twin (this one, or one at --endpoint-url) carry its verdict: did it keep up with its virtual time?
    ...(await twinLagOption(local !== undefined, endpointUrl)),
    onDecision: (sweep: SweepState) => {
      // A level's later repeats continue its line (the level is reported once, pooled).
      if (!sweep.done && sweep.concurrency !== undefined && (sweep.repeat ?? 0) === 0) progress({ kind: 'level-start', concurrency: sweep.concurrency, workers: sweep.workers.length });
    },
    onLevel: (level) => progress({ kind: 'level', level }),
  });

  let error: string | undefined;
  try {
    controlPlaneClock.start();
    await executeOffline({
      synth,
      machine,
      definition,
      judge,
      handlers,
      input: { deploymentId: deployment.id, runId, trigger: 'offline' },
      executionName,
      waitTimeOverrides: { [STATE_NAMES.waitForEndpoint]: compressedPollMs(speedup) },
    });
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  } finally {
    runtimeClient.destroy();
    await local?.close();
    await lock.release();
  }

  const prefix = runPrefix(deployment.id, runId);
  const files = Object.fromEntries(
    REPORT_FILE_KINDS.map((kind) => [kind, store.locate(`${prefix}${REPORT_FILES[kind]}`)]),
  ) as Record<ReportFileKind, string>;
  const sweep = await store.getJson<SweepResult>(`${prefix}${REPORT_FILES.json}`);
  progress({ kind: 'done', succeeded: error === undefined, stopReason: sweep?.stopReason, failure: sweep?.failure });
  return {
    succeeded: error === undefined,
    deploymentId: deployment.id,
    runId,
    files,
    ...(sweep ? { sweep } : {}),
    ...(error ? { error } : {}),
    ...(container ? { container } : {}),
    iam: judge.judged,
    emfPath,
    durationMs: Date.now() - started,
  };
}

async function twinLagOption(local: boolean, endpointUrl: string): Promise<{ twinLag?: ReturnType<typeof twinLagProbe> }> {
  const probe = local ? twinLagProbe(endpointUrl) : await discoverTwinLagProbe(endpointUrl);
  return probe !== undefined ? { twinLag: probe } : {};
}
