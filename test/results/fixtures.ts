import { LEVEL_RESULT_VERSION, REQUEST_RECORD_VERSION, type LevelResult, type RequestRecord } from '../../lib/results/records';

/** A successful request record; times in ms on the given clock origin. */
export function record(partial: Partial<RequestRecord> & Pick<RequestRecord, 'sentMs' | 'endMs'>): RequestRecord {
  return {
    schemaVersion: REQUEST_RECORD_VERSION,
    concurrency: 1,
    worker: 0,
    seq: 0,
    clockOriginMs: 1_000_000,
    scheduledMs: partial.sentMs,
    inputTokens: 256,
    outputTokens: 100,
    ...partial,
  };
}

/** A level with the given throughput and ms/token (mean = p50), all requests ok. */
export function level(concurrency: number, tokensPerS: number, msPerToken: number, extra: Partial<LevelResult> = {}): LevelResult {
  const d = { mean: msPerToken, p50: msPerToken, p90: msPerToken, p99: msPerToken, min: msPerToken, max: msPerToken };
  const e2e = { mean: msPerToken * 256, p50: msPerToken * 256, p90: msPerToken * 256, p99: msPerToken * 256, min: msPerToken * 256, max: msPerToken * 256 };
  return {
    schemaVersion: LEVEL_RESULT_VERSION,
    concurrency,
    requests: 100,
    ok: 100,
    errors: {},
    retries: 0,
    durationS: 60,
    requestsPerS: 100 / 60,
    outputTokens: tokensPerS * 60,
    throughputTokensPerS: tokensPerS,
    latencyMsPerToken: d,
    e2eMs: e2e,
    timeouts: 0,
    ...extra,
  };
}

/** Published llama-2-7b on ml.g5.2xlarge, 256 in + 256 out (shared/calibration/llama-2-7b-published.json). */
export const G5_2XLARGE_CONCURRENCY = [1, 2, 4, 8, 16, 32, 64];
export const G5_2XLARGE_THROUGHPUT = [30, 54, 115, 208, 343, 475, 486];
export const G5_2XLARGE_LATENCY = [33, 33, 35, 39, 48, 97, 159];

export function g5Levels(): LevelResult[] {
  return G5_2XLARGE_CONCURRENCY.map((c, i) => level(c, G5_2XLARGE_THROUGHPUT[i], G5_2XLARGE_LATENCY[i]));
}
