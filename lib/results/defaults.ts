/**
 * The measurement defaults, in one place: every caller (planner, CLI sweep, pipeline, fleet
 * defaults, local endpoint, targets) imports them from here.
 */

/**
 * SageMaker real-time endpoints answer an invocation within 60 s or fail it; the limit is not
 * adjustable per endpoint. "A customer's model containers must respond to requests within 60
 * seconds." — InvokeEndpoint API reference,
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 * (also https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-options.html).
 */
export const SAGEMAKER_INVOCATION_TIMEOUT_S = 60;
/** {@link SAGEMAKER_INVOCATION_TIMEOUT_S} in ms: the default client deadline of a request. */
export const SAGEMAKER_INVOCATION_TIMEOUT_MS = SAGEMAKER_INVOCATION_TIMEOUT_S * 1000;

/** Measured window of one concurrency level, s (endpoint time). */
export const DEFAULT_LEVEL_DURATION_S = 60;

/** Highest share of failed requests (errors / requests) a feasible level may have: 1 %. */
export const DEFAULT_MAX_ERROR_RATE = 0.01;

/** Smallest throughput gain per doubling of concurrency worth measuring a higher level for: 5 %. */
export const DEFAULT_PLATEAU_GAIN = 0.05;

/** Latency bound of the knee (p50 ms per output token): 100 ms/token, i.e. 10 tokens/s per request. */
export const DEFAULT_LATENCY_BOUND_MS_PER_TOKEN = 100;

/**
 * Completions per worker a level's window is extended to (at most 4× its duration): with k
 * completions per slot, the requests cut by the window's edges are about 1/k of the count.
 */
export const DEFAULT_MIN_COMPLETIONS_PER_SLOT = 3;

/**
 * Share of requests that must meet every SLO for a rate to pass the open-loop search (`--rate auto`)
 * when no `--min-slo-attainment` is given: 90 %. Our default (the rate search needs one), stated in
 * docs/workloads.md.
 */
export const DEFAULT_MIN_SLO_ATTAINMENT = 0.9;

/**
 * Autoscaling targets when a fleet gives none (our choice, to be tuned from a sweep): 16 requests in
 * flight per model/copy sits below the knee the published study found for Llama 2 7B on one A10G
 * (~32); 60 invocations per minute per instance/copy for the per-minute metric. A scenario sizes its
 * load from the concurrency target (lib/results/scenario-schedule.ts).
 */
export const DEFAULT_AUTOSCALING_TARGET = { 'concurrent-requests': 16, invocations: 60 } as const;

/**
 * How long a telemetry read waits for CloudWatch to publish a window's last period, and how often it
 * polls, s of the endpoint's clock. The project's defaults (assumptions, not AWS figures: AWS documents
 * a 1-minute frequency but no publication delay): 3 min covers a 1-minute period plus two more minutes.
 * The Lambda steps that wait (merge-level, scenario-finish) are given this much more time.
 */
export const TELEMETRY_SETTLE_DEFAULTS = { maxWaitS: 180, pollS: 15 } as const;
