import type { PipelineBenchmarkSettings, PipelineDeployment, PipelineFleet } from '../../lib/benchmark/types';

export const BENCHMARK: PipelineBenchmarkSettings = {
  inputTokens: 256,
  outputTokens: 256,
  concurrency: [1, 2, 4, 8, 16, 32, 64],
  maxConcurrency: 512,
  durationS: 60,
  warmupRequests: 4,
  stream: false,
  workers: 4,
  latencyBoundMsPerToken: 100,
  maxErrorRate: 0.01,
  timeoutS: 60,
  plateauGain: 0.05,
  schedule: { cron: '0 3 ? * MON *', timeZone: 'Europe/Paris' },
  regressionThresholdPct: 10,
};

export function deployment(id: string, overrides: Partial<PipelineDeployment> = {}): PipelineDeployment {
  return {
    id,
    endpointName: `llm-bench-${id}`,
    model: { id: 'llama-2-7b' },
    instanceType: { name: 'ml.g5.2xlarge' },
    tp: 1,
    copies: 1,
    instances: 1,
    hourlyUsd: 1.515,
    benchmark: BENCHMARK,
    ...overrides,
  };
}

/** Two deployments: a variant endpoint on a schedule, an inference-component endpoint without one. */
export const FLEET: PipelineFleet = {
  name: 'test-fleet',
  deployments: [
    deployment('llama-2-7b-g5-2xlarge'),
    deployment('llama-2-7b-p4d-ic', {
      endpointName: 'llm-bench-llama-2-7b-p4d-ic',
      inferenceComponentName: 'llama-2-7b-p4d-ic-tp1',
      instanceType: { name: 'ml.p4d.24xlarge' },
      copies: 8,
      hourlyUsd: 37.688,
      benchmark: { ...BENCHMARK, concurrency: 'auto', schedule: 'off' },
    }),
  ],
};
