import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createDecideNextHandler } from '../../loadtest/handlers/decide-next';
import { createDescribeEndpointHandler } from '../../loadtest/handlers/describe-endpoint';
import { createMergeLevelHandler } from '../../loadtest/handlers/merge-level';
import { createPlanLevelsHandler } from '../../loadtest/handlers/plan-levels';
import { createReportHandler, messageOf } from '../../loadtest/handlers/report';
import { createRunWorkerHandler } from '../../loadtest/handlers/run-worker';
import { startLocalEndpoint, type LocalEndpoint } from '../../loadtest/local';
import { levelKey, recordsKey, runManifestKey } from '../../loadtest/pipeline/layout';
import { LocalFolderStore } from '../../loadtest/pipeline/local-store';
import { ensureRunManifest } from '../../loadtest/pipeline/run-manifest';
import { decodeJsonl, encodeJsonl } from '../../loadtest/records/jsonl';
import type { DeploymentInput, ExecutionState, WorkerItem } from '../../lib/benchmark/pipeline-state';
import type { SweepResult } from '../../lib/results/records';
import { createSageMakerRuntimeClient } from '../../loadtest/targets/sagemaker';
import { DEPLOYMENT, level, requestRecord } from '../pipeline/records-fixture';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const NOW = new Date('2026-11-27T04:00:00Z');

function tmpStore(): LocalFolderStore {
  return new LocalFolderStore(mkdtempSync(path.join(tmpdir(), 'llm-bench-handlers-')));
}

function common(store = tmpStore(), speedup = 1) {
  return { store, logger, speedup, now: () => NOW };
}

function state(deployment: DeploymentInput = DEPLOYMENT, extra: Partial<ExecutionState> = {}): ExecutionState {
  return { deploymentId: deployment.id, deployment, ...extra };
}

