import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { createDecideNextHandler } from '../handlers/decide-next';
import { createDescribeEndpointHandler } from '../handlers/describe-endpoint';
import { createFleetReportHandler } from '../handlers/fleet-report';
import { createMergeLevelHandler, type MergedLevelSummary } from '../handlers/merge-level';
import { createPlanLevelsHandler } from '../handlers/plan-levels';
import { createReportHandler, type ReportEvent } from '../handlers/report';
import { createPriceListClient } from '../pricing/price-list';
import { createRunWorkerHandler } from '../handlers/run-worker';
import { createScalingHandler, type ScalingEvent } from '../handlers/scaling';
import { createScenarioControlHandler } from '../handlers/scenario-control';
import { createScenarioFinishHandler } from '../handlers/scenario-finish';
import { createScenarioWorkerHandler } from '../handlers/scenario-worker';
import type { ResultStore } from '../pipeline/result-store';
import type { EndpointStatusResult, ExecutionState, SweepState, WorkerItem } from '../../lib/benchmark/pipeline-state';
import type { TargetClock } from '../telemetry';
import type { AuthorizationDecision, AwsCall } from '../local/judges/aws-call';
import { AccessDeniedError } from './authorized-store';
import type { TwinLagProbe } from '../local/twin-lag';
import type { StepHandler } from './bind-tasks';

/** Who a step runs as offline: its view of the results bucket and the credentials its SDK clients sign with. */
export interface StepIdentity {
  readonly store: ResultStore;
  /** Signing identity of the step's SDK clients; undefined: the defaults (an endpoint elsewhere than the local twin). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Decides the step's calls to services with no local server of their own judge (the Price List API). */
  readonly authorize?: (call: AwsCall) => Promise<AuthorizationDecision>;
}

/** Minimal view of an SDK v3 client's middleware stack (initialize step, command name in the context). */
interface MiddlewareClient {
  readonly middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/**
 * Authorizes every command of an SDK client as `service:Operation` on `*` before it is sent (for
 * services whose actions take no resource, like pricing:GetProducts); a denial is the SDK's
 * AccessDeniedException.
 */
function judgeClient(client: MiddlewareClient, service: string, authorize: (call: AwsCall) => Promise<AuthorizationDecision>): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const action = `${service}:${(context.commandName ?? '').replace(/Command$/, '')}`;
      const decision = await authorize({ action, resources: [{ arn: '*' }] });
      if (!decision.allowed) throw new AccessDeniedError(decision.code, decision.message);
      return next(args);
    },
    { step: 'initialize', name: 'iamJudge' },
  );
}

