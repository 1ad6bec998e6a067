import type { InstanceTypeSpec, LmiSettings, ModelSpec, TgiSettings } from '../catalog/types';
import type { Pricing } from '../catalog';
import { UserInputError } from '../errors';
import { SAGEMAKER_INVOCATION_TIMEOUT_MS } from '../results/defaults';
import { isFeasible, summarizeSweep } from '../results/summarize-sweep';
import { REQUEST_RECORD_VERSION, type ErrorKind, type Knee, type LevelResult, type RequestRecord, type StopReason, type SweepResult } from '../results/records';
import { summarizeLevel } from '../results/summarize-level';
import { defaultStepTimeParams, type StepTimeParams } from './calibration/params';
import { deploymentPrice } from './cost';
import { simulateClosedLoop, type SimulatedRequest } from './engine/closed-loop';
import { createEndpointEngine } from './engine/endpoint';
import type { EngineKind, RouterPolicy } from './engine/types';
import { kneeBound, lmiRequestLimits, resolveLmiSettings, resolveTgiSettings } from './deployment-shape';
import { createStepTimer } from './step-time';

/**
 * The latency-throughput curve of a configuration before deploying it: a closed-loop client of
 * c workers against the serving engine, in virtual time, per concurrency level. Levels come out in
 * the same shapes the load generator measures (LevelResult, SweepResult), so reports render both.
 */

export interface PredictOptions {
  readonly model: ModelSpec;
  readonly instance: InstanceTypeSpec;
  readonly tp: number;
  /** Model copies per instance. @default 1 */
  readonly copies?: number;
  /** @default 1 */
  readonly instances?: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** TGI overrides on top of the model's JumpStart defaults. */
  readonly tgi?: Partial<TgiSettings>;
  /** The serving container whose scheduler serves the requests. @default 'tgi' */
  readonly engine?: EngineKind;
  /** LMI overrides on top of the catalog's LMI defaults (engine 'lmi'). */
  readonly lmi?: Partial<LmiSettings>;
  readonly concurrency: readonly number[];
  /** @default SAGEMAKER_INVOCATION_TIMEOUT_MS (60000) */
  readonly invocationTimeoutMs?: number;
  readonly router?: RouterPolicy;
  readonly seed?: number;
  /** Step-time parameters (calibration runs pass candidates). @default the calibrated ones */
  readonly stepTimeParams?: StepTimeParams;
  /**
   * Stop at the first infeasible level, as a sweep's stop rules do (higher levels are not simulated
   * and are absent from the result).
   * @default false
   */
  readonly stopAtFirstInfeasible?: boolean;
  /** Region, overrides and discount of the price. @default us-east-1, shipped table */
  readonly pricing?: Pricing;
}

export interface PredictedLevel {
  readonly concurrency: number;
  readonly throughputTokensPerS: number;
  /** Mean over successful requests of e2e time / generated tokens. */
  readonly latencyMsPerToken: number;
  readonly e2eMsP50: number;
  /** Median time to first token (first token − send), ms. */
  readonly ttftMsP50: number;
  /** Median inter-token latency, (e2e − TTFT) / (tokens − 1) per request, ms. */
  readonly itlMsP50: number;
  /** No timeout, error rate ≤ 1 %. */
  readonly feasible: boolean;
  readonly timeouts: number;
  readonly overloaded: number;
}

export interface PredictedCurve {
  readonly curve: PredictedLevel[];
  readonly maxFeasibleConcurrency?: number;
  readonly maxThroughput?: { readonly concurrency: number; readonly tokensPerS: number };
  readonly knee?: Knee;
}

const ERROR_KIND_OF: Readonly<Record<Exclude<SimulatedRequest['outcome'], 'ok'>, ErrorKind>> = {
  timeout: 'timeout',
  overloaded: 'overloaded',
  too_long: 'client_error',
};

/**
 * The simulated requests as the records a client would have written (one virtual clock, origin 0;
 * a simulated worker sends at once, so `scheduledMs` = `sentMs`).
 */