describe('describe-endpoint (real SageMakerClient → local control plane)', () => {
  let endpoint: LocalEndpoint;
  let sagemaker: SageMakerClient;
  beforeAll(async () => {
    endpoint = await startLocalEndpoint({
      model: 'llama-2-7b',
      instance: 'ml.g5.2xlarge',
      endpointName: DEPLOYMENT.endpointName,
      inferenceComponents: ['ic-1'],
      creatingDescribeCalls: 1,
      speedup: 100,
    });
    sagemaker = new SageMakerClient({ endpoint: endpoint.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    sagemaker.destroy();
    await endpoint.close();
  });

  it('reports Creating, counts polls, then InService', async () => {
    const describe = createDescribeEndpointHandler({ sagemaker, logger, maxAttempts: 10 });
    const first = await describe(state());
    expect(first).toMatchObject({ ready: false, status: 'Creating', attempts: 1 });
    const second = await describe(state(DEPLOYMENT, { endpoint: first }));
    expect(second).toMatchObject({ ready: true, status: 'InService', attempts: 2 });
  });

  it('waits for the inference component too', async () => {
    const describe = createDescribeEndpointHandler({ sagemaker, logger, maxAttempts: 10 });
    const withIc = { ...DEPLOYMENT, inferenceComponentName: 'ic-1' };
    const first = await describe(state(withIc));
    expect(first).toMatchObject({ ready: false, status: 'Creating' }); // the component's first describe
    expect(await describe(state(withIc, { endpoint: first }))).toMatchObject({ ready: true, status: 'InService' });
  });

  it('fails on an unknown endpoint and after too many polls', async () => {
    const describe = createDescribeEndpointHandler({ sagemaker, logger, maxAttempts: 3 });
    await expect(describe(state({ ...DEPLOYMENT, endpointName: 'no-such-endpoint' }))).rejects.toThrow(/no-such-endpoint is Failed/);
    const fresh = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', endpointName: 'slow', creatingDescribeCalls: 100, speedup: 100 });
    const client = new SageMakerClient({ endpoint: fresh.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    const slow = createDescribeEndpointHandler({ sagemaker: client, logger, maxAttempts: 3 });
    const dep = { ...DEPLOYMENT, endpointName: 'slow' };
    await expect(slow(state(dep, { endpoint: { ready: false, status: 'Creating', failed: false, attempts: 2 } }))).rejects.toThrow('not ready after 3 polls');
    client.destroy();
    await fresh.close();
  });
});

describe('plan-levels and decide-next', () => {
  it('starts a run: writes the manifest once, plans the first level with the warm-up', async () => {
    const deps = { ...common(), startLeadMs: 1000 };
    const sweep = await createPlanLevelsHandler(deps)({ state: state(), executionName: 'exec-1' });
    expect(sweep).toMatchObject({ runId: 'exec-1', done: false, concurrency: 1, workerCount: 1, warmup: { phase: 'warmup', requests: 4 } });
    expect(sweep.workers[0].startAtEpochMs).toBe(NOW.getTime() + 1000);
    const manifest = await deps.store.getJson<{ startedAt: string; target: unknown }>(runManifestKey(DEPLOYMENT.id, 'exec-1'));
    expect(manifest).toMatchObject({ startedAt: NOW.toISOString(), target: { kind: 'sagemaker', address: DEPLOYMENT.endpointName } });
  });

  it('an explicit runId resumes after the levels already merged', async () => {
    const deps = { ...common(), startLeadMs: 0 };
    await deps.store.putJson(levelKey(DEPLOYMENT.id, 'r1', 1), level(1, 33));
    await deps.store.putJson(levelKey(DEPLOYMENT.id, 'r1', 2), level(2, 34));
    const planned = await createPlanLevelsHandler(deps)({ state: state(DEPLOYMENT, { runId: 'r1' }), executionName: 'ignored' });
    expect(planned).toMatchObject({ runId: 'r1', measured: [1, 2], concurrency: 4, workerCount: 4 });
    await deps.store.putJson(levelKey(DEPLOYMENT.id, 'r1', 4), level(4, 36, 2));
    const decided = await createDecideNextHandler(deps)(state(DEPLOYMENT, { sweep: planned }));
    expect(decided).toMatchObject({ done: true, stopReason: { rule: 'timeout', detail: '2 of 8 requests hit the 60000 ms deadline at c=4' }, measured: [1, 2, 4] });
  });
});

describe('merge-level', () => {
  it('merges every worker of the level in the state and returns its summary', async () => {
    const deps = common(tmpStore(), 10);
    for (const w of [0, 1]) {
      await deps.store.putBytes(recordsKey('d', 'r', 2, w), encodeJsonl([requestRecord({ concurrency: 2, worker: w, sentMs: 0, e2eMs: 400, tokens: 100 })], { gzip: true }));
    }
    const sweep = { deploymentId: 'd', runId: 'r', done: false, measured: [], concurrency: 2, workers: [{}, {}] as WorkerItem[], workerCount: 2 };
    const summary = await createMergeLevelHandler(deps)(state(DEPLOYMENT, { sweep }));
    // 2 × 100 tokens in 400 ms of a 10× compressed endpoint = 4 s real time.
    expect(summary).toMatchObject({ concurrency: 2, requests: 2, ok: 2, timeouts: 0, throughputTokensPerS: 50, msPerTokenP50: 40 });
  });
});

describe('run-worker (real runtime client → local endpoint)', () => {
  it('runs its slice from the common start and stores raw records under its worker key', async () => {
    const endpoint = await startLocalEndpoint({ model: 'llama-2-7b', instance: 'ml.g5.2xlarge', endpointName: 'ep', speedup: 100 });
    const runtimeClient = createSageMakerRuntimeClient({ maxSockets: 16, endpointUrl: endpoint.url, region: 'us-east-1' });
    const deps = { ...common(tmpStore(), 100), runtimeClient };
    const item: WorkerItem = {
      phase: 'measure', deploymentId: 'd', runId: 'r', endpointName: 'ep', concurrency: 8, worker: 1, workers: 2, workerConcurrency: 4,
      startAtEpochMs: Date.now() + 100, durationS: 20, inputTokens: 64, outputTokens: 32, stream: false, timeoutS: 60, seed: 1,
    };
    try {
      const result = await createRunWorkerHandler(deps)(item);
      expect(result.recordsKey).toBe(recordsKey('d', 'r', 8, 1));
      const records = decodeJsonl((await deps.store.getBytes(result.recordsKey as string)) as Uint8Array);
      expect(records).toHaveLength(result.records);
      expect(result.ok).toBe(result.records);
      expect(new Set(records.map((r) => r.concurrency))).toEqual(new Set([8]));
      expect(new Set(records.map((r) => Math.floor(r.worker / 100000)))).toEqual(new Set([1]));
      expect(records.every((r) => r.outputTokens === 32)).toBe(true);
      const warm = await createRunWorkerHandler(deps)({ ...item, phase: 'warmup', requests: 2, durationS: undefined });
      expect(warm).toEqual({ concurrency: 8, worker: 1, records: 2, ok: 2 });
    } finally {
      runtimeClient.destroy();
      await endpoint.close();
    }
  });
});

describe('report', () => {
  async function seeded(): Promise<ReturnType<typeof common>> {
    const deps = common();
    await ensureRunManifest(deps.store, DEPLOYMENT, 'r', 1, new Date('2026-11-27T03:00:00.000Z'));
    for (const [c, ms] of [[1, 33], [2, 34], [4, 36]]) await deps.store.putJson(levelKey(DEPLOYMENT.id, 'r', c), level(c, ms));
    return deps;
  }

  it('writes every report format to the run and latest/, and publishes EMF per level and per run', async () => {
    const deps = await seeded();
    const emf: unknown[] = [];
    const sweepState = { deploymentId: DEPLOYMENT.id, runId: 'r', done: true, stopReason: { rule: 'completed' as const, detail: 'every listed level measured' }, measured: [1, 2, 4], workers: [], workerCount: 1 };
    const result = await createReportHandler({ ...deps, emfSink: (d) => emf.push(d) })({ state: state(DEPLOYMENT, { sweep: sweepState }) });
    expect(result).toMatchObject({ runId: 'r', levels: 3, stopReason: { rule: 'completed' }, regression: { regressed: false } });
    for (const key of Object.values(result.files)) expect(await deps.store.exists(key)).toBe(true);
    expect(await deps.store.exists(`latest/${DEPLOYMENT.id}/report.html`)).toBe(true);
    expect(emf).toHaveLength(4);
    const first = emf[0] as { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } };
    expect(first._aws.CloudWatchMetrics[0].Namespace).toBe('LlmBench');
    expect(first._aws.CloudWatchMetrics[0].Dimensions[0]).toEqual(expect.arrayContaining(['Deployment', 'Concurrency']));
    expect(first._aws.CloudWatchMetrics[0].Metrics.map((m) => m.Name)).toEqual(
      expect.arrayContaining(['ThroughputTokensPerS', 'MsPerTokenP50', 'MsPerTokenP90', 'Errors', 'UsdPerMillionTokens']),
    );
  });

  it('on the failure path writes a partial report naming the failed step, keeping latest/ as it was', async () => {
    const deps = await seeded();
    const result = await createReportHandler({ ...deps, emfSink: () => undefined })({
      state: state(DEPLOYMENT, { runId: 'r', failedStep: 'RunLevel', error: { Error: 'Error', Cause: JSON.stringify({ errorType: 'Error', errorMessage: 'worker 3 crashed' }) } }),
    });
    expect(result.failure).toEqual({ step: 'RunLevel', message: 'Error: worker 3 crashed' });
    const sweep = await deps.store.getJson<SweepResult>(result.files.json as string);
    expect(sweep?.failure).toEqual({ step: 'RunLevel', message: 'Error: worker 3 crashed' });
    expect(sweep?.levels).toHaveLength(3);
    expect(await deps.store.exists(`latest/${DEPLOYMENT.id}/sweep.json`)).toBe(false);
  });

  it('a failed run after a good one flags no regression and publishes no max throughput', async () => {
    const deps = await seeded();
    const report = createReportHandler({ ...deps, emfSink: () => undefined });
    const sweepState = { deploymentId: DEPLOYMENT.id, runId: 'r', done: true, stopReason: { rule: 'completed' as const, detail: 'every listed level measured' }, measured: [1, 2, 4], workers: [], workerCount: 1 };
    await report({ state: state(DEPLOYMENT, { sweep: sweepState }) });
    // Second run: only c=1 measured (a quarter of the previous maximum), then a worker crashed.
    await deps.store.putJson(runManifestKey(DEPLOYMENT.id, 'r2'), { ...(await deps.store.getJson<object>(runManifestKey(DEPLOYMENT.id, 'r'))), runId: 'r2', startedAt: '2026-11-27T04:00:00.000Z' });
    await deps.store.putJson(levelKey(DEPLOYMENT.id, 'r2', 1), level(1, 33));
    const emf: { _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] } }[] = [];
    const failed = await createReportHandler({ ...deps, emfSink: (d) => emf.push(d as (typeof emf)[number]) })({
      state: state(DEPLOYMENT, { runId: 'r2', failedStep: 'RunLevel', error: { Error: 'Error', Cause: 'crash' } }),
    });
    expect(failed.levels).toBe(1);
    expect(failed.regression).toEqual({ regressed: false, detail: 'not compared: the run failed at RunLevel' });
    const runMetrics = emf[emf.length - 1]._aws.CloudWatchMetrics[0].Metrics.map((m) => m.Name);
    expect(runMetrics).toEqual(['Regressed', 'RegressionPct']);
  });

  it('messageOf reads Lambda error causes and plain causes', () => {
    expect(messageOf({ Error: 'States.Timeout', Cause: 'Task timed out' })).toBe('States.Timeout: Task timed out');
    expect(messageOf(undefined)).toBe('unknown error');
  });
});
