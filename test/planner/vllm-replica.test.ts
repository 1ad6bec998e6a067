import { getInstanceType, getModel } from '../../lib/catalog';
import type { LmiSettings } from '../../lib/catalog/types';
import { defaultStepTimeParams } from '../../lib/planner/calibration/params';
import { resolveLmiSettings } from '../../lib/planner/deployment-shape';
import { BlockPool, blocksFor, kvCacheBlocks } from '../../lib/planner/engine/kv-blocks';
import type { EngineEvent } from '../../lib/planner/engine/types';
import { VLLM_DEFAULTS } from '../../lib/planner/engine/vllm-defaults';
import { VllmReplica, vllmLimits } from '../../lib/planner/engine/vllm-replica';
import { BYTES_PER_GB, kvBytesPerTokenPerShard, runtimeAllowanceBytes, weightsBytesPerShard } from '../../lib/planner/memory';
import { createStepTimer } from '../../lib/planner/step-time';

const model = getModel('llama-3-1-8b');
const instance = getInstanceType('ml.g5.2xlarge');
const layout = { model, instance, tp: 1 };
const baseLmi = resolveLmiSettings(model, instance);

function replica(lmi: Partial<LmiSettings> = {}, numGpuBlocksOverride?: number): VllmReplica {
  return new VllmReplica({
    layout,
    lmi: { ...baseLmi, ...lmi },
    stepTimeParams: defaultStepTimeParams(),
    emitTokenEvents: true,
    ...(numGpuBlocksOverride !== undefined ? { numGpuBlocksOverride } : {}),
  });
}

/** Runs the replica to idle; `onStep` sees it after every internal event. */
function runToIdle(r: VllmReplica, onStep: () => void = () => undefined): EngineEvent[] {
  const events: EngineEvent[] = [];
  while (r.nextEventMs() !== undefined) {
    r.processNext(events);
    onStep();
  }
  return events;
}

describe('a mixed step on the same physics as TGI', () => {
  const timer = createStepTimer(layout, defaultStepTimeParams());
  it('is a decode step without prefill tokens and a prefill pass without decodes', () => {
    expect(timer.mixedStepMs(12, 5000, 0, 0)).toBe(timer.decodeStepMs(12, 5000));
    expect(timer.mixedStepMs(0, 0, 700, 700 * 700)).toBe(timer.prefillPassMs(700, 700 * 700));
  });
  it('costs less than a decode step plus a prefill pass (weights read and fixed costs paid once) and more than either', () => {
    const mixed = timer.mixedStepMs(12, 5000, 700, 700 * 700);
    expect(mixed).toBeLessThan(timer.decodeStepMs(12, 5000) + timer.prefillPassMs(700, 700 * 700));
    expect(mixed).toBeGreaterThan(timer.prefillPassMs(700, 700 * 700));
    expect(mixed).toBeGreaterThan(timer.decodeStepMs(12, 5000));
  });
});

describe('vLLM defaults (sources in vllm-defaults.ts)', () => {
  it('pins the block size, GPU memory fraction and step token budget the replica uses when LMI leaves them unset', () => {
    expect(VLLM_DEFAULTS.blockSizeTokens).toBe(16);
    expect(VLLM_DEFAULTS.gpuMemoryUtilization).toBe(0.92);
    expect(VLLM_DEFAULTS.maxNumBatchedTokens).toBe(2048);
    expect(VLLM_DEFAULTS.enableChunkedPrefill).toBe(true);
    const limits = vllmLimits(baseLmi);
    expect(limits).toMatchObject({ maxNumSeqs: 32, maxNumBatchedTokens: 2048, gpuMemoryUtilization: 0.92, blockSizeTokens: 16, jobQueueSize: 1000, maxModelLen: 8192 });
    // SERVING_JOB_QUEUE_SIZE wins over MAX_CONCURRENT_REQUESTS; LMI's settings override vLLM's defaults.
    expect(vllmLimits({ ...baseLmi, jobQueueSize: 50, maxNumBatchedTokens: 512, gpuMemoryUtilization: 0.8, enableChunkedPrefill: false })).toMatchObject({
      jobQueueSize: 50,
      maxNumBatchedTokens: 512,
      gpuMemoryUtilization: 0.8,
      enableChunkedPrefill: false,
    });
  });
});