export function simulatedRecords(concurrency: number, inputTokens: number, requests: readonly SimulatedRequest[]): RequestRecord[] {
  const seqOf = new Map<number, number>();
  return requests.map((r) => {
    const seq = seqOf.get(r.worker) ?? 0;
    seqOf.set(r.worker, seq + 1);
    return {
      schemaVersion: REQUEST_RECORD_VERSION,
      concurrency,
      worker: r.worker,
      seq,
      clockOriginMs: 0,
      scheduledMs: r.sentMs,
      sentMs: r.sentMs,
      ...(r.firstTokenMs !== undefined ? { firstTokenMs: r.firstTokenMs } : {}),
      endMs: r.endMs,
      inputTokens,
      outputTokens: r.outputTokens,
      ...(r.outcome !== 'ok' ? { error: ERROR_KIND_OF[r.outcome] } : {}),
    };
  });
}

/**
 * The settings the engine serves with: TGI's (JumpStart defaults + overrides), or for LMI its
 * settings and their request limits in TGI's terms.
 */
export function engineSettings(opts: PredictOptions): { engine: EngineKind; tgi: TgiSettings; lmi?: LmiSettings } {
  if (opts.engine === 'lmi') {
    const lmi = resolveLmiSettings(opts.model, opts.instance, opts.lmi);
    return { engine: 'lmi', tgi: lmiRequestLimits(lmi), lmi };
  }
  return { engine: 'tgi', tgi: resolveTgiSettings(opts.model, opts.instance, opts.tp, opts.tgi) };
}

/** Service time of one request alone on a replica (its prefill, then one decode step per further token), ms. */
export function loneRequestMs(opts: PredictOptions): number {
  const timer = createStepTimer({ model: opts.model, instance: opts.instance, tp: opts.tp }, opts.stepTimeParams ?? defaultStepTimeParams());
  const meanContext = opts.inputTokens + opts.outputTokens / 2;
  return timer.prefillPassMs(opts.inputTokens, opts.inputTokens ** 2) + (opts.outputTokens - 1) * timer.decodeStepMs(1, meanContext);
}

/**
 * Completions per worker in the measured window. Throughput of an error-free level comes from
 * Little's law (stable within ~1 % after two or three cycles); counting tokens over a window that
 * opens and closes at completion instants would misjudge it by up to ~10 % at this length where
 * requests queue (completions come in bursts).
 */
const MEASURED_CYCLES = 3;

/**
 * A closed loop whose requests all succeed obeys Little's law: c requests in flight, each for its
 * e2e time, so requests/s = c / mean e2e. That estimates the same long-run rate the load generator
 * reports (tokens over the window) without the window's edge effect. Levels with errors keep the
 * window count.
 */
function withLittlesLawRate(level: LevelResult): LevelResult {
  if (level.ok === 0 || level.ok !== level.requests || !(level.e2eMs.mean > 0)) return level;
  const requestsPerS = level.concurrency / (level.e2eMs.mean / 1000);
  return { ...level, requestsPerS, throughputTokensPerS: (requestsPerS * level.outputTokens) / level.ok };
}

/**
 * Simulates one concurrency level: workers started staggered, warm-up of c completions, then a window
 * of max(3c, 40) completions; an error-free level's rate by Little's law.
 */
export function predictLevel(opts: PredictOptions, concurrency: number): LevelResult {
  // A sweep that stops at the first infeasible level needs only to know that it is infeasible.
  const stopWhenInfeasible = opts.stopAtFirstInfeasible === true;
  const whole = (field: string, value: number): void => {
    if (!Number.isInteger(value) || value < 1) throw new UserInputError(field, `must be a whole number ≥ 1, got ${value}`);
  };
  whole('concurrency', concurrency);
  whole('inputTokens', opts.inputTokens);
  whole('outputTokens', opts.outputTokens);
  const engine = createEndpointEngine({
    model: opts.model,
    instance: opts.instance,
    tp: opts.tp,
    copies: opts.copies ?? 1,
    instances: opts.instances ?? 1,
    ...engineSettings(opts),
    router: opts.router,
    seed: opts.seed,
    stepTimeParams: opts.stepTimeParams,
  });
  const result = simulateClosedLoop(engine, {
    concurrency,
    inputTokens: opts.inputTokens,
    outputTokens: opts.outputTokens,
    startSpreadMs: loneRequestMs(opts),
    invocationTimeoutMs: opts.invocationTimeoutMs,
    warmupCompletions: concurrency,
    measuredCompletions: Math.max(MEASURED_CYCLES * concurrency, 40),
    stopWhenInfeasible,
  });
  // The simulated client measures a window of completions, not from first send to last end.
  const level = summarizeLevel(simulatedRecords(concurrency, opts.inputTokens, result.requests), {
    concurrency,
    windowMs: result.windowEndMs - result.windowStartMs,
  });
  return withLittlesLawRate(level);
}

