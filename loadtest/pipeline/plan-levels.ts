import type { BenchmarkInput, WorkerItem } from '../../lib/benchmark/pipeline-state';

import type { LevelPlan } from '../sweep/next-step';
import { rateLevelKey, rateOfLevelKey } from '../../lib/results/level-key';
import { DEFAULT_MIN_COMPLETIONS_PER_SLOT } from '../../lib/results/defaults';

export type { LevelPlan } from '../sweep/next-step';

/**
 * The plan of a deployment's sweep: its listed levels (deduplicated, ≤ maxConcurrency) or 'auto';
 * in mode `rate`, its rates in order under their level keys (rateLevelKey), or the rate search ('auto').
 */
export function planLevels(settings: Pick<BenchmarkInput, 'concurrency' | 'maxConcurrency' | 'mode' | 'rates' | 'maxRatePerS'>): LevelPlan {
  if (settings.mode === 'rate' && settings.rates === 'auto') return { mode: 'rate-auto', maxRatePerS: settings.maxRatePerS ?? 0 };
  if (settings.mode === 'rate') return { mode: 'list', levels: [...new Set((settings.rates === 'auto' ? [] : (settings.rates ?? [])).map(rateLevelKey))] };
  if (settings.concurrency === 'auto') return { mode: 'auto', maxConcurrency: settings.maxConcurrency };
  const seen = new Set<number>();
  const levels: number[] = [];
  for (const c of settings.concurrency) {
    if (Number.isInteger(c) && c >= 1 && c <= settings.maxConcurrency && !seen.has(c)) {
      seen.add(c);
      levels.push(c);
    }
  }
  return { mode: 'list', levels };
}

/**
 * Streams each of `workers` Lambda workers keeps in flight so that together they hold `concurrency`:
 * never more workers than streams, and slices differ by at most one.
 */
export function splitConcurrency(concurrency: number, workers: number): number[] {
  const count = Math.max(1, Math.min(workers, concurrency));
  const base = Math.floor(concurrency / count);
  const extra = concurrency % count;
  return Array.from({ length: count }, (_, i) => base + (i < extra ? 1 : 0));
}

export interface WorkerItemsInput {
  readonly deploymentId: string;
  readonly runId: string;
  readonly endpointName: string;
  readonly inferenceComponentName?: string;
  readonly concurrency: number;
  readonly settings: BenchmarkInput;
  readonly startAtEpochMs: number;
  /** Which measurement of a repeated level (0-based). @default 0 */
  readonly repeat?: number;
}

/** Measurements of each level of a deployment's sweep. */
export function repeatsOf(settings: Pick<BenchmarkInput, 'repeat'>): number {
  return settings.repeat ?? 1;
}

/** Completions per stream a closed-loop window waits for: the setting, else the CLI's default (one rule for both). */
export function minCompletionsPerSlotOf(settings: Pick<BenchmarkInput, 'minCompletionsPerSlot'>): number {
  return settings.minCompletionsPerSlot ?? DEFAULT_MIN_COMPLETIONS_PER_SLOT;
}

const repeatOf = (input: WorkerItemsInput): Pick<WorkerItem, 'repeat'> => (input.repeat !== undefined && input.repeat > 0 ? { repeat: input.repeat } : {});

/**
 * The Map items of one level: one per worker, all starting at the same epoch ms. In mode `rate`
 * each worker sends an equal share of the offered rate with its own seed (superposed independent
 * Poisson processes are a Poisson process of the summed rate; gamma ones only approximately).
 */
