/**
 * The records that flow one way through the load test:
 * RequestRecord → LevelResult → SweepResult → Report.
 * Each is plain JSON, versioned by `schemaVersion`; reports are pure functions of a SweepResult.
 */

import type { PriceQuote } from '../catalog/prices';
import type { ServerTelemetry } from './server-telemetry';
import type { Interval } from './confidence';
import type { Slo } from './slo';

export type { Interval } from './confidence';

/** 2: adds `chunkTokens` and `capWaitMs` (1 lacks them; read as is). */
export const REQUEST_RECORD_VERSION = 2 as const;
/**
 * 2: `itlMs` is over per-token gaps and `tpotMs` is the per-request figure (1: `itlMs` was the
 * per-request figure, read back as `tpotMs`); adds open-loop rates, goodput and the client verdict.
 * Later additions are optional and versioned on their own (`server`, `twin`): a 2 without them reads as is.
 */
export const LEVEL_RESULT_VERSION = 2 as const;
/**
 * 2: `stopReason` is a StopReason `{ rule, detail }` (1: a string). 3: levels are LevelResult v2.
 * 4: adds `maxGoodput` and `minCostAtSlo` (additive: a 3 reads as is).
 */
export const SWEEP_RESULT_VERSION = 4 as const;
/** 1: the first version of a level's `twin` (lag p99 and max, the verdict and its reason). */
export const TWIN_VERDICT_VERSION = 1 as const;

/** Why a request did not succeed. `undefined` on success. */
export type ErrorKind =
  | 'overloaded' // 429 / "Model is overloaded" (TGI MAX_CONCURRENT_REQUESTS)
  | 'throttled' // SageMaker ThrottlingException
  | 'timeout' // client deadline (SageMaker real-time: 60 s)
  | 'model_error' // SageMaker ModelError (424) carrying the container's status
  | 'server_error' // other 5xx
  | 'client_error' // 4xx validation (e.g. input longer than MAX_INPUT_TOKENS)
  | 'network' // reset, refused
  | 'invalid_response'; // unparseable or truncated body or stream

export const ERROR_KINDS: readonly ErrorKind[] = [
  'overloaded',
  'throttled',
  'timeout',
  'model_error',
  'server_error',
  'client_error',
  'network',
  'invalid_response',
];

/** One generation request as measured by the client. Times are ms on a monotonic clock. */
export interface RequestRecord {
  readonly schemaVersion: typeof REQUEST_RECORD_VERSION;
  /** Concurrency level the request belonged to. */
  readonly concurrency: number;
  /** Worker index inside the level (0..c-1). */
  readonly worker: number;
  /** Sequence number of this request in its worker. */
  readonly seq: number;
  /**
   * Epoch ms of the monotonic clock's origin (`performance.timeOrigin`) in the process that
   * measured it. Records from several processes (Lambda workers) are merged on
   * `clockOriginMs + t`; within one process only differences of monotonic times are used.
   */
  readonly clockOriginMs: number;
  /** When the load meant to send it (closed loop: when its worker became free; open loop: its arrival), ms, monotonic. */
  readonly scheduledMs: number;
  /** When it was handed to the transport (ms, monotonic). */
  readonly sentMs: number;
  /** First token event (streaming only), ms, monotonic. */
  readonly firstTokenMs?: number;
  /** Response complete or failed, ms, monotonic. */
  readonly endMs: number;
  /** Input tokens as sent (payload builder's exact count). */
  readonly inputTokens: number;
  /** Input tokens as reported by the server, when it reports them. */
  readonly serverInputTokens?: number;
  /** Generated tokens as reported by the server (TGI `details.generated_tokens`). 0 on error. */
  readonly outputTokens: number;
  /** Raw gaps between network reads of the stream, ms (streaming only): one fewer than the reads. */
  readonly interChunkGapsMs?: readonly number[];
  /**
   * Token events carried by each network read of the stream, in order (one per read, so one more
   * than `interChunkGapsMs`). A read of k tokens after a gap g counts as k inter-token gaps of g/k.
   */
  readonly chunkTokens?: readonly number[];
  /** Open loop with a concurrency cap: ms the request waited for a free slot (counted in `scheduledMs` → `sentMs`). */
  readonly capWaitMs?: number;
  /** HTTP status, when one was received. */
  readonly status?: number;
  readonly error?: ErrorKind;
  /** Human-readable detail of the error (first 300 chars). */
  readonly errorMessage?: string;
  /** SDK retries spent on this request (SageMaker target). */
  readonly retries?: number;
  /** True for requests of the warm-up phase (excluded from statistics). */
  readonly warmup?: boolean;
  /**
   * True when the server generated fewer tokens than asked (EOS or a stop sequence): servers that
   * cannot force the length (TGI) are measured on the tokens they actually produced. Absent otherwise.
   */
  readonly shortOutput?: true;
  /** Which measurement of the level (0-based) the request belonged to, when the level is repeated (`--repeat`). Absent: 0. */
  readonly repeat?: number;
}