function toPredictedLevel(level: LevelResult): PredictedLevel {
  return {
    concurrency: level.concurrency,
    throughputTokensPerS: level.throughputTokensPerS,
    latencyMsPerToken: level.latencyMsPerToken.mean,
    e2eMsP50: level.e2eMs.p50,
    ttftMsP50: level.ttftMs?.p50 ?? 0,
    // Per request (TPOT): simulated records carry no stream reads, so there are no per-token gaps.
    itlMsP50: level.tpotMs?.p50 ?? 0,
    feasible: isFeasible(level),
    timeouts: level.timeouts,
    overloaded: level.errors.overloaded ?? 0,
  };
}

/** The predicted sweep in the measured shapes (target kind 'predicted'). */
export function predictSweep(opts: PredictOptions & { readonly label?: string }): SweepResult {
  const startedAt = new Date().toISOString();
  const copies = opts.copies ?? 1;
  const instances = opts.instances ?? 1;
  const levels: LevelResult[] = [];
  let stopReason: StopReason = { rule: 'completed', detail: `every level simulated (c = ${[...opts.concurrency].sort((a, b) => a - b).join(', ')})` };
  for (const c of [...opts.concurrency].sort((a, b) => a - b)) {
    const level = predictLevel(opts, c);
    levels.push(level);
    if (opts.stopAtFirstInfeasible === true && !isFeasible(level)) {
      stopReason = { rule: 'infeasible', detail: `c=${c} is not feasible (${level.timeouts} timeouts, ${level.requests - level.ok} of ${level.requests} requests failed)` };
      break;
    }
  }
  const { hourlyUsd, quote: price } = deploymentPrice(opts.instance, instances, opts.pricing);
  const label = opts.label ?? `${opts.model.id} on ${instances} × ${opts.instance.name} (TP ${opts.tp}, ${copies} cop${copies === 1 ? 'y' : 'ies'}${opts.engine === 'lmi' ? ', LMI' : ''})`;
  const sweep = summarizeSweep({
    label,
    target: { kind: 'predicted', address: `predict:${opts.model.id}@${opts.instance.name}`, ...(opts.engine === 'lmi' ? { container: 'lmi' as const } : {}) },
    payload: { inputTokens: opts.inputTokens, outputTokens: opts.outputTokens },
    deployment: {
      model: opts.model.id,
      instanceType: opts.instance.name,
      instances,
      tp: opts.tp,
      copies,
      hourlyUsd,
      price,
    },
    levels,
    startedAt,
    finishedAt: new Date().toISOString(),
    stopReason,
    invocationTimeoutMs: opts.invocationTimeoutMs ?? SAGEMAKER_INVOCATION_TIMEOUT_MS,
  });
  const theory = theoryKnee(opts, levels);
  return theory === undefined ? sweep : { ...sweep, knees: [...(sweep.knees ?? []), theory] };
}

/**
 * The knee the specs predict (`kneeBound`, the same bound `plan` reports), placed at the highest
 * simulated level not above it.
 */
export function theoryKnee(opts: PredictOptions, levels: readonly LevelResult[]): Knee | undefined {
  const { tgi } = engineSettings(opts);
  const bound = kneeBound({ ...opts, tgi });
  const below = levels.filter((l) => l.concurrency <= bound.concurrency).map((l) => l.concurrency);
  if (below.length === 0 || bound.perReplica < 1) return undefined;
  return { concurrency: Math.max(...below), rule: 'predicted', detail: bound.detail };
}

/** The predicted curve: per level figures plus max feasible concurrency, max throughput and knee. */
export function predictCurve(opts: PredictOptions): PredictedCurve {
  const sweep = predictSweep(opts);
  return {
    curve: sweep.levels.map(toPredictedLevel),
    ...(sweep.maxFeasibleConcurrency !== undefined ? { maxFeasibleConcurrency: sweep.maxFeasibleConcurrency } : {}),
    ...(sweep.maxThroughput !== undefined ? { maxThroughput: sweep.maxThroughput } : {}),
    ...(sweep.knee !== undefined ? { knee: sweep.knee } : {}),
  };
}
