import { z } from 'zod';
import { CAPACITY_TIMING_FIELDS, CAPACITY_TIMING_RANGES, CAPACITY_TIMING_SOURCES, capacityTimingRange, type CapacityTimingParams } from '../planner/capacity-timing';
import { DEFAULT_MIN_COMPLETIONS_PER_SLOT, SAGEMAKER_INVOCATION_TIMEOUT_S } from '../results/defaults';
import { MAX_WINDOW_EXTENSION } from '../results/level-window';
import { ARRIVAL_PROCESSES } from '../results/records';
import { SCENARIO_KINDS, SCENARIO_LOADS } from '../results/scenario';
import { parseLengthDistribution } from '../workload/length-distribution';

/**
 * The fleet file: defaults + deployments (+ a matrix shorthand). Every field optional where a
 * default exists; defaults are applied by resolve.ts (so the JSON Schema stays readable).
 */

const wholeAtLeast1 = z.number().int().min(1);
/** A token length: a whole number, or a distribution spec ('normal:512,128', 'uniform:128,1024', 'lognormal:MU,SIGMA'). */
const tokenLength = z.union([
  wholeAtLeast1,
  z.string().refine(
    (text) => {
      try {
        parseLengthDistribution(text, 'tokens');
        return true;
      } catch {
        return false;
      }
    },
    { error: (issue) => `'${String(issue.input)}' is not a length; allowed: a whole number ≥ 1, 'normal:MEAN,SD', 'uniform:MIN,MAX' or 'lognormal:MU,SIGMA'` },
  ),
]);
const wholeAtLeast0 = z.number().int().min(0);
const slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'expected lower-case letters, digits and single hyphens, e.g. llama-2-7b-g5' })
  .max(40);

export const TgiOverridesSchema = z
  .strictObject({
    maxInputTokens: wholeAtLeast1.optional().describe('MAX_INPUT_TOKENS'),
    maxTotalTokens: wholeAtLeast1.optional().describe('MAX_TOTAL_TOKENS'),
    maxBatchPrefillTokens: wholeAtLeast1.optional().describe('MAX_BATCH_PREFILL_TOKENS'),
    maxBatchTotalTokens: wholeAtLeast1.optional().describe('MAX_BATCH_TOTAL_TOKENS; unset: TGI sizes it at warm-up'),
    maxConcurrentRequests: wholeAtLeast1.optional().describe('MAX_CONCURRENT_REQUESTS'),
    quantize: z.enum(['bitsandbytes', 'bitsandbytes-nf4', 'bitsandbytes-fp4', 'eetq', 'fp8', 'awq', 'gptq']).optional(),
    dtype: z.enum(['float16', 'bfloat16']).optional(),
    env: z.record(z.string(), z.string()).optional().describe('extra container environment (escape hatch)'),
  })
  .describe('TGI settings over JumpStart defaults');

export const LmiOverridesSchema = z
  .strictObject({
    rollingBatch: z.enum(['auto', 'vllm', 'disable']).optional().describe("OPTION_ROLLING_BATCH; default auto (vLLM async engine since LMI v17)"),
    maxRollingBatchSize: wholeAtLeast1.optional().describe('OPTION_MAX_ROLLING_BATCH_SIZE (vLLM max_num_seqs); always rendered; default 32, what LMI runs with rolling_batch=auto'),
    maxModelLen: wholeAtLeast1.optional().describe("OPTION_MAX_MODEL_LEN; default: the catalog's request budget (TGI MAX_TOTAL_TOKENS)"),
    maxConcurrentRequests: wholeAtLeast1.optional().describe('MAX_CONCURRENT_REQUESTS (job queue); default 1000'),
    maxNumBatchedTokens: wholeAtLeast1.optional().describe("OPTION_MAX_NUM_BATCHED_TOKENS; unset: vLLM's default"),
    gpuMemoryUtilization: z.number().gt(0).max(1).optional().describe("OPTION_GPU_MEMORY_UTILIZATION; unset: vLLM's default"),
    enableChunkedPrefill: z.boolean().optional().describe("OPTION_ENABLE_CHUNKED_PREFILL; unset: vLLM's default (on)"),
    enablePrefixCaching: z.boolean().optional().describe("OPTION_ENABLE_PREFIX_CACHING; unset: vLLM's default (on)"),
    jobQueueSize: wholeAtLeast1.optional().describe('SERVING_JOB_QUEUE_SIZE (wins over MAX_CONCURRENT_REQUESTS)'),
    dtype: z.enum(['float16', 'bfloat16']).optional().describe('OPTION_DTYPE'),
    env: z.record(z.string(), z.string()).optional().describe('extra container environment (escape hatch)'),
  })
  .describe('LMI (djl-inference, vLLM) settings over the catalog defaults; used when engine is lmi');