describe('paged KV cache, block-granular', () => {
  it('sizes the cache from gpu_memory_utilization: (memory × fraction − weights − runtime) / (16 tokens × KV bytes per token)', () => {
    const free = 24 * BYTES_PER_GB * 0.92 - weightsBytesPerShard(model, 1) - runtimeAllowanceBytes(instance.accelerator);
    const expected = Math.floor(free / (16 * kvBytesPerTokenPerShard(model, 1)));
    expect(kvCacheBlocks(model, instance, 1, 0.92, 16)).toBe(expected);
    // Llama 3.1 8B (16 GB of bf16 weights) on one 24 GB A10G: 128 KiB of KV per token, ≈ 2,400 blocks.
    expect(expected).toBeGreaterThan(2300);
    expect(expected).toBeLessThan(2500);
    expect(kvCacheBlocks(model, instance, 1, 0.8, 16)).toBeLessThan(expected);
    expect(kvCacheBlocks(model, instance, 1, 0.5, 16)).toBe(0);
    expect(replica().pool.totalBlocks).toBe(expected);
  });

  it('counts whole blocks: 16 tokens hold 1 block, 17 tokens 2', () => {
    expect(blocksFor(16, 16)).toBe(1);
    expect(blocksFor(17, 16)).toBe(2);
    const r = replica();
    r.submit({ id: 'a', inputTokens: 17, maxNewTokens: 40 }, 0);
    r.processNext([]);
    expect(r.pool.used).toBe(2);
    r.submit({ id: 'b', inputTokens: 100, maxNewTokens: 40 }, 0);
    // b arrives at the same instant but after a's step started: it waits for the next step.
    r.processNext([]);
    expect(r.pool.used).toBe(2);
    r.processNext([]); // a's prefill ends (first token); b's prefill and a's decode form the next step
    expect(r.pool.used).toBe(2 + blocksFor(100, 16));
    runToIdle(r);
    expect(r.pool.used).toBe(0);
  });

  it('a pool hands out whole allocations or none', () => {
    const pool = new BlockPool(10);
    expect(pool.tryAllocate(7)).toBe(true);
    expect(pool.tryAllocate(4)).toBe(false);
    expect(pool.free).toBe(3);
    pool.release(7);
    expect(() => pool.release(1)).toThrow(/released more blocks than allocated/);
  });

  it('refuses to start when one request of maxModelLen does not fit the blocks (as vLLM does)', () => {
    expect(() => replica({ maxModelLen: 1024 }, 63)).toThrow(/holds 63 blocks of 16 tokens; one request of maxModelLen 1024 needs 64/);
  });
});

describe('preemption by recompute', () => {
  it('when blocks run out the newest running request is preempted, recomputed later, and every request completes with each token once', () => {
    // 24 blocks (384 tokens): two requests of 100 + 150 tokens need 16 blocks each at the end, 32 together.
    const r = replica({ maxModelLen: 256 }, 24);
    r.submit({ id: 'old', inputTokens: 100, maxNewTokens: 150 }, 0);
    r.submit({ id: 'new', inputTokens: 100, maxNewTokens: 150 }, 0);
    let peakUsed = 0;
    const events = runToIdle(r, () => {
      peakUsed = Math.max(peakUsed, r.pool.used);
    });
    expect(r.preemptions()).toBeGreaterThanOrEqual(1);
    expect(peakUsed).toBeLessThanOrEqual(24);
    expect(r.pool.used).toBe(0);
    const done = events.filter((e) => e.type === 'done');
    expect(done.map((e) => e.id)).toEqual(['old', 'new']);
    for (const e of done) if (e.type === 'done') expect(e.generatedTokens).toBe(150);
    for (const id of ['old', 'new']) {
      const indices = events.filter((e) => e.type === 'token' && e.id === id).map((e) => (e.type === 'token' ? e.index : -1));
      expect(indices).toEqual(Array.from({ length: 150 }, (_, i) => i));
    }
    // The preempted request paid a recompute: it ends later than it would have without the preemption.
    const ample = replica({ maxModelLen: 256 });
    ample.submit({ id: 'old', inputTokens: 100, maxNewTokens: 150 }, 0);
    ample.submit({ id: 'new', inputTokens: 100, maxNewTokens: 150 }, 0);
    const unpreempted = runToIdle(ample);
    expect(ample.preemptions()).toBe(0);
    const endOf = (list: EngineEvent[], id: string): number => list.find((e) => e.type === 'done' && e.id === id)?.atMs ?? NaN;
    expect(endOf(events, 'new')).toBeGreaterThan(endOf(unpreempted, 'new'));
  });

  it("a preempted request's stream pauses for its wait and its recompute, then resumes where it stopped", () => {
    const r = replica({ maxModelLen: 256 }, 24);
    r.submit({ id: 'old', inputTokens: 100, maxNewTokens: 150 }, 0);
    r.submit({ id: 'new', inputTokens: 100, maxNewTokens: 150 }, 0);
    const events = runToIdle(r);
    const tokenTimes = events.filter((e) => e.type === 'token' && e.id === 'new').map((e) => e.atMs);
    const gaps = tokenTimes.slice(1).map((t, i) => t - tokenTimes[i]);
    const timer = createStepTimer(layout, defaultStepTimeParams());
    // The largest gap in its stream spans its wait for free blocks and the recompute.
    expect(Math.max(...gaps)).toBeGreaterThan(10 * timer.decodeStepMs(1, 200));
  });
});

