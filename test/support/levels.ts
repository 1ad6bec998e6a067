import { LEVEL_RESULT_VERSION, type Distribution, type ErrorKind, type LevelResult } from '../../lib/results/records';

const dist = (value: number): Distribution => ({ mean: value, p50: value, p90: value, p99: value, min: value, max: value });

/** A LevelResult with the figures a stop rule looks at. */
export function level(
  concurrency: number,
  throughputTokensPerS: number,
  extra: { msPerToken?: number; errors?: Partial<Record<ErrorKind, number>>; requests?: number; maxE2eMs?: number } = {},
): LevelResult {
  const requests = extra.requests ?? 100;
  const errors = extra.errors ?? {};
  const failed = Object.values(errors).reduce((sum, n) => sum + (n ?? 0), 0);
  return {
    schemaVersion: LEVEL_RESULT_VERSION,
    concurrency,
    requests,
    ok: requests - failed,
    errors,
    retries: 0,
    durationS: 10,
    requestsPerS: requests / 10,
    outputTokens: throughputTokensPerS * 10,
    throughputTokensPerS,
    latencyMsPerToken: dist(extra.msPerToken ?? 20),
    e2eMs: { ...dist(1000), max: extra.maxE2eMs ?? 1000 },
    timeouts: errors.timeout ?? 0,
  };
}