export const ENGINES = ['tgi', 'lmi'] as const;
const engine = z.enum(ENGINES, { error: "expected 'tgi' or 'lmi'" });

export const AutoscalingSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe('default: true when the deployment has an autoscaling block'),
    minInstances: wholeAtLeast0.optional(),
    maxInstances: wholeAtLeast1.optional(),
    minCopies: wholeAtLeast0.optional(),
    maxCopies: wholeAtLeast1.optional(),
    metric: z.enum(['concurrent-requests', 'invocations']).optional().describe('per model/copy; default concurrent-requests'),
    targetValue: z.number().positive().optional(),
    scaleInCooldownS: wholeAtLeast0.optional(),
    scaleOutCooldownS: wholeAtLeast0.optional(),
    scaleToZero: z.boolean().optional().describe('inference components only: 0 copies and 0 instances when idle'),
  })
  .describe('instance autoscaling (variant) or copy autoscaling (inference components)');

/**
 * An IANA time zone name as EventBridge Scheduler takes it (`ScheduleExpressionTimezone`):
 * accepted when `Intl.DateTimeFormat` accepts it (it throws RangeError for a name outside the
 * runtime's tz database; `Intl.supportedValuesOf('timeZone')` is not used because it omits `UTC`
 * and the link names), spelled with the database's own case.
 */
export function isIanaTimeZone(name: string): boolean {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return !(resolved.toLowerCase() === name.toLowerCase() && resolved !== name);
  } catch {
    return false;
  }
}

export const ScheduleSchema = z.union(
  [
    z.literal('off'),
    z.strictObject({
      cron: z.string().regex(/^cron\(\S+( \S+){5}\)$/, { error: 'expected an EventBridge Scheduler cron, e.g. cron(0 6 ? * MON *)' }),
      timeZone: z
        .string()
        .min(1)
        .refine(isIanaTimeZone, { error: (issue) => `'${String(issue.input)}' is not an IANA time zone; allowed: tz database names such as UTC, Europe/Berlin, America/New_York` })
        .describe('IANA time zone, e.g. Europe/Berlin'),
    }),
  ],
  { error: "expected 'off' or { cron: 'cron(...)', timeZone: 'Area/City' }" },
);

/** What a deployment's `benchmark.scenarios` may list: the sweep and the autoscaling scenarios. */
export const SCENARIO_ENTRY_KINDS = ['sweep', ...SCENARIO_KINDS] as const;
const scenarioKind = z.enum(SCENARIO_ENTRY_KINDS, { error: `expected one of ${SCENARIO_ENTRY_KINDS.join(', ')}` });
const seconds = z.number().min(0);

/**
 * One entry of `benchmark.scenarios`: a kind name, or the kind with its parameters (the CLI flags'
 * domain names: `llm-bench scenario --from/--to/--over/--hold/--fall/--idle/--sample/--slo-p99-ms`)
 * and its own schedule. Range checks beyond the types (from ≤ to, a spike starts idle) run at resolve.
 */
