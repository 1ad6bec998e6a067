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
import type { ResultStore } from '../pipeline/result-store';
import type { EndpointStatusResult, ExecutionState, SweepState, WorkerItem } from '../../lib/benchmark/pipeline-state';
import type { TargetClock } from '../telemetry';
import type { StepHandler } from './bind-tasks';

export interface LocalHandlerOptions {
  readonly store: ResultStore;
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
  readonly onDecision?: (sweep: SweepState) => void;
  readonly onLevel?: (level: MergedLevelSummary) => void;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The real handler code of every pipeline step, bound to a local folder and a local endpoint. */
export function localHandlers(opts: LocalHandlerOptions): Record<string, StepHandler> {
  const logger = new Logger({ serviceName: 'llm-bench-offline', logLevel: 'SILENT' });
  const now = (): Date => new Date();
  const common = { store: opts.store, logger, speedup: opts.speedup, now };
  // Workers of a level start together shortly after the decision (no cold starts locally).
  const planDeps = { ...common, startLeadMs: 200 };
  const sagemaker = new SageMakerClient({ endpoint: opts.endpointUrl, region: opts.region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const autoScaling = new ApplicationAutoScalingClient({ endpoint: opts.endpointUrl, region: opts.region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const describe = createDescribeEndpointHandler({ sagemaker, logger, maxAttempts: 50 });
  const scaling = createScalingHandler({ sagemaker, autoScaling, logger });
  const decide = createDecideNextHandler(planDeps);
  const cloudWatch = opts.telemetryClock !== undefined ? new CloudWatchClient({ endpoint: opts.endpointUrl, region: opts.region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 }) : undefined;
  const merge = createMergeLevelHandler({ ...common, ...(cloudWatch !== undefined && opts.telemetryClock !== undefined ? { telemetry: { client: cloudWatch, clock: opts.telemetryClock } } : {}) });
  const emfLines: string[] = [];
  const pricing = opts.priceListUrl !== undefined ? createPriceListClient({ endpoint: opts.priceListUrl, credentials: LOCAL_CREDENTIALS }) : undefined;
  const report = createReportHandler({ ...common, emfSink: (emf) => emfLines.push(JSON.stringify(emf)), prices: { pricing, region: opts.region } });
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
    'plan-levels': createPlanLevelsHandler(planDeps) as StepHandler,
    'fleet-report': createFleetReportHandler(common) as StepHandler,
    'decide-next': async (input) => {
      const sweep = await decide(input as ExecutionState);
      opts.onDecision?.(sweep);
      return sweep;
    },
    'run-worker': createRunWorkerHandler({ ...common, runtimeClient: opts.runtimeClient, beforeRun: opts.beforeWorker }) as StepHandler,
    'merge-level': async (input) => {
      const level = await merge(input as ExecutionState);
      opts.onLevel?.(level);
      return level;
    },
    report: async (input) => {
      const result = await report(input as ReportEvent);
      if (emfLines.length > 0) {
        await fs.mkdir(path.dirname(opts.emfPath), { recursive: true });
        await fs.appendFile(opts.emfPath, `${emfLines.splice(0).join('\n')}\n`);
      }
      return result;
    },
  };
}

/** The endpoint URL does not speak this control-plane call (an endpoint served by something else). */
function unsupportedCall(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? '';
  return /UnknownOperation|NotFound|InvalidAction|Unrecognized|404|SerializationException/i.test(`${name} ${(error as Error).message}`);
}