export function workerItems(input: WorkerItemsInput): WorkerItem[] {
  if (input.settings.mode === 'rate') return openLoopItems(input);
  const slices = splitConcurrency(input.concurrency, input.settings.workers);
  return slices.map((workerConcurrency, worker) => ({
    phase: 'measure',
    deploymentId: input.deploymentId,
    runId: input.runId,
    endpointName: input.endpointName,
    ...(input.inferenceComponentName !== undefined ? { inferenceComponentName: input.inferenceComponentName } : {}),
    concurrency: input.concurrency,
    worker,
    workers: slices.length,
    workerConcurrency,
    startAtEpochMs: input.startAtEpochMs,
    durationS: input.settings.durationS,
    inputTokens: input.settings.inputTokens,
    outputTokens: input.settings.outputTokens,
    ...distributionsOf(input.settings),
    stream: input.settings.stream,
    timeoutS: input.settings.timeoutS,
    // One seed per level: workers in one process share the built prompt (the payload source caches it).
    seed: 1000 + input.concurrency,
    ...(input.settings.container !== undefined ? { container: input.settings.container } : {}),
    ...(input.settings.slo !== undefined ? { slo: input.settings.slo } : {}),
    ...repeatOf(input),
    minCompletionsPerSlot: minCompletionsPerSlotOf(input.settings),
  }));
}

/**
 * Open loop: `maxConcurrency` caps the requests in flight of the whole level (the CLI's
 * --max-concurrency), split over the workers like a closed loop's streams (never more workers than
 * the cap), each worker's arrivals over its share waiting for a free slot.
 */
function openLoopItems(input: WorkerItemsInput): WorkerItem[] {
  const { settings } = input;
  const caps = splitConcurrency(settings.maxConcurrency, settings.workers);
  const workers = caps.length;
  const ratePerS = rateOfLevelKey(input.concurrency);
  return caps.map((cap, worker) => ({
    phase: 'measure' as const,
    deploymentId: input.deploymentId,
    runId: input.runId,
    endpointName: input.endpointName,
    ...(input.inferenceComponentName !== undefined ? { inferenceComponentName: input.inferenceComponentName } : {}),
    concurrency: input.concurrency,
    worker,
    workers,
    // Sockets of the worker: as many as its share of the cap lets fly at once.
    workerConcurrency: cap,
    maxInFlight: cap,
    startAtEpochMs: input.startAtEpochMs,
    durationS: settings.durationS,
    inputTokens: settings.inputTokens,
    outputTokens: settings.outputTokens,
    ...distributionsOf(settings),
    stream: settings.stream,
    timeoutS: settings.timeoutS,
    seed: 1000 + input.concurrency + 7919 * worker,
    ratePerS: ratePerS / workers,
    arrival: settings.arrival ?? 'poisson',
    ...(settings.burstiness !== undefined ? { burstiness: settings.burstiness } : {}),
    ...(settings.container !== undefined ? { container: settings.container } : {}),
    ...(settings.slo !== undefined ? { slo: settings.slo } : {}),
    ...repeatOf(input),
  }));
}

/** The length distributions of the settings, when they have any. */
function distributionsOf(settings: BenchmarkInput): Pick<BenchmarkInput, 'inputDistribution' | 'outputDistribution' | 'tokenLimits'> {
  return {
    ...(settings.tokenLimits !== undefined ? { tokenLimits: settings.tokenLimits } : {}),
    ...(settings.inputDistribution !== undefined ? { inputDistribution: settings.inputDistribution } : {}),
    ...(settings.outputDistribution !== undefined ? { outputDistribution: settings.outputDistribution } : {}),
  };
}

/** The one-off warm-up: `warmupRequests` requests at concurrency 1, discarded. */
export function warmupItem(input: Omit<WorkerItemsInput, 'concurrency'>): WorkerItem | undefined {
  if (input.settings.warmupRequests <= 0) return undefined;
  return {
    phase: 'warmup',
    deploymentId: input.deploymentId,
    runId: input.runId,
    endpointName: input.endpointName,
    ...(input.inferenceComponentName !== undefined ? { inferenceComponentName: input.inferenceComponentName } : {}),
    concurrency: 1,
    worker: 0,
    workers: 1,
    workerConcurrency: 1,
    startAtEpochMs: input.startAtEpochMs,
    requests: input.settings.warmupRequests,
    inputTokens: input.settings.inputTokens,
    outputTokens: input.settings.outputTokens,
    ...distributionsOf(input.settings),
    stream: input.settings.stream,
    timeoutS: input.settings.timeoutS,
    seed: 7,
    ...(input.settings.container !== undefined ? { container: input.settings.container } : {}),
  };
}