export const ScenarioEntrySchema = z.union(
  [
    scenarioKind,
    z.strictObject({
      kind: scenarioKind,
      load: z.enum(SCENARIO_LOADS, { error: `expected one of ${SCENARIO_LOADS.join(', ')}` }).optional().describe('what from/to count: concurrency (closed loop, default) or rate (open loop, requests/s)'),
      from: z.number().min(0).optional().describe('load at the start of the ramp: streams (whole), or requests/s with load rate'),
      to: z.number().positive().optional().describe('load at the top: streams (whole; default half the maximum capacity, at least 2, at the policy target), or requests/s with load rate (required)'),
      arrival: z.enum(ARRIVAL_PROCESSES as readonly ['poisson', 'gamma', 'constant'], { error: `expected one of ${ARRIVAL_PROCESSES.join(', ')}` }).optional().describe('arrival gaps of a rate load (default poisson)'),
      burstiness: z.number().positive().optional().describe('gamma shape of arrival gamma (1 = Poisson)'),
      seed: wholeAtLeast0.optional().describe('seed of a rate load\'s arrivals (default 1)'),
      overS: seconds.optional().describe('rise time, s'),
      holdS: seconds.optional().describe('time held at `to`, s'),
      fallS: seconds.optional().describe('fall time back to `from`, s'),
      idleS: seconds.optional().describe('idle time before the step or the first request, s'),
      sampleS: z.number().positive().optional().describe('sampling interval of the time series, s'),
      sloP99LatencyMs: z.number().positive().optional().describe('a window whose p99 latency exceeds it is an SLO breach'),
      retryBackoffS: seconds.optional().describe('client back-off after a no-capacity or throttled answer, s'),
      schedule: ScheduleSchema.optional().describe("this scenario's own schedule (default off; the sweep's default: benchmark.schedule)"),
    }),
  ],
  { error: `expected a scenario kind (${SCENARIO_ENTRY_KINDS.join(', ')}) or { kind, load, from, to, arrival, burstiness, seed, overS, holdS, fallS, idleS, sampleS, sloP99LatencyMs, retryBackoffS, schedule }` },
);

/** One parameter of the twin's capacity model, in its range (CAPACITY_TIMING_RANGES, shared with the twin and --capacity). */
function capacityTimingField(field: keyof CapacityTimingParams): z.ZodNumber {
  const r = CAPACITY_TIMING_RANGES[field];
  const error = `expected ${capacityTimingRange(field)}`;
  const number = z.number({ error });
  return (r.minExclusive ? number.gt(r.min, { error }) : number.min(r.min, { error })).describe(`default: ${CAPACITY_TIMING_SOURCES[field]}`);
}

/**
 * The autoscaling twin's capacity model (lib/planner/capacity-timing.ts), any subset: offline
 * scenarios only, never in the synthesized templates.
 */
export const TwinSchema = z
  .strictObject({
    capacity: z
      .strictObject(Object.fromEntries(CAPACITY_TIMING_FIELDS.map((f) => [f, capacityTimingField(f).optional()])) as Record<keyof CapacityTimingParams, z.ZodOptional<z.ZodNumber>>)
      .optional()
      .describe(`how long new capacity takes in the twin: ${CAPACITY_TIMING_FIELDS.join(', ')} (docs/scenarios.md)`),
  })
  .describe('settings of the offline autoscaling twin (npm start -- --scenario, llm-bench scenario --twin)');

