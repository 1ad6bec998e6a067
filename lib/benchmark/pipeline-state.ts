/**
 * The JSON shapes that flow between the benchmark state machine's Lambda steps. Every step reads
 * and writes these plain objects; the state machine only routes them (Choice on `sweep.done`).
 * Kept small: Step Functions limits a state's payload to 256 KB.
 */
import type { ArrivalProcess, ServingContainer, StopReason } from '../results/records';
import type { CapacityReading, ScenarioFigures, ScenarioKind, ScenarioSpec } from '../results/scenario';
import type { Slo } from '../results/slo';

/** TGI's MAX_INPUT_TOKENS and MAX_TOTAL_TOKENS of a deployment. */
export interface TokenLimits {
  readonly maxInputTokens: number;
  readonly maxTotalTokens: number;
}

/** Benchmark settings of one deployment as the state machine carries them (from the fleet file). */
export interface BenchmarkInput {
  /** Input tokens: the fixed length, or the mean of `inputDistribution`. */
  readonly inputTokens: number;
  /** Output tokens: the fixed length, or the mean of `outputDistribution`. */
  readonly outputTokens: number;
  /** Input lengths drawn per request from this spec (e.g. 'normal:512,128'); absent: fixed. */
  readonly inputDistribution?: string;
  /** Output lengths drawn per request from this spec; absent: fixed. */
  readonly outputDistribution?: string;
  /** The deployment's TGI limits, which drawn lengths are clipped to (set with a distribution). */
  readonly tokenLimits?: TokenLimits;
  /** Levels to measure in order, or 'auto' for the adaptive search (double, then bisect). */
  readonly concurrency: readonly number[] | 'auto';
  readonly maxConcurrency: number;
  /** Measured window of one level, s (real time at the endpoint). */
  readonly durationS: number;
  /** Requests sent once before the first level and discarded. */
  readonly warmupRequests: number;
  readonly stream: boolean;
  /** Lambda workers a level is split over (each drives concurrency / workers streams). */
  readonly workers: number;
  readonly latencyBoundMsPerToken: number;
  readonly maxErrorRate: number;
  /** Client deadline of one request, s (SageMaker real-time endpoints: 60). */
  readonly timeoutS: number;
  /** A level must add this fraction of throughput over the previous one or the sweep stops. */
  readonly plateauGain: number;
  /** Max-throughput or ms/token change (in %) versus the previous run that counts as a regression. */
  readonly regressionThresholdPct: number;
  /** The container behind the endpoint when it is not TGI: LMI streams JSON lines, not SSE. @default 'tgi' */
  readonly container?: ServingContainer;
  /** `rate`: open loop over `rates` (requests/s, endpoint-wide) instead of `concurrency`. @default 'concurrency' */
  readonly mode?: 'concurrency' | 'rate';
  /** The offered rates, requests/s, or 'auto': the search for the highest rate meeting `slo`, up to `maxRatePerS`. */
  readonly rates?: readonly number[] | 'auto';
  /** Highest rate the 'auto' rate search may try, requests/s. */
  readonly maxRatePerS?: number;
  /** Open-loop arrivals. @default 'poisson' */
  readonly arrival?: ArrivalProcess;
  readonly burstiness?: number;
  /** Per-request SLOs: levels carry goodput. */
  readonly slo?: Slo;
  /** Stop rule `slo-attainment`. */
  readonly minSloAttainment?: number;
  /** Measurements of each level (mean and 95 % interval over them). @default 1 */
  readonly repeat?: number;
  /** A closed-loop window is extended until this many completions per stream (lib/results/level-window.ts). @default DEFAULT_MIN_COMPLETIONS_PER_SLOT */
  readonly minCompletionsPerSlot?: number;
}

/** When a sweep or scenario runs by itself: an EventBridge Scheduler cron with its IANA time zone, or off. */
export type BenchmarkSchedule = { readonly cron: string; readonly timeZone: string } | 'off';

/** An autoscaling scenario a deployment declares (`benchmark.scenarios`), resolved, with its own schedule. */
export interface ScheduledScenario {
  readonly spec: ScenarioSpec;
  readonly schedule: BenchmarkSchedule;
}

