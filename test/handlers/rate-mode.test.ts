import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { createMergeLevelHandler } from '../../loadtest/handlers/merge-level';
import { createRunWorkerHandler } from '../../loadtest/handlers/run-worker';
import { startLocalEndpoint } from '../../loadtest/local';
import { levelKey } from '../../loadtest/pipeline/layout';
import { LocalFolderStore } from '../../loadtest/pipeline/local-store';
import { decideNext } from '../../loadtest/pipeline/decide-next';
import { BenchmarkSchema } from '../../lib/fleet/schema';
import { benchmarkInputOf } from '../../lib/benchmark/deployment-input';
import type { DeploymentInput, ExecutionState } from '../../lib/benchmark/pipeline-state';
import type { LevelResult } from '../../lib/results/records';
import { createSageMakerRuntimeClient } from '../../loadtest/targets/sagemaker';
import { DEPLOYMENT } from '../pipeline/records-fixture';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

const RATE_DEPLOYMENT: DeploymentInput = {
  ...DEPLOYMENT,
  endpointName: 'ep',
  benchmark: {
    ...DEPLOYMENT.benchmark,
    mode: 'rate',
    rates: [1, 4],
    arrival: 'poisson',
    workers: 2,
    durationS: 60,
    inputTokens: 64,
    outputTokens: 32,
    stream: true,
    slo: { ttftMs: 2000, itlMs: 100 },
    minSloAttainment: 0.9,
  },
};