export const BenchmarkSchema = z
  .strictObject({
    inputTokens: tokenLength.optional().describe("whole number or distribution, e.g. 'normal:512,128'"),
    outputTokens: tokenLength.optional().describe("whole number or distribution, e.g. 'uniform:128,1024'"),
    concurrency: z
      .union([z.array(wholeAtLeast1).min(1), z.literal('auto')], { error: "expected a list of whole numbers ≥ 1 or 'auto'" })
      .optional(),
    maxConcurrency: wholeAtLeast1.optional().describe("concurrency 'auto': highest level; mode rate: cap on requests in flight (default 512)"),
    durationS: z.number().positive().optional(),
    warmupRequests: wholeAtLeast0.optional(),
    stream: z.boolean().optional(),
    workers: wholeAtLeast1.optional().describe('Lambda workers per level'),
    latencyBoundMsPerToken: z.number().positive().optional(),
    maxErrorRate: z.number().min(0).max(1).optional(),
    timeoutS: z.number().positive().max(SAGEMAKER_INVOCATION_TIMEOUT_S).optional().describe(`SageMaker real-time invocations time out at ${SAGEMAKER_INVOCATION_TIMEOUT_S} s`),
    plateauGain: z.number().min(0).optional(),
    schedule: ScheduleSchema.optional(),
    regressionThresholdPct: z.number().positive().optional(),
    mode: z.enum(['concurrency', 'rate']).optional().describe('concurrency: closed loop over `concurrency`; rate: open loop over `rates` (requests/s)'),
    rates: z
      .union([z.array(z.number().positive()).min(1), z.literal('auto')], { error: "expected a list of rates > 0 (requests/s) or 'auto'" })
      .optional()
      .describe("open-loop levels, requests/s (mode: rate), or 'auto': the highest rate meeting slo, up to maxRatePerS"),
    maxRatePerS: z.number().positive().optional().describe('rates: auto: highest rate to try, requests/s'),
    arrival: z.enum(['poisson', 'gamma', 'constant']).optional().describe('open-loop arrivals (default poisson)'),
    burstiness: z.number().positive().optional().describe('gamma arrivals: shape k (1 = Poisson)'),
    slo: z
      .strictObject({ ttftMs: z.number().positive().optional(), itlMs: z.number().positive().optional(), e2eMs: z.number().positive().optional(), msPerToken: z.number().positive().optional() })
      .optional()
      .describe('per-request SLOs: levels report goodput and attainment'),
    minSloAttainment: z.number().min(0).max(1).optional().describe('stop when fewer than this share of requests meet every SLO'),
    repeat: wholeAtLeast1.optional().describe('measurements of each level: mean and 95 % CI over them (default 1)'),
    minCompletionsPerSlot: wholeAtLeast0.optional().describe(`extend a closed-loop window until this many completions per stream (at most ${MAX_WINDOW_EXTENSION}× durationS; default ${DEFAULT_MIN_COMPLETIONS_PER_SLOT})`),
    scenarios: z
      .array(ScenarioEntrySchema)
      .min(1)
      .optional()
      .describe('what the pipeline runs for this deployment: sweep and/or autoscaling scenarios, each with its own schedule (default [sweep])'),
    twin: TwinSchema.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.mode === 'rate' && b.rates === undefined) ctx.addIssue({ code: 'custom', path: ['rates'], message: 'mode rate needs rates (requests/s), e.g. [0.5, 1, 2]' });
    if (b.mode !== 'rate' && (b.rates !== undefined || b.arrival !== undefined || b.burstiness !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['mode'], message: 'rates, arrival and burstiness apply to mode: rate' });
    }
    if (b.burstiness !== undefined && b.arrival !== 'gamma' && b.burstiness !== 1) ctx.addIssue({ code: 'custom', path: ['burstiness'], message: 'applies to arrival: gamma only' });
    if (b.minSloAttainment !== undefined && b.slo === undefined) ctx.addIssue({ code: 'custom', path: ['minSloAttainment'], message: 'needs slo' });
    if (b.rates === 'auto' && b.slo === undefined) ctx.addIssue({ code: 'custom', path: ['slo'], message: 'rates: auto searches for the highest rate meeting the SLOs: give slo' });
    if (b.rates === 'auto' && b.maxRatePerS === undefined) ctx.addIssue({ code: 'custom', path: ['maxRatePerS'], message: 'rates: auto needs the highest rate to try, requests/s' });
    if (b.rates !== 'auto' && b.maxRatePerS !== undefined) ctx.addIssue({ code: 'custom', path: ['maxRatePerS'], message: "applies to rates: 'auto' only" });
  })
  .describe('load-test settings');

const layout = z.enum(['variant', 'inference-components']);

