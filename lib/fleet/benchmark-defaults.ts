import {
  DEFAULT_LATENCY_BOUND_MS_PER_TOKEN,
  DEFAULT_LEVEL_DURATION_S,
  DEFAULT_MAX_ERROR_RATE,
  DEFAULT_PLATEAU_GAIN,
  SAGEMAKER_INVOCATION_TIMEOUT_S,
} from '../results/defaults';
import type { CapacityTimingParams } from '../planner/capacity-timing';
import { lengthSetting } from '../workload/length-distribution';
import type { BenchmarkConfig } from './schema';
import type { BenchmarkSettings } from './types';

/**
 * Defaults of the benchmark settings. Payload 256 + 256 tokens and the doubling concurrency levels
 * follow the published Llama 2 study (lib/planner/calibration/llama-2-7b-published.json);
 * the timeout, error allowance, plateau gain and latency bound are the measurement defaults of
 * lib/results/defaults (the timeout is SageMaker's real-time invocation limit).
 */
export const DEFAULT_BENCHMARK: BenchmarkSettings = {
  inputTokens: 256,
  outputTokens: 256,
  concurrency: [1, 2, 4, 8, 16, 32, 64, 128],
  maxConcurrency: 512,
  durationS: DEFAULT_LEVEL_DURATION_S,
  warmupRequests: 4,
  stream: false,
  workers: 1,
  latencyBoundMsPerToken: DEFAULT_LATENCY_BOUND_MS_PER_TOKEN,
  maxErrorRate: DEFAULT_MAX_ERROR_RATE,
  timeoutS: SAGEMAKER_INVOCATION_TIMEOUT_S,
  plateauGain: DEFAULT_PLATEAU_GAIN,
  schedule: 'off',
  regressionThresholdPct: 10,
  scenarios: [],
};

/**
 * Layers benchmark blocks: later ones win field by field (`scenarios` is resolved per deployment:
 * resolve-scenarios.ts; `twin` is the offline twin's, outside the state machine's settings: twinCapacity).
 */
export function mergeBenchmark(...layers: readonly (BenchmarkConfig | undefined)[]): BenchmarkSettings {
  let out: BenchmarkSettings = DEFAULT_BENCHMARK;
  for (const layer of layers) {
    if (!layer) continue;
    const { inputTokens, outputTokens, scenarios: _scenarios, twin: _twin, ...rest } = layer;
    const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<BenchmarkSettings>;
    out = { ...out, ...defined };
    // A distribution is carried as its spec beside its mean; a later fixed length clears it.
    if (inputTokens !== undefined) {
      const { inputDistribution: _input, ...kept } = out;
      const input = lengthSetting(inputTokens, 'benchmark.inputTokens');
      out = { ...kept, inputTokens: input.tokens, ...(input.distribution !== undefined ? { inputDistribution: input.distribution } : {}) };
    }
    if (outputTokens !== undefined) {
      const { outputDistribution: _output, ...kept } = out;
      const output = lengthSetting(outputTokens, 'benchmark.outputTokens');
      out = { ...kept, outputTokens: output.tokens, ...(output.distribution !== undefined ? { outputDistribution: output.distribution } : {}) };
    }
  }
  return out;
}

/** The twin's capacity model of a deployment: `benchmark.twin.capacity` of the layers, later ones win field by field; undefined when none sets it. */
export function mergeTwinCapacity(...layers: readonly (BenchmarkConfig | undefined)[]): Partial<CapacityTimingParams> | undefined {
  let out: Partial<CapacityTimingParams> | undefined;
  for (const layer of layers) {
    const capacity = layer?.twin?.capacity;
    if (capacity === undefined) continue;
    out = { ...out, ...Object.fromEntries(Object.entries(capacity).filter(([, v]) => v !== undefined)) };
  }
  return out;
}
