import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DeploymentInput, ExecutionState } from '../../lib/benchmark/pipeline-state';
import { createMergeLevelHandler } from '../../loadtest/handlers/merge-level';
import { createRunWorkerHandler, workerWindowCapS } from '../../loadtest/handlers/run-worker';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import { createPayloadSource } from '../../loadtest/payload';
import { decideNext } from '../../loadtest/pipeline/decide-next';
import { LocalFolderStore } from '../../loadtest/pipeline/local-store';
import { runSweep } from '../../loadtest/sweep/run-sweep';
import { createSageMakerRuntimeClient, createSageMakerTarget } from '../../loadtest/targets/sagemaker';
import { DEPLOYMENT } from './records-fixture';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

/**
 * The window rule (lib/results/level-window.ts) applied by the CLI sweep and by a Lambda worker
 * through the same runner, against the same time-compressed endpoint twin: c=1, 64 + 64 tokens at
 * speedup 10 take ≈ 210 ms of wall time, the window asked is 1.5 s of endpoint time (150 ms of wall
 * time), so its 4× cap is 600 ms. Without the rule the stream sends 1 request (it returns after the
 * window); with 2 per slot, 2; with 10 per slot the window is cut at its cap after 3.
 */
const SPEEDUP = 10;
const DURATION_S = 1.5;

let endpoint: LocalEndpoint;
beforeAll(async () => {
  endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', endpointName: 'ep', speedup: SPEEDUP });
});
afterAll(() => endpoint.close());

async function cliRequests(minCompletionsPerSlot: number): Promise<number> {
  const target = createSageMakerTarget({ endpointName: 'ep', stream: false, endpointUrl: endpoint.url, region: 'us-east-1', maxSockets: 2 });
  try {
    const sweep = await runSweep({
      target,
      payload: createPayloadSource({ inputTokens: 64, outputTokens: 64, seed: 1001 }),
      levels: [1],
      outDir: mkdtempSync(path.join(tmpdir(), 'min-completions-cli-')),
      durationS: DURATION_S,
      speedup: SPEEDUP,
      minCompletionsPerSlot,
      stopRules: { invocationTimeoutMs: 60_000, maxErrorRate: 1, plateauGain: 0 },
      label: 'cli',
    });
    return sweep.levels[0].requests;
  } finally {
    await target.close();
  }
}

async function pipelineLevel(minCompletionsPerSlot: number, remainingMs?: number) {
  const deployment: DeploymentInput = {
    ...DEPLOYMENT,
    endpointName: 'ep',
    benchmark: { ...DEPLOYMENT.benchmark, concurrency: [1], workers: 1, durationS: DURATION_S, inputTokens: 64, outputTokens: 64, stream: false, minCompletionsPerSlot },
  };
  const store = new LocalFolderStore(mkdtempSync(path.join(tmpdir(), 'min-completions-pipeline-')));
  const runtimeClient = createSageMakerRuntimeClient({ maxSockets: 2, endpointUrl: endpoint.url, region: 'us-east-1' });
  const deps = { store, logger, speedup: SPEEDUP, now: () => new Date(), runtimeClient };
  try {
    const sweep = decideNext({ deployment, runId: 'r', measured: [], nowEpochMs: Date.now(), startLeadMs: 0 });
    const context = remainingMs !== undefined ? { getRemainingTimeInMillis: () => remainingMs } : undefined;
    await createRunWorkerHandler(deps)(sweep.workers[0], context);
    const state: ExecutionState = { deploymentId: deployment.id, deployment, sweep };
    return await createMergeLevelHandler(deps)(state);
  } finally {
    runtimeClient.destroy();
  }
}

describe('minimum completions per slot: one rule for the CLI sweep and the Lambda workers', () => {
  it.each([
    [0, 1],
    [2, 2],
  ])('min %i per slot: the CLI and the pipeline both measure %i request(s)', async (min, expected) => {
    expect(await cliRequests(min)).toBe(expected);
    const merged = await pipelineLevel(min);
    expect(merged.requests).toBe(expected);
    if (min > 0) expect(merged.completions).toEqual({ completionsPerSlot: expected, minCompletionsPerSlot: min, met: true });
    else expect(merged.completions).toBeUndefined();
  });

  it('a window cut at its 4× cap: both stop short of the minimum, and the merge judges it so', async () => {
    // Sends at ≈ 0, 210 and 420 ms; at ≈ 630 ms the 600 ms cap is over (3; 4 if a request took under 200 ms).
    const cli = await cliRequests(10);
    const merged = await pipelineLevel(10);
    for (const requests of [cli, merged.requests]) {
      expect(requests).toBeGreaterThanOrEqual(3);
      expect(requests).toBeLessThanOrEqual(4);
    }
    expect(merged.completions).toEqual({ completionsPerSlot: merged.requests, minCompletionsPerSlot: 10, met: false });
  });

  it("a Lambda worker's remaining time cuts the extension first: 300 ms of window left instead of 600", async () => {
    const drainMs = (DEPLOYMENT.benchmark.timeoutS * 1000) / SPEEDUP;
    const remainingMs = drainMs + 15_000 + 300;
    const item = decideNext({ deployment: { ...DEPLOYMENT, benchmark: { ...DEPLOYMENT.benchmark, concurrency: [1] } }, runId: 'r', measured: [], nowEpochMs: 0, startLeadMs: 0 }).workers[0];
    expect(workerWindowCapS(item, { getRemainingTimeInMillis: () => remainingMs }, 0, SPEEDUP)).toBeCloseTo(0.3, 9);
    expect(workerWindowCapS(item, undefined, 0, SPEEDUP)).toBeUndefined();
    // Sends at ≈ 0 and 210 ms; at ≈ 420 ms the capped window (300 ms) is over.
    expect((await pipelineLevel(10, remainingMs)).requests).toBe(2);
  });
});