export const DeploymentSchema = z.strictObject({
  id: slug.optional().describe('default: {model}-{instance}-tp{tp}'),
  model: z.string().min(1).describe("catalog id ('llama-2-7b') or JumpStart id"),
  instanceType: z.string().min(1).describe("e.g. 'ml.g5.2xlarge'"),
  tp: wholeAtLeast1.optional().describe('tensor-parallel degree; default: JumpStart default for the instance'),
  copies: wholeAtLeast1.optional().describe('model copies across the endpoint (inference components)'),
  instances: wholeAtLeast1.optional(),
  layout: layout.optional().describe('default: inference-components when copies is set, else variant'),
  acceptEula: z.boolean().optional(),
  routing: z.enum(['least-outstanding-requests', 'random']).optional(),
  engine: engine.optional().describe("serving container; default: tgi for the study's models, JumpStart's own engine (lmi) for newer ones"),
  tgi: TgiOverridesSchema.optional(),
  lmi: LmiOverridesSchema.optional(),
  autoscaling: AutoscalingSchema.optional(),
  benchmark: BenchmarkSchema.optional(),
});

export const MatrixSchema = z.strictObject({
  models: z.array(z.string().min(1)).min(1),
  instanceTypes: z.array(z.string().min(1)).min(1),
  tp: z.union([z.array(wholeAtLeast1).min(1), z.literal('default')], { error: "expected a list of TP degrees or 'default'" }).optional(),
  layout: layout.optional(),
  copies: wholeAtLeast1.optional(),
  instances: wholeAtLeast1.optional(),
  acceptEula: z.boolean().optional(),
  engine: z
    .union([engine, z.array(engine).min(1)], { error: "expected 'tgi', 'lmi' or a list of them" })
    .optional()
    .describe('one engine or a list to compare; default: each model\'s own (see deployments)'),
  tgi: TgiOverridesSchema.optional(),
  lmi: LmiOverridesSchema.optional(),
  autoscaling: AutoscalingSchema.optional(),
  benchmark: BenchmarkSchema.optional(),
});

export const FleetConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*$/, { error: 'expected letters, digits and single hyphens, starting with a letter' })
      .max(24),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'expected an AWS region, e.g. us-east-1' }).optional(),
    maxHourlyUsd: z
      .number()
      .positive()
      .optional()
      .describe('fail when the fleet costs more per hour (after the discount) at its autoscaling maximum; default ceiling 500 (see fleets/README.md)'),
    discount: z
      .number()
      .min(0)
      .lt(1)
      .optional()
      .describe('fraction off every price, e.g. 0.3 for a Savings Plan (--discount overrides it)'),
    defaults: z
      .strictObject({
        acceptEula: z.boolean().optional(),
        engine: engine.optional(),
        tgi: TgiOverridesSchema.optional(),
        lmi: LmiOverridesSchema.optional(),
        benchmark: BenchmarkSchema.optional(),
        autoscaling: AutoscalingSchema.optional(),
      })
      .optional(),
    deployments: z.array(DeploymentSchema).optional(),
    matrix: MatrixSchema.optional(),
  })
  .refine((f) => (f.deployments?.length ?? 0) > 0 || f.matrix !== undefined, {
    error: 'a fleet needs at least one entry in deployments or a matrix',
    path: ['deployments'],
  });

export type FleetConfig = z.infer<typeof FleetConfigSchema>;
export type DeploymentConfig = z.infer<typeof DeploymentSchema>;
export type MatrixConfig = z.infer<typeof MatrixSchema>;
export type TgiOverrides = z.infer<typeof TgiOverridesSchema>;
export type LmiOverrides = z.infer<typeof LmiOverridesSchema>;
export type AutoscalingConfig = z.infer<typeof AutoscalingSchema>;
export type BenchmarkConfig = z.infer<typeof BenchmarkSchema>;
export type ScenarioEntryConfig = z.infer<typeof ScenarioEntrySchema>;
export type TwinConfig = z.infer<typeof TwinSchema>;

/** JSON Schema (draft 2020-12) of the fleet file, for editors (`# yaml-language-server: $schema=...`). */
export function fleetJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(FleetConfigSchema, { io: 'input' }) as Record<string, unknown>;
}