/** Percentile summary of one measure. */
export interface Distribution {
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
}

/** SLO attainment of a level: requests meeting every SLO, per second of the window, and their share. */
export interface Goodput {
  readonly requestsPerS: number;
  /** Output tokens of the requests that met every SLO, per second. */
  readonly tokensPerS: number;
  /** Requests meeting every SLO / measured requests (failed requests count as missing them). */
  readonly attainment: number;
}

/** Whether the client kept up with the load it was asked to generate (thresholds: lib/results/client-verdict.ts). */
export interface ClientVerdict {
  readonly verdict: 'ok' | 'client-bound';
  /** p99 of (sent − intended send − wait for a concurrency cap), wall ms. */
  readonly sendLagMsP99: number;
  /** p99 event-loop delay beyond the sampling interval, wall ms (perf_hooks.monitorEventLoopDelay). */
  readonly eventLoopDelayMsP99: number;
  /** Client CPU (user + system) over wall time, % of one core, the busiest client process. */
  readonly cpuPct: number;
  /** Which thresholds were crossed (empty when ok). */
  readonly reasons?: readonly string[];
}

/**
 * Whether the local twin the level was measured against kept up with its own virtual time
 * (thresholds: lib/results/twin-verdict.ts). Versioned by its own `schemaVersion`; a real endpoint
 * never has one.
 */
export interface TwinVerdict {
  readonly schemaVersion: typeof TWIN_VERDICT_VERSION;
  readonly verdict: 'ok' | 'lagging';
  /** p99 and max of how late the twin handed out its engine's events over the level, endpoint ms (wall lateness × speedup). */
  readonly lagMsP99: number;
  readonly lagMsMax: number;
  /** Catch-ups of the twin's drivers that handed out events in the level (the samples behind the figures). */
  readonly samples: number;
  /** Which thresholds were crossed (absent when ok). */
  readonly reason?: string;
}

/** How the load of a level was generated. */
export type ArrivalProcess = 'poisson' | 'gamma' | 'constant';
export const ARRIVAL_PROCESSES: readonly ArrivalProcess[] = ['poisson', 'gamma', 'constant'];

/** The open-loop load of a level: requests at a rate, independent of responses. */
export interface OpenLoopLoad {
  readonly arrival: ArrivalProcess;
  /** Gamma shape k (1 = Poisson); only for `gamma`. */
  readonly burstiness?: number;
  /** Cap on requests in flight; requests over it wait (see `waitedForCap`). */
  readonly maxConcurrency?: number;
  /** Requests that waited for a free slot under the cap. */
  readonly waitedForCap: number;
  /** Highest number of requests in flight at once; merged from several workers, the sum of their peaks (an upper bound, never above the cap). */
  readonly peakInFlight?: number;
}