/** One deployment of the fleet as the state machine knows it (resolved at synth). */
export interface DeploymentInput {
  readonly id: string;
  readonly endpointName: string;
  readonly inferenceComponentName?: string;
  readonly model: string;
  readonly instanceType: string;
  readonly instances: number;
  readonly tp: number;
  readonly copies: number;
  /** Price of all instances per hour, USD (the shipped table's at synth; the report step re-reads it). */
  readonly hourlyUsd: number;
  /** Fraction off every price (fleet `discount`); absent when none. */
  readonly priceDiscount?: number;
  /**
   * Set when Application Auto Scaling scales the deployment (its instances, or its copies): the
   * sweep suspends dynamic scaling and sets the planned layout before measuring, and restores
   * scaling afterwards.
   */
  readonly autoscaling?: { readonly kind: 'instances' | 'copies'; readonly scaleToZero: boolean };
  readonly benchmark: BenchmarkInput;
  /** The autoscaling scenarios the deployment declares, by kind (an execution input `scenario` picks one). */
  readonly scenarios?: Readonly<Partial<Record<ScenarioKind, ScenarioSpec>>>;
}

/** Work of one Lambda worker for one level (an item of the level's Map state). */
export interface WorkerItem {
  readonly phase: 'warmup' | 'measure';
  readonly deploymentId: string;
  readonly runId: string;
  readonly endpointName: string;
  readonly inferenceComponentName?: string;
  /** Endpoint-wide concurrency of the level. */
  readonly concurrency: number;
  /** This worker's index and the level's worker count. */
  readonly worker: number;
  readonly workers: number;
  /** Streams this worker keeps in flight (its slice of `concurrency`). */
  readonly workerConcurrency: number;
  /** Epoch ms at which every worker of the level starts its closed loop. */
  readonly startAtEpochMs: number;
  /** Measured window, s; warm-up uses `requests` instead. */
  readonly durationS?: number;
  readonly requests?: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly inputDistribution?: string;
  readonly outputDistribution?: string;
  readonly tokenLimits?: TokenLimits;
  readonly stream: boolean;
  readonly timeoutS: number;
  readonly seed: number;
  /** The container behind the endpoint (how its streams are framed). @default 'tgi' */
  readonly container?: ServingContainer;
  /** Open loop: this worker's share of the level's offered rate, requests/s (real time at the endpoint). */
  readonly ratePerS?: number;
  readonly arrival?: ArrivalProcess;
  readonly burstiness?: number;
  /** The level's SLOs (workers do not judge; merge-level does). */
  readonly slo?: Slo;
  /** Which measurement of a repeated level this is (0-based; absent: 0), stamped on its records. */
  readonly repeat?: number;
  /** Closed loop: the window is extended until this many completions per stream this worker holds. */
  readonly minCompletionsPerSlot?: number;
  /** Open loop: this worker's share of the level's cap on requests in flight (`maxConcurrency`). */
  readonly maxInFlight?: number;
}

/** Where the sweep stands, returned by plan-levels and decide-next. */
export interface SweepState {
  readonly deploymentId: string;
  readonly runId: string;
  /** True when no level is left to measure; the state machine goes to the report. */
  readonly done: boolean;
  /** Why the sweep ended (the stop rule that fired and its detail, or 'completed'). Set when done. */
  readonly stopReason?: StopReason;
  /** Concurrency levels already measured (ascending). */
  readonly measured: readonly number[];
  /** Next level to measure (absent when done). */
  readonly concurrency?: number;
  /** Which measurement of the next level (0-based) when the level is repeated. */
  readonly repeat?: number;
  /** Items of the next level's Map state. */
  readonly workers: readonly WorkerItem[];
  /** `workers.length` (at least 1): the Map state's MaxConcurrencyPath, so all workers run at once. */
  readonly workerCount: number;
  /** One-off warm-up before the first level of this execution. */
  readonly warmup?: WorkerItem;
}