describe('admission and the max_num_seqs cap', () => {
  it('refuses prompt + max tokens beyond maxModelLen (too_long) and beyond the job queue (overloaded)', () => {
    const r = replica({ maxModelLen: 1024, jobQueueSize: 2, maxConcurrentRequests: 2 });
    r.submit({ id: 'long', inputTokens: 1000, maxNewTokens: 100 }, 0);
    r.submit({ id: 'a', inputTokens: 10, maxNewTokens: 5 }, 0);
    r.submit({ id: 'b', inputTokens: 10, maxNewTokens: 5 }, 0);
    r.submit({ id: 'c', inputTokens: 10, maxNewTokens: 5 }, 0);
    const events = runToIdle(r);
    const rejected = events.filter((e) => e.type === 'rejected');
    expect(rejected.map((e) => (e.type === 'rejected' ? [e.id, e.reason] : []))).toEqual([
      ['long', 'too_long'],
      ['c', 'overloaded'],
    ]);
    expect(rejected[0].type === 'rejected' && rejected[0].message).toMatch(/maximum context length is 1024 tokens\. However, you requested 1100 tokens/);
    expect(events.filter((e) => e.type === 'done').map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('runs at most max_num_seqs requests; the rest wait', () => {
    const r = replica({ maxRollingBatchSize: 4, maxNumBatchedTokens: 256 });
    for (let i = 0; i < 10; i += 1) r.submit({ id: `r${i}`, inputTokens: 300, maxNewTokens: 20 }, 0);
    let peakRunning = 0;
    let sawWaitingBesideFullBatch = false;
    runToIdle(r, () => {
      peakRunning = Math.max(peakRunning, r.runningBatchSize());
      if (r.runningBatchSize() === 4 && r.waitingCount() > 0) sawWaitingBesideFullBatch = true;
    });
    expect(peakRunning).toBe(4);
    expect(r.peakRunning()).toBe(4);
    expect(sawWaitingBesideFullBatch).toBe(true);
  });

  it('chunks a prompt longer than the step budget: its first token comes after ⌈prompt / budget⌉ steps', () => {
    const r = replica({ maxNumBatchedTokens: 512 });
    r.submit({ id: 'p', inputTokens: 1500, maxNewTokens: 2 }, 0);
    const events = runToIdle(r);
    const timer = createStepTimer(layout, defaultStepTimeParams());
    // Chunks 0-512, 512-1024, 1024-1500; each reads the KV of the chunks before it.
    const chunk = (start: number, end: number): number => timer.mixedStepMs(0, start, end - start, end * end - start * start);
    const firstToken = chunk(0, 512) + chunk(512, 1024) + chunk(1024, 1500);
    const first = events.find((e) => e.type === 'token' && e.index === 0);
    expect(first?.atMs).toBeCloseTo(firstToken, 6);
    // Off, a prompt is prefilled whole in one step (vLLM then requires max_num_batched_tokens ≥ max_model_len).
    const off = replica({ maxNumBatchedTokens: 512, enableChunkedPrefill: false });
    off.submit({ id: 'p', inputTokens: 400, maxNewTokens: 2 }, 0);
    const offFirst = runToIdle(off).find((e) => e.type === 'token' && e.index === 0);
    expect(offFirst?.atMs).toBeCloseTo(chunk(0, 400), 6);
  });
});
