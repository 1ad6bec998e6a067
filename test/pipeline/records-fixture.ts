import { benchmarkInputOf } from '../../lib/benchmark/deployment-input';
import { summarizeLevel } from '../../lib/results/summarize-level';
import { BENCHMARK } from '../benchmark/fixture-fleet';
import type { DeploymentInput } from '../../lib/benchmark/pipeline-state';
import { REQUEST_RECORD_VERSION, type LevelResult, type RequestRecord } from '../../lib/results/records';

/** A successful (or failed) request: sent at `sentMs`, `e2eMs` long, `tokens` generated. */
export function requestRecord(opts: { concurrency: number; worker?: number; seq?: number; sentMs: number; e2eMs: number; tokens?: number; error?: RequestRecord['error'] }): RequestRecord {
  return {
    schemaVersion: REQUEST_RECORD_VERSION,
    concurrency: opts.concurrency,
    worker: opts.worker ?? 0,
    seq: opts.seq ?? 0,
    clockOriginMs: 1_700_000_000_000,
    scheduledMs: opts.sentMs,
    sentMs: opts.sentMs,
    endMs: opts.sentMs + opts.e2eMs,
    inputTokens: 256,
    outputTokens: opts.error ? 0 : (opts.tokens ?? 100),
    ...(opts.error ? { error: opts.error } : {}),
  };
}

/** A level whose c requests each took `msPerToken` × 100 tokens; `timeouts` of them timed out. */
export function level(concurrency: number, msPerToken: number, timeouts = 0): LevelResult {
  const records: RequestRecord[] = [];
  for (let i = 0; i < concurrency * 2; i++) {
    records.push(requestRecord({ concurrency, worker: i % concurrency, seq: i, sentMs: i * 10, e2eMs: msPerToken * 100, error: i < timeouts ? 'timeout' : undefined }));
  }
  return summarizeLevel(records, { concurrency });
}

export const DEPLOYMENT: DeploymentInput = {
  id: 'llama-2-7b-g5-2xlarge',
  endpointName: 'published-study-llama-2-7b-g5-2xlarge',
  model: 'llama-2-7b',
  instanceType: 'ml.g5.2xlarge',
  instances: 1,
  tp: 1,
  copies: 1,
  hourlyUsd: 1.515,
  // The construct tests' settings minus the schedule (the state machine never carries it).
  benchmark: { ...benchmarkInputOf(BENCHMARK), concurrency: [1, 2, 4, 8] },
};