/** The measured statistics of one level (a concurrency, or an offered rate). */
export interface LevelResult {
  readonly schemaVersion: typeof LEVEL_RESULT_VERSION;
  /** Closed loop: the workers. Open loop: the level's key in files and plans (see `offeredRatePerS`). */
  readonly concurrency: number;
  /** Open loop: requests/s the client was asked to send (endpoint time). */
  readonly offeredRatePerS?: number;
  /** Measured requests sent per second over the send window (first to last send). */
  readonly achievedRatePerS?: number;
  readonly openLoop?: OpenLoopLoad;
  /** Measured (non-warm-up) requests: requests = ok + Σ errors. */
  readonly requests: number;
  readonly ok: number;
  readonly errors: Readonly<Partial<Record<ErrorKind, number>>>;
  readonly retries: number;
  /** Wall time of the measured window, s. */
  readonly durationS: number;
  readonly requestsPerS: number;
  readonly outputTokens: number;
  /** Output tokens generated per second by the whole endpoint in the window. */
  readonly throughputTokensPerS: number;
  /** e2e time / generated tokens, per successful request. */
  readonly latencyMsPerToken: Distribution;
  readonly e2eMs: Distribution;
  readonly ttftMs?: Distribution;
  /** Inter-token latency over every per-token gap of the streamed requests (a read of k tokens after g ms = k gaps of g/k). */
  readonly itlMs?: Distribution;
  /** Time per output token per streamed request: (e2e − TTFT) / (tokens − 1). */
  readonly tpotMs?: Distribution;
  /** sentMs − scheduledMs: time a request waited inside the client. */
  readonly clientQueueMs?: Distribution;
  /** Requests that hit the invocation/client deadline. */
  readonly timeouts: number;
  /**
   * The endpoint's own view of the level's window (CloudWatch), versioned by its own schemaVersion.
   * Absent when telemetry was off or the target is not a SageMaker endpoint.
   */
  readonly server?: ServerTelemetry;
  /**
   * Output tokens per second over the steady window (first to last measured send: every worker busy;
   * warm-up ramp and drain excluded), each request's tokens spread over its generation time. Absent
   * when fewer requests than workers overlap the window.
   */
  readonly steadyThroughputTokensPerS?: number;
  /** Length of that steady window, endpoint s. */
  readonly steadyWindowS?: number;
  /** Successful requests that generated fewer tokens than asked for (records with `shortOutput`: EOS where the engine could not be told to ignore it). */
  readonly endedEarly?: number;
  /**
   * Wall time of the whole level in endpoint s: first send (warm-up included) to last end, summed over
   * repeats. What the level cost on the endpoint; the sweep's `cost.levelSeconds` adds these up.
   */
  readonly levelSeconds?: number;
  /** The level measured `n` times (`--repeat n`): mean and 95 % Student-t interval of the headline figures. */
  readonly repeats?: LevelRepeats;
  /** The SLOs the level was judged on, and its goodput under them. */
  readonly slo?: Slo;
  readonly goodput?: Goodput;
  /** Whether the client kept up: a client-bound level says nothing about the server. */
  readonly client?: ClientVerdict;
  /**
   * Measured against the local twin: whether the twin kept up with its virtual time. A lagging level's
   * latencies carry the twin's own lag (reports flag it; stop rules do not look at it). Absent for any
   * other endpoint.
   */
  readonly twin?: TwinVerdict;
}

/** The headline figures of a level repeated n ≥ 2 times, each a mean with its 95 % interval over the repeats. */
export interface LevelRepeats {
  readonly n: number;
  readonly throughputTokensPerS: Interval;
  readonly msPerTokenP50: Interval;
  readonly ttftMsP50?: Interval;
}

export type KneeRule = 'slo-attainment' | 'latency-bound' | 'marginal-gain' | 'half-latency' | 'predicted';

export interface Knee {
  readonly concurrency: number;
  readonly rule: KneeRule;
  /** Human-readable statement of the rule and its parameter, e.g. "ms/token < 100". */
  readonly detail?: string;
}

/** The sweep's stop rules, in the order they are checked. */
export type StopRuleId = 'timeout' | 'error-rate' | 'latency-slo' | 'slo-attainment' | 'plateau';

/**
 * How a sweep ended: a stop rule fired, the levels ran out (`completed`: every listed level, or the
 * highest allowed one, measured), a predicted sweep reached an infeasible level (`infeasible`), the
 * user interrupted it (`aborted`), a step failed (`failed`, with the SweepResult's `failure`), or the
 * run id belonged to another execution or measurement and this one measured nothing (`refused`).
 */
export type SweepEnd = StopRuleId | 'completed' | 'infeasible' | 'aborted' | 'failed' | 'refused';

/** Why a sweep ended, with the figures behind it in words (reports show both). */
export interface StopReason {
  readonly rule: SweepEnd;
  readonly detail: string;
}

/** Request body family: TGI `inputs`, OpenAI `prompt` (completions) or OpenAI `messages` (chat). */
export type RequestApi = 'generate' | 'completions' | 'chat';

/** The serving container behind a SageMaker endpoint: Hugging Face TGI or LMI (djl-inference, vLLM). */
export type ServingContainer = 'tgi' | 'lmi';

