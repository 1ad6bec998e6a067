import { summarizeSweep } from '../../lib/results/summarize-sweep';
import type { SweepResult } from '../../lib/results/records';
import { g5Levels, level } from '../results/fixtures';

/** Published llama-2-7b g5.2xlarge curve, with an illustrative price (test data, not a catalog figure). */
export function g5Sweep(extra: Partial<Parameters<typeof summarizeSweep>[0]> = {}): SweepResult {
  return summarizeSweep({
    label: 'llama-2-7b | g5.2xlarge',
    target: { kind: 'tgi', address: 'http://127.0.0.1:8080', speedup: 20 },
    payload: { inputTokens: 256, outputTokens: 256 },
    deployment: { model: 'llama-2-7b', instanceType: 'ml.g5.2xlarge', tp: 1, instances: 1, hourlyUsd: 1.515 },
    startedAt: '2026-01-01T00:00:00.000Z',
    levels: g5Levels(),
    ...extra,
  });
}

/** Published llama-2-7b g5.12xlarge TP4 figures up to c = 128, c = 128 with timeouts and overloads. */
export function g512Sweep(): SweepResult {
  return summarizeSweep({
    label: 'llama-2-7b g5.12xlarge tp4',
    target: { kind: 'sagemaker', address: 'bench-g5-12xl' },
    payload: { inputTokens: 256, outputTokens: 256 },
    deployment: { model: 'llama-2-7b', instanceType: 'ml.g5.12xlarge', tp: 4, instances: 1, hourlyUsd: 7.09 },
    startedAt: '2026-01-01T00:00:00.000Z',
    stopReason: { rule: 'timeout', detail: '2 of 100 requests hit the 60000 ms deadline at c=128' },
    levels: [
      level(1, 59, 17), level(2, 117, 17), level(4, 223, 18), level(8, 406, 20), level(16, 616, 27),
      level(32, 866, 38), level(64, 1098, 60),
      level(128, 1214, 110, { requests: 100, ok: 90, timeouts: 2, retries: 4, errors: { timeout: 2, overloaded: 8 } }),
    ],
  });
}
