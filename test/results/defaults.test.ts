import { DEFAULT_BENCHMARK } from '../../lib/fleet/benchmark-defaults';
import {
  DEFAULT_AUTOSCALING_TARGET,
  DEFAULT_LATENCY_BOUND_MS_PER_TOKEN,
  DEFAULT_LEVEL_DURATION_S,
  DEFAULT_MAX_ERROR_RATE,
  DEFAULT_PLATEAU_GAIN,
  SAGEMAKER_INVOCATION_TIMEOUT_MS,
  SAGEMAKER_INVOCATION_TIMEOUT_S,
} from '../../lib/results/defaults';
import { DEFAULT_KNEE_PARAMS } from '../../lib/results/knee';
import { defaultScenarioTo } from '../../lib/results/scenario-schedule';
import { resolveLocalDeployment } from '../../loadtest/local/deployment';
import { DEFAULT_STOP_RULES } from '../../loadtest/sweep/stop-rules';
import { DEFAULT_TIMEOUT_MS } from '../../loadtest/targets';

describe('measurement defaults', () => {
  it('pins the SageMaker real-time invocation limit (InvokeEndpoint API reference: respond within 60 seconds)', () => {
    expect(SAGEMAKER_INVOCATION_TIMEOUT_S).toBe(60);
    expect(SAGEMAKER_INVOCATION_TIMEOUT_MS).toBe(60_000);
  });

  it('pins the error allowance, plateau gain and latency bound', () => {
    expect(DEFAULT_MAX_ERROR_RATE).toBe(0.01);
    expect(DEFAULT_PLATEAU_GAIN).toBe(0.05);
    expect(DEFAULT_LEVEL_DURATION_S).toBe(60);
    expect(DEFAULT_LATENCY_BOUND_MS_PER_TOKEN).toBe(100);
  });

  it('is what the fleet, the stop rules, the knee, the targets and the local endpoint default to', () => {
    expect(DEFAULT_BENCHMARK).toMatchObject({
      timeoutS: SAGEMAKER_INVOCATION_TIMEOUT_S,
      durationS: DEFAULT_LEVEL_DURATION_S,
      maxErrorRate: DEFAULT_MAX_ERROR_RATE,
      plateauGain: DEFAULT_PLATEAU_GAIN,
      latencyBoundMsPerToken: DEFAULT_LATENCY_BOUND_MS_PER_TOKEN,
    });
    expect(DEFAULT_STOP_RULES).toEqual({ invocationTimeoutMs: SAGEMAKER_INVOCATION_TIMEOUT_MS, maxErrorRate: DEFAULT_MAX_ERROR_RATE, plateauGain: DEFAULT_PLATEAU_GAIN });
    expect(DEFAULT_KNEE_PARAMS.latencyBoundMsPerToken).toBe(DEFAULT_LATENCY_BOUND_MS_PER_TOKEN);
    expect(DEFAULT_TIMEOUT_MS).toBe(SAGEMAKER_INVOCATION_TIMEOUT_MS);
    expect(resolveLocalDeployment({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge' }).invocationTimeoutMs).toBe(SAGEMAKER_INVOCATION_TIMEOUT_MS);
  });

  it('sizes a scenario without `to` from the fleet\'s default concurrency target when the policy scales on another metric', () => {
    expect(DEFAULT_AUTOSCALING_TARGET).toEqual({ 'concurrent-requests': 16, invocations: 60 });
    // Half of 8 copies at 16 requests in flight each; at the policy's own concurrency target when it has one.
    expect(defaultScenarioTo('ramp', { maxCapacity: 8 })).toBe(64);
    expect(defaultScenarioTo('ramp', { maxCapacity: 8, concurrencyPerCopy: 10 })).toBe(40);
    expect(defaultScenarioTo('scale-from-zero', { maxCapacity: 8 })).toBe(2 * DEFAULT_AUTOSCALING_TARGET['concurrent-requests']);
  });
});