/** DescribeEndpoint step's result. */
export interface EndpointStatusResult {
  /**
   * Before the layout is pinned: the endpoint is InService and its inference component exists and
   * is InService. After: also every planned copy (or instance) is in service.
   */
  readonly ready: boolean;
  /** Endpoint (and inference component) status, e.g. 'Creating', 'InService', 'Failed'. */
  readonly status: string;
  /** What the wait is for, e.g. 'inference component ic-1: 3 of 8 copies'. */
  readonly detail?: string;
  /** Terminal failure: the endpoint will not become InService. */
  readonly failed: boolean;
  readonly reason?: string;
  /** Polls so far (the wait loop gives up after a limit). */
  readonly attempts: number;
}

/**
 * Error the pin-layout step throws while the deployment's scalable target is not registered yet
 * (CloudFormation registers it just after the inference component is created): the state machine retries it.
 */
export const SCALABLE_TARGET_NOT_REGISTERED = 'ScalableTargetNotRegistered';

/**
 * Error the pin-layout step throws when the resource is being updated (a scaling activity that began
 * before dynamic scaling was suspended): its capacity can be set once it is InService again; retried.
 */
export const LAYOUT_BUSY = 'LayoutBusy';

/** Application Auto Scaling's SuspendedState (all three flags, as DescribeScalableTargets returns them). */
export interface ScalingSuspendedState {
  readonly DynamicScalingInSuspended: boolean;
  readonly DynamicScalingOutSuspended: boolean;
  readonly ScheduledScalingSuspended: boolean;
}

/** A scalable target the sweep suspended, with the state to restore. */
export interface PinnedScalableTarget {
  readonly resourceId: string;
  readonly scalableDimension: string;
  readonly suspendedBefore: ScalingSuspendedState;
}

/** What the pin-layout step did (restore reads it). */
export interface ScalingState {
  /** Targets whose dynamic scaling the sweep suspended; empty when the deployment does not autoscale. */
  readonly targets: readonly PinnedScalableTarget[];
  /** Copies (inference components) or instances (variant) the sweep measures. */
  readonly plannedCapacity: number;
  /** Desired capacity found before pinning (0 for a component scaled to zero). */
  readonly capacityBefore?: number;
}

/** Error a Catch put into the state: Step Functions' `{Error, Cause}`. */
export interface CaughtError {
  readonly Error?: string;
  readonly Cause?: string;
}

/**
 * Length of one window of a scenario's load, endpoint seconds. Windows run two at a time: a window's
 * workers are launched while the one before it drains, wait for its start (and for each stream's
 * hand-off), run it and drain their last requests. So a worker lives at most two windows plus two
 * request deadlines: 2 × 240 + 2 × 60 s, well under Lambda's 900 s limit
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html).
 */
export const SCENARIO_WINDOW_S = 240;

/** Windows of a scenario in flight at once: the running one and the next, whose workers wait for their start. */
export const SCENARIO_WINDOWS_IN_FLIGHT = 2;

/** What the workers and the capacity sampler of a scenario window share. */
interface ScenarioSliceItem {
  readonly deploymentId: string;
  readonly runId: string;
  readonly endpointName: string;
  readonly inferenceComponentName?: string;
  readonly spec: ScenarioSpec;
  readonly window: number;
  /** Client epoch ms of scenario time 0 (every window counts from it). */
  readonly scenarioStartEpochMs: number;
  /** The window, scenario seconds: [fromS, toS). */
  readonly fromS: number;
  readonly toS: number;
}

/** One Lambda worker's share of a scenario window: streams i with i mod workers = worker. */
export interface ScenarioWorkerItem extends ScenarioSliceItem {
  readonly worker: number;
  readonly workers: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly stream: boolean;
  readonly timeoutS: number;
  readonly seed: number;
  readonly container?: ServingContainer;
}

/** The capacity sampler of a scenario window (DescribeEndpoint / DescribeInferenceComponent every `spec.sampleS`). */
export type ScenarioSamplerItem = ScenarioSliceItem;

/** One window of a scenario: its workers run at once beside its sampler. */
export interface ScenarioWindow {
  readonly index: number;
  readonly workers: readonly ScenarioWorkerItem[];
  /** `workers.length`: the Map state's MaxConcurrencyPath, so all workers run at once. */
  readonly workerCount: number;
  readonly sampler: ScenarioSamplerItem;
}