describe('fleet benchmark mode: rate', () => {
  it('the schema takes the open-loop settings and refuses inconsistent ones naming the field', () => {
    expect(BenchmarkSchema.safeParse({ mode: 'rate', rates: [0.5, 1], arrival: 'gamma', burstiness: 0.5, slo: { ttftMs: 2000 }, minSloAttainment: 0.9 }).success).toBe(true);
    const issues = (input: unknown): string[] => {
      const result = BenchmarkSchema.safeParse(input);
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ mode: 'rate' })).toEqual(['rates: mode rate needs rates (requests/s), e.g. [0.5, 1, 2]']);
    expect(issues({ rates: [1] })).toEqual(['mode: rates, arrival and burstiness apply to mode: rate']);
    expect(issues({ mode: 'rate', rates: [1], burstiness: 2 })).toEqual(['burstiness: applies to arrival: gamma only']);
    expect(issues({ minSloAttainment: 0.5 })).toEqual(['minSloAttainment: needs slo']);
    expect(issues({ slo: { p99: 1 } })).toHaveLength(1);
  });

  it('the state machine carries the settings only when set (closed-loop definitions unchanged)', () => {
    expect(Object.keys(benchmarkInputOf(DEPLOYMENT.benchmark))).not.toContain('mode');
    expect(benchmarkInputOf(RATE_DEPLOYMENT.benchmark)).toMatchObject({ mode: 'rate', rates: [1, 4], arrival: 'poisson', slo: { ttftMs: 2000, itlMs: 100 }, minSloAttainment: 0.9 });
  });

  it('maxConcurrency caps the level: split over the workers like streams (never more workers than the cap), each its share of the rate', () => {
    const plan = (maxConcurrency: number, workers: number) =>
      decideNext({ deployment: { ...RATE_DEPLOYMENT, benchmark: { ...RATE_DEPLOYMENT.benchmark, maxConcurrency, workers } }, runId: 'r', measured: [], nowEpochMs: 0, startLeadMs: 0 }).workers;
    expect(plan(3, 2).map((w) => [w.maxInFlight, w.workerConcurrency, w.ratePerS])).toEqual([
      [2, 2, 0.5],
      [1, 1, 0.5],
    ]);
    expect(plan(1, 4).map((w) => [w.maxInFlight, w.ratePerS, w.workers])).toEqual([[1, 1, 1]]);
    // Length distributions reach open-loop workers as they reach closed-loop ones.
    const drawn = decideNext({
      deployment: { ...RATE_DEPLOYMENT, benchmark: { ...RATE_DEPLOYMENT.benchmark, inputDistribution: 'normal:64,16', tokenLimits: { maxInputTokens: 1024, maxTotalTokens: 2048 } } },
      runId: 'r',
      measured: [],
      nowEpochMs: 0,
      startLeadMs: 0,
    }).workers;
    expect(drawn.map((w) => w.inputDistribution)).toEqual(['normal:64,16', 'normal:64,16']);
    expect(drawn[0].tokenLimits).toEqual({ maxInputTokens: 1024, maxTotalTokens: 2048 });
  });

  it('decide-next plans rate levels and splits each over the workers with their own seeds; workers and merge give the level its rates and goodput', async () => {
    const step = decideNext({ deployment: RATE_DEPLOYMENT, runId: 'r', measured: [], nowEpochMs: Date.now(), startLeadMs: 200 });
    expect(step).toMatchObject({ done: false, concurrency: 1000, workerCount: 2 });
    expect(step.workers.map((w) => [w.ratePerS, w.arrival])).toEqual([
      [0.5, 'poisson'],
      [0.5, 'poisson'],
    ]);
    expect(new Set(step.workers.map((w) => w.seed)).size).toBe(2);

    const endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', endpointName: 'ep', speedup: 50 });
    const runtimeClient = createSageMakerRuntimeClient({ maxSockets: 64, endpointUrl: endpoint.url, region: 'us-east-1' });
    const store = new LocalFolderStore(mkdtempSync(path.join(tmpdir(), 'rate-mode-')));
    const deps = { store, logger, speedup: 50, now: () => new Date(), runtimeClient };
    try {
      await Promise.all(step.workers.map((item) => createRunWorkerHandler(deps)(item)));
      const state: ExecutionState = { deploymentId: RATE_DEPLOYMENT.id, deployment: RATE_DEPLOYMENT, sweep: step };
      await createMergeLevelHandler(deps)(state);
      const level = (await store.getJson<LevelResult>(levelKey(RATE_DEPLOYMENT.id, 'r', 1000)))!;
      expect(level.offeredRatePerS).toBe(1);
      // maxConcurrency (default 512) caps the level's requests in flight, split over its workers; the
      // level's peak is the sum of its workers' peaks, and never above the cap.
      expect(step.workers.map((w) => w.maxInFlight)).toEqual([256, 256]);
      expect(level.openLoop).toMatchObject({ arrival: 'poisson', maxConcurrency: 512, waitedForCap: 0 });
      expect(level.openLoop!.peakInFlight).toBeGreaterThanOrEqual(2);
      expect(level.openLoop!.peakInFlight).toBeLessThanOrEqual(512);
      // The client verdict: each worker's own send lag, event-loop delay and CPU, the worst of each.
      expect(level.client).toBeDefined();
      expect(level.client!.verdict).toMatch(/^(ok|client-bound)$/);
      // Two seeded Poisson streams of 0.5/s over 60 s: about 60 arrivals.
      expect(level.requests).toBeGreaterThan(40);
      expect(level.requests).toBeLessThan(85);
      expect(level.achievedRatePerS).toBeGreaterThan(0.7);
      expect(level.achievedRatePerS).toBeLessThan(1.35);
      // At speedup 50, ttft=2000 is 40 ms of wall time: how many requests meet it depends on the machine's
      // load. Goodput is the met share of the level, whatever it is.
      const { goodput } = level;
      expect(goodput!.attainment).toBeGreaterThanOrEqual(0);
      expect(goodput!.attainment).toBeLessThanOrEqual(1);
      expect(goodput!.requestsPerS).toBeCloseTo(goodput!.attainment * level.requestsPerS, 9);
      expect(goodput!.tokensPerS).toBeLessThanOrEqual(level.throughputTokensPerS);
      expect(level.itlMs).toBeDefined();
      // The attainment rule judges the level: a met one goes on to the next rate, an unmet one stops the sweep.
      // (Judged as a server-bound level: on a busy test machine the client may be judged client-bound, and
      // stop rules take no evidence from such a level.)
      const { client: _client, ...judged } = level;
      const met = { ...judged, goodput: { ...level.goodput!, attainment: 1 } };
      const next = decideNext({ deployment: RATE_DEPLOYMENT, runId: 'r', measured: [met], nowEpochMs: Date.now(), startLeadMs: 0 });
      expect(next).toMatchObject({ done: false, concurrency: 4000 });
      const unmet = { ...judged, goodput: { ...level.goodput!, attainment: 0.5 } };
      expect(decideNext({ deployment: RATE_DEPLOYMENT, runId: 'r', measured: [unmet], nowEpochMs: Date.now(), startLeadMs: 0 })).toMatchObject({
        done: true,
        stopReason: { rule: 'slo-attainment', detail: 'SLO attainment 50.0 % < 90.0 % at 1 requests/s' },
      });
    } finally {
      runtimeClient.destroy();
      await endpoint.close();
    }
  });
});