export interface LocalHandlerOptions {
  readonly store: ResultStore;
  /** Per-step identity (the IAM judge's roles); default: `store` and anonymous local credentials for every step. */
  readonly identity?: (step: string) => StepIdentity;
  readonly endpointUrl: string;
  readonly region: string;
  readonly speedup: number;
  readonly runtimeClient: SageMakerRuntimeClient;
  /** EMF metric documents are appended here (JSON lines). */
  readonly emfPath: string;
  /** True when the endpoint may not speak the SageMaker control plane (then it counts as InService). */
  readonly tolerateMissingControlPlane: boolean;
  /** AWS Price List API endpoint of the report step (a loopback one); absent: the report uses the shipped table. */
  readonly priceListUrl?: string;
  /** The endpoint's clock: merge-level reads each level's CloudWatch metrics at `endpointUrl` on it. Absent: no telemetry. */
  readonly telemetryClock?: TargetClock;
  readonly beforeWorker?: (item: WorkerItem) => void | Promise<void>;
  /** Runtime client of the scenario workers (signed as their role). @default runtimeClient */
  readonly scenarioRuntimeClient?: SageMakerRuntimeClient;
  readonly onDecision?: (sweep: SweepState) => void;
  readonly onLevel?: (level: MergedLevelSummary) => void;
  /** Workers keep their client verdict (RunWorkerDeps.recordClient). @default true */
  readonly recordClient?: boolean;
  /** The endpoint is a local twin: workers read its lag around their windows (RunWorkerDeps.twinLag). */
  readonly twinLag?: TwinLagProbe;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The real handler code of every pipeline step, bound to a local folder and a local endpoint. */
export function localHandlers(opts: LocalHandlerOptions): Record<string, StepHandler> {
  const logger = new Logger({ serviceName: 'llm-bench-offline', logLevel: 'SILENT' });
  const now = (): Date => new Date();
  const identity = opts.identity ?? ((): StepIdentity => ({ store: opts.store, credentials: LOCAL_CREDENTIALS }));
  const common = (step: string) => ({ store: identity(step).store, logger, speedup: opts.speedup, now });
  // Workers of a level start together shortly after the decision (no cold starts locally).
  const planDeps = (step: string) => ({ ...common(step), startLeadMs: 200 });
  const sagemaker = new SageMakerClient({ endpoint: opts.endpointUrl, region: opts.region, credentials: identity('describe-endpoint').credentials ?? LOCAL_CREDENTIALS, maxAttempts: 1 });
  // The scaling step runs as its own role: its SageMaker and Application Auto Scaling calls sign as it.
  const scalingSageMaker = new SageMakerClient({ endpoint: opts.endpointUrl, region: opts.region, credentials: identity('scaling').credentials ?? LOCAL_CREDENTIALS, maxAttempts: 1 });
  const autoScaling = new ApplicationAutoScalingClient({ endpoint: opts.endpointUrl, region: opts.region, credentials: identity('scaling').credentials ?? LOCAL_CREDENTIALS, maxAttempts: 1 });
  const describe = createDescribeEndpointHandler({ sagemaker, logger, maxAttempts: 50 });
  const scaling = createScalingHandler({ sagemaker: scalingSageMaker, autoScaling, logger });
  const decide = createDecideNextHandler(planDeps('decide-next'));
  // GetMetricData signs as the merge-level role: the IAM judge decides it (cloudwatch:GetMetricData on "*").
  const cloudWatch =
    opts.telemetryClock !== undefined ? new CloudWatchClient({ endpoint: opts.endpointUrl, region: opts.region, credentials: identity('merge-level').credentials ?? LOCAL_CREDENTIALS, maxAttempts: 1 }) : undefined;
  const merge = createMergeLevelHandler({ ...common('merge-level'), ...(cloudWatch !== undefined && opts.telemetryClock !== undefined ? { telemetry: { client: cloudWatch, clock: opts.telemetryClock } } : {}) });
  const emfLines: string[] = [];
  const pricing = opts.priceListUrl !== undefined ? createPriceListClient({ endpoint: opts.priceListUrl, credentials: LOCAL_CREDENTIALS }) : undefined;
  const reportAuthorize = identity('report').authorize;
  if (pricing !== undefined && reportAuthorize !== undefined) judgeClient(pricing as unknown as MiddlewareClient, 'pricing', reportAuthorize);
  const report = createReportHandler({ ...common('report'), emfSink: (emf) => emfLines.push(JSON.stringify(emf)), prices: { pricing, region: opts.region } });
  const flushEmf = async (): Promise<void> => {
    if (emfLines.length === 0) return;
    await fs.mkdir(path.dirname(opts.emfPath), { recursive: true });
    await fs.appendFile(opts.emfPath, `${emfLines.splice(0).join('\n')}\n`);
  };
  // The scenario steps, each signing as its own role toward the local control plane.
  const capacityClients = (step: string) => {
    const credentials = identity(step).credentials ?? LOCAL_CREDENTIALS;
    return {
      sagemaker: new SageMakerClient({ endpoint: opts.endpointUrl, region: opts.region, credentials, maxAttempts: 1 }),
      autoScaling: new ApplicationAutoScalingClient({ endpoint: opts.endpointUrl, region: opts.region, credentials, maxAttempts: 1 }),
    };
  };
  // Built on first use: a fleet without scenarios never calls them (its template has no scenario roles).
  let scenarioControl: ReturnType<typeof createScenarioControlHandler> | undefined;
  let scenarioWorker: ReturnType<typeof createScenarioWorkerHandler> | undefined;
  let scenarioFinish: ReturnType<typeof createScenarioFinishHandler> | undefined;
  const scenarioSteps: Record<string, StepHandler> = {
    'scenario-control': async (input) => {
      scenarioControl ??= createScenarioControlHandler({ ...common('scenario-control'), clients: capacityClients('scenario-control'), startLeadMs: 200, maxPrepareAttempts: 200 });
      return scenarioControl(input as Parameters<typeof scenarioControl>[0]);
    },
    'scenario-worker': async (input) => {
      scenarioWorker ??= createScenarioWorkerHandler({ ...common('scenario-worker'), runtimeClient: opts.scenarioRuntimeClient ?? opts.runtimeClient });
      return scenarioWorker(input as Parameters<typeof scenarioWorker>[0]);
    },
    'scenario-finish': async (input) => {
      scenarioFinish ??= createScenarioFinishHandler({
        ...common('scenario-finish'),
        clients: capacityClients('scenario-finish'),
        ...(opts.telemetryClock !== undefined ? { clock: opts.telemetryClock } : {}),
        // GetMetricData signs as the finish step's role: the IAM judge decides it like its other calls.
        ...(opts.telemetryClock !== undefined
          ? { telemetry: { client: new CloudWatchClient({ endpoint: opts.endpointUrl, region: opts.region, credentials: identity('scenario-finish').credentials ?? LOCAL_CREDENTIALS, maxAttempts: 1 }) } }
          : {}),
        emfSink: (emf) => emfLines.push(JSON.stringify(emf)),
      });
      const result = await scenarioFinish(input as ExecutionState);
      await flushEmf();
      return result;
    },
  };
  return {
    'describe-endpoint': async (input) => {
      try {
        return await describe(input as ExecutionState);
      } catch (error) {
        if (!opts.tolerateMissingControlPlane || !unsupportedCall(error)) throw error;
        const ready: EndpointStatusResult = { ready: true, status: 'InService (assumed: no control plane at the endpoint URL)', failed: false, attempts: 1 };
        return ready;
      }
    },
    scaling: async (input) => {
      try {
        return await scaling(input as ScalingEvent);
      } catch (error) {
        // An external endpoint without a control plane: nothing to pin or restore.
        if (!opts.tolerateMissingControlPlane || !unsupportedCall(error)) throw error;
        return (input as ScalingEvent).action === 'pin' ? { targets: [], plannedCapacity: 0 } : { restored: 0 };
      }
    },
    'plan-levels': createPlanLevelsHandler(planDeps('plan-levels')) as StepHandler,
    'fleet-report': createFleetReportHandler(common('fleet-report')) as StepHandler,
    'decide-next': async (input) => {
      const sweep = await decide(input as ExecutionState);
      opts.onDecision?.(sweep);
      return sweep;
    },
    'run-worker': createRunWorkerHandler({ ...common('run-worker'), runtimeClient: opts.runtimeClient, beforeRun: opts.beforeWorker, ...(opts.recordClient === false ? { recordClient: false } : {}), ...(opts.twinLag !== undefined ? { twinLag: opts.twinLag } : {}) }) as StepHandler,
    'merge-level': async (input) => {
      const level = await merge(input as ExecutionState);
      // A repeat before a level's last is not a level yet.
      if (level.complete) opts.onLevel?.(level);
      return level;
    },
    report: async (input) => {
      const result = await report(input as ReportEvent);
      await flushEmf();
      return result;
    },
    ...scenarioSteps,
  };
}

/** The endpoint URL does not speak this control-plane call (an endpoint served by something else). */
function unsupportedCall(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? '';
  return /UnknownOperation|NotFound|InvalidAction|Unrecognized|404|SerializationException/i.test(`${name} ${(error as Error).message}`);
}