/** What was benchmarked. */
export interface TargetDescription {
  readonly kind: 'sagemaker' | 'sagemaker-stream' | 'tgi' | 'tgi-stream' | 'openai' | 'openai-stream' | 'predicted';
  /** URL or endpoint name (and component). */
  readonly address: string;
  readonly inferenceComponent?: string;
  /** Time compression of a local endpoint (1 = real time); figures are scaled back by it. */
  readonly speedup?: number;
  /** Request API used; absent in older sweeps (TGI generate, or OpenAI completions). */
  readonly api?: RequestApi;
  /** Container of a SageMaker endpoint (it decides the stream framing); absent for TGI or older sweeps. */
  readonly container?: ServingContainer;
}

export interface PayloadDescription {
  /** Input tokens per request (the fixed length, or the mean of a distribution or dataset); for chat, counted after the chat template (`chatTemplate`). */
  readonly inputTokens: number;
  /** The fixed output length, or the mean of a distribution or dataset. */
  readonly outputTokens: number;
  /** The distribution the input lengths were drawn from, e.g. 'normal:512,128' (absent: fixed). */
  readonly inputDistribution?: string;
  /** The distribution the output lengths were drawn from (absent: fixed). */
  readonly outputDistribution?: string;
  readonly dataset?: string;
  readonly seed?: number;
  /** Chat template whose tokens `inputTokens` includes (chat API, or `messages` rows sent as prompts). */
  readonly chatTemplate?: string;
}

/** Deployment facts a report needs for cost figures. */
export interface DeploymentDescription {
  readonly id?: string;
  readonly model?: string;
  readonly instanceType?: string;
  readonly instances?: number;
  readonly tp?: number;
  readonly copies?: number;
  /** Price of all instances per hour, USD (after `price.discount`). */
  readonly hourlyUsd?: number;
  /** Where the price of one instance came from: region, source, date, discount. Absent in older sweeps. */
  readonly price?: PriceQuote;
}

/** The level with the highest goodput. */
export interface MaxGoodput {
  readonly concurrency: number;
  readonly tokensPerS: number;
  readonly attainment: number;
}

/** The cheapest level per 1M tokens meeting the SLO attainment target. */
export interface CostAtSlo {
  readonly concurrency: number;
  readonly usdPerMillionTokens: number;
  readonly goodputTokensPerS: number;
  readonly attainment: number;
  /** The attainment a level had to reach to compete. */
  readonly minAttainment: number;
}

export interface SweepCost {
  readonly levelSeconds: number;
  readonly instanceSeconds: number;
  readonly hourlyUsd?: number;
  readonly usdPerMillionTokensAtMaxThroughput?: number;
}

export interface SweepResult {
  readonly schemaVersion: typeof SWEEP_RESULT_VERSION;
  /** Label of the configuration (rows of comparison tables). */
  readonly label: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly target: TargetDescription;
  readonly payload: PayloadDescription;
  readonly deployment?: DeploymentDescription;
  readonly levels: readonly LevelResult[];
  readonly maxThroughput?: { readonly concurrency: number; readonly tokensPerS: number };
  readonly minLatency?: { readonly concurrency: number; readonly msPerToken: number };
  readonly maxFeasibleConcurrency?: number;
  readonly knee?: Knee;
  /** Knees by every rule, for reports that show them all. */
  readonly knees?: readonly Knee[];
  /** The level with the highest goodput (output tokens/s of requests meeting every SLO); levels judged on SLOs only, client-bound ones left out. */
  readonly maxGoodput?: MaxGoodput;
  /**
   * $ per 1M tokens at SLO: the cheapest level among those whose SLO attainment meets `minAttainment`,
   * costed on goodput tokens (hourly price × 10^6 / (goodput tokens/s × 3600)). Needs the hourly price.
   */
  readonly minCostAtSlo?: CostAtSlo;
  /**
   * What the sweep cost: `levelSeconds`, the endpoint time of its levels (Σ LevelResult.levelSeconds:
   * warm-up, window and drain, repeats included); `instanceSeconds`, that × the instance count; and,
   * when the hourly price is known, the price and $ per 1M tokens at max throughput.
   */
  readonly cost?: SweepCost;
  /** Why the sweep ended: the stop rule that fired and what it saw, or how it otherwise ended. */
  readonly stopReason?: StopReason;
  /** Set when the run ended early on a failure; the report is partial. */
  readonly failure?: { readonly step: string; readonly message: string };
}