/** Where a scenario execution stands: planned, waiting for its starting capacity, then its windows. */
export interface ScenarioRunState {
  readonly deploymentId: string;
  readonly runId: string;
  readonly spec: ScenarioSpec;
  /** Copies set before the load (0 for scale-from-zero, else the scalable target's MinCapacity). */
  readonly startCopies?: number;
  /** MinCapacity / MaxCapacity of the scalable target as registered. */
  readonly scalableTarget?: { readonly minCapacity: number; readonly maxCapacity: number };
  /** True once the starting capacity is in service and the windows are planned. */
  readonly ready: boolean;
  /** Polls of the starting capacity so far. */
  readonly attempts: number;
  readonly startReading?: CapacityReading;
  readonly scenarioStartEpochMs?: number;
  readonly windows: readonly ScenarioWindow[];
}

/** Input of the scenario-control step. */
export type ScenarioControlEvent =
  | { readonly action: 'plan'; readonly state: ExecutionState; readonly executionName: string }
  | { readonly action: 'prepare'; readonly state: ExecutionState }
  | { readonly action: 'sample'; readonly item: ScenarioSamplerItem };

/** What the scenario-finish step returns (the figures are also in scenario.json). */
export interface ScenarioFinishResult {
  readonly deploymentId: string;
  readonly runId: string;
  readonly kind: ScenarioKind;
  /** Store keys of scenario.json and its report files. */
  readonly files: Readonly<Record<string, string>>;
  readonly figures: ScenarioFigures;
}

/** The whole execution state as the state machine passes it to each step. */
export interface ExecutionState {
  readonly deploymentId?: string;
  readonly endpointName?: string;
  readonly runId?: string;
  /** Execution input: the scenario to run instead of the sweep (a kind the deployment declares; absent or 'sweep': the sweep). */
  readonly scenario?: string;
  /** Set by the scenario path's steps. */
  readonly scenarioRun?: ScenarioRunState;
  readonly deployment: DeploymentInput;
  readonly endpoint?: EndpointStatusResult;
  readonly sweep?: SweepState;
  /** Set once the layout is pinned (the pin-layout step's result). */
  readonly scaling?: ScalingState;
  /** Set by the failure path: the state that failed and its error. */
  readonly failedStep?: string;
  readonly error?: CaughtError;
}

/** What the report step returns. */
export interface ReportResult {
  readonly deploymentId: string;
  readonly runId: string;
  readonly levels: number;
  readonly stopReason?: StopReason;
  readonly failure?: { readonly step: string; readonly message: string };
  /** Store keys of the report files (none when the run was refused). */
  readonly files: Readonly<Partial<Record<'json' | 'markdown' | 'html' | 'svg' | 'csv', string>>>;
  /** Why this execution did not run: the run id is held by another execution or defines another measurement. */
  readonly refused?: string;
  readonly regression?: { readonly regressed: boolean; readonly detail: string };
  readonly maxThroughputTokensPerS?: number;
  readonly kneeConcurrency?: number;
  /** The price the report used: where from (Price List API or shipped table) and why. */
  readonly price?: { readonly origin: string; readonly region: string; readonly hourlyUsd: number; readonly asOf?: string; readonly note?: string };
}

/** Input of the fleet-report step: the fleet's deployments (from the template) and this run's report. */
export interface FleetReportEvent {
  readonly fleet: string;
  readonly deployments: readonly string[];
  /** Latency bound of the fleet's recommendations, p50 ms/token. */
  readonly latencyBoundMsPerToken: number;
  /** The report step's result of this execution (absent when the report step itself failed). */
  readonly report?: ReportResult;
}

/** What the fleet-report step returns. */
export interface FleetReportResult {
  readonly fleet: string;
  /** Store keys of the fleet report's files (latest/{fleet}/...). */
  readonly files: Readonly<Record<string, string>>;
  readonly deployments: readonly { readonly id: string; readonly status: string; readonly reason?: string }[];
}
