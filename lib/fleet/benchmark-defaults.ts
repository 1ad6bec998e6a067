import type { BenchmarkConfig } from './schema';
import type { BenchmarkSettings } from './types';

/**
 * Defaults of the benchmark settings. Payload 256 + 256 tokens and the doubling concurrency levels
 * follow the published Llama 2 study (/work/shared/calibration/llama-2-7b-published.json);
 * the 60 s timeout is SageMaker's real-time invocation limit
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-options.html).
 */
export const DEFAULT_BENCHMARK: BenchmarkSettings = {
  inputTokens: 256,
  outputTokens: 256,
  concurrency: [1, 2, 4, 8, 16, 32, 64, 128],
  maxConcurrency: 512,
  durationS: 60,
  warmupRequests: 4,
  stream: false,
  workers: 1,
  latencyBoundMsPerToken: 100,
  maxErrorRate: 0.01,
  timeoutS: 60,
  plateauGain: 0.05,
  schedule: 'off',
  regressionThresholdPct: 10,
};

/** Layers benchmark blocks: later ones win field by field. */
export function mergeBenchmark(...layers: readonly (BenchmarkConfig | undefined)[]): BenchmarkSettings {
  let out: BenchmarkSettings = DEFAULT_BENCHMARK;
  for (const layer of layers) {
    if (!layer) continue;
    const defined = Object.fromEntries(Object.entries(layer).filter(([, v]) => v !== undefined)) as Partial<BenchmarkSettings>;
    out = { ...out, ...defined };
  }
  return out;
}
