import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BENCHMARK_NAMESPACE } from './metric-contract';
import { SCENARIO_WINDOW_S, SCENARIO_WINDOWS_IN_FLIGHT } from './pipeline-state';
import { LAMBDA_MAX_TIMEOUT_S } from './service-limits';
import { TELEMETRY_SETTLE_DEFAULTS } from '../results/defaults';

/** The pipeline's steps; each is one Lambda bundled from loadtest/handlers/{step}.ts. */
export const PIPELINE_STEPS = ['describe-endpoint', 'scaling', 'plan-levels', 'run-worker', 'merge-level', 'decide-next', 'report', 'fleet-report'] as const;
export type PipelineStep = (typeof PIPELINE_STEPS)[number];

/** Steps of the scenario path, created only when a deployment of the fleet declares scenarios. */
export const SCENARIO_STEPS = ['scenario-control', 'scenario-worker', 'scenario-finish'] as const;
export type ScenarioStep = (typeof SCENARIO_STEPS)[number];

/** Environment variable naming the step a function runs (the offline harness binds tasks by it). */
export const STEP_ENV = 'LLM_BENCH_STEP';

const REPO_ROOT = path.join(__dirname, '..', '..');

export interface BenchmarkFunctionsProps {
  /** Bucket the steps read and write (`RESULTS_BUCKET`). */
  readonly resultsBucketName: string;
  /** Longest measured window of any deployment, s (sizes the worker's timeout). */
  readonly maxDurationS: number;
  /** Longest request deadline of any deployment, s. */
  readonly maxTimeoutS: number;
  /**
   * Memory of a run-worker function, MB. Lambda gives CPU in proportion to memory: 1,769 MB is one
   * vCPU-second per second, so 3,538 MB is two full vCPUs for up to 512 concurrent response streams
   * split over few workers. https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
   * @default 3538
   */
  readonly workerMemoryMb?: number;
  /**
   * Log retention of every function.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Create the scenario path's functions (a deployment declares `benchmark.scenarios`).
   * @default false
   */
  readonly scenarios?: boolean;
}

/** Seven NodejsFunctions (Node.js 22, Powertools, bundled with the local esbuild — never Docker). */
export class BenchmarkFunctions extends Construct {
  /** The function of each step. */
  public readonly byStep: Readonly<Record<PipelineStep, nodejs.NodejsFunction>>;
  /** The scenario path's functions, when `scenarios` is on. */
  public readonly scenarioSteps?: Readonly<Record<ScenarioStep, nodejs.NodejsFunction>>;

  constructor(scope: Construct, id: string, props: BenchmarkFunctionsProps) {
    super(scope, id);
    // A worker runs warm-up or one window plus the deadline of its slowest request, within Lambda's limit.
    const workerTimeoutS = Math.min(LAMBDA_MAX_TIMEOUT_S, Math.ceil(props.maxDurationS + 2 * props.maxTimeoutS + 60));
    // A scenario window's worker (and its capacity sampler) waits up to one window for its start, runs its
    // window, waits for the previous window's streams and drains its own (one request deadline each).
    const scenarioWindowTimeoutS = Math.min(LAMBDA_MAX_TIMEOUT_S, SCENARIO_WINDOWS_IN_FLIGHT * SCENARIO_WINDOW_S + 2 * props.maxTimeoutS + 60);
    const sizing: Record<PipelineStep | ScenarioStep, { memoryMb: number; timeoutS: number }> = {
      'describe-endpoint': { memoryMb: 256, timeoutS: 30 },
      scaling: { memoryMb: 256, timeoutS: 60 },
      'plan-levels': { memoryMb: 512, timeoutS: 60 },
      'run-worker': { memoryMb: props.workerMemoryMb ?? 3538, timeoutS: workerTimeoutS },
      // Merging, plus the wait for CloudWatch to publish the level's last period (telemetry).
      'merge-level': { memoryMb: 1769, timeoutS: 300 + TELEMETRY_SETTLE_DEFAULTS.maxWaitS },
      'decide-next': { memoryMb: 512, timeoutS: 60 },
      report: { memoryMb: 1769, timeoutS: 300 },
      'fleet-report': { memoryMb: 1769, timeoutS: 300 },
      'scenario-control': { memoryMb: 256, timeoutS: scenarioWindowTimeoutS },
      'scenario-worker': { memoryMb: props.workerMemoryMb ?? 3538, timeoutS: scenarioWindowTimeoutS },
      'scenario-finish': { memoryMb: 1769, timeoutS: 300 + TELEMETRY_SETTLE_DEFAULTS.maxWaitS },
    };
    const functions = {} as Record<PipelineStep | ScenarioStep, nodejs.NodejsFunction>;
    for (const step of [...PIPELINE_STEPS, ...(props.scenarios === true ? SCENARIO_STEPS : [])]) {
      const name = step.replace(/(^|-)(\w)/g, (_m, _d: string, c: string) => c.toUpperCase());
      const logGroup = new logs.LogGroup(this, `${name}Logs`, {
        retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      functions[step] = new nodejs.NodejsFunction(this, name, {
        entry: path.join(REPO_ROOT, 'loadtest', 'handlers', `${step}.ts`),
        handler: 'handler',
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: sizing[step].memoryMb,
        timeout: Duration.seconds(sizing[step].timeoutS),
        tracing: lambda.Tracing.ACTIVE,
        logGroup,
        description: `llm-bench benchmark pipeline: ${step}`,
        projectRoot: REPO_ROOT,
        depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
        environment: {
          [STEP_ENV]: step,
          RESULTS_BUCKET: props.resultsBucketName,
          POWERTOOLS_SERVICE_NAME: `llm-bench-${step}`,
          POWERTOOLS_METRICS_NAMESPACE: BENCHMARK_NAMESPACE,
          NODE_OPTIONS: '--enable-source-maps',
        },
        bundling: {
          // esbuild is a dev dependency: bundle locally, never in Docker.
          forceDockerBundling: false,
          minify: true,
          sourceMap: true,
          target: 'node22',
          // AWS SDK v3 is in the Node.js 22 runtime; vega's optional native canvas is not used (SVG only).
          externalModules: ['@aws-sdk/*', 'canvas'],
        },
      });
    }
    this.byStep = functions;
    if (props.scenarios === true) this.scenarioSteps = functions;
  }
}
