import { getInstanceType, getModel } from '../../lib/catalog';
import { lmiRequestLimits, resolveLmiSettings } from '../../lib/planner/deployment-shape';
import { simulateClosedLoop } from '../../lib/planner/engine/closed-loop';
import { createEndpointEngine, type EndpointEngine } from '../../lib/planner/engine/endpoint';
import type { EngineKind, ServingEngine } from '../../lib/planner/engine/types';
import { planWithCurve } from '../../lib/planner/plan-curve';

/**
 * `plan --engine tgi` and `plan --engine lmi` on the same model, instance and request limits: the
 * schedulers differ (TGI: a prefill pass pauses decoding, its router batches arrivals; vLLM: chunked
 * prefill mixed into decode steps, max_num_seqs running), the step-time physics do not.
 */

const model = getModel('llama-3-1-8b');
const instance = getInstanceType('ml.g5.2xlarge');
const lmi = { ...resolveLmiSettings(model, instance), maxRollingBatchSize: 64 };

function engineOf(engine: EngineKind, lmiOverrides: Partial<typeof lmi> = {}): EndpointEngine {
  const settings = { ...lmi, ...lmiOverrides };
  // The same request limits for both; TGI admits as many requests as LMI's job queue.
  const tgi = { ...lmiRequestLimits(settings), maxConcurrentRequests: settings.maxConcurrentRequests };
  return createEndpointEngine({ model, instance, tp: 1, copies: 1, instances: 1, tgi, engine, lmi: settings });
}

const p99 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(0.99 * (values.length - 1))];

/** Open-loop mixed load for 60 s of virtual time: a request every 800 ms, every 10th a 4,000-token prompt, the rest 200-token prompts. */
function mixedLoadTtfts(engine: EndpointEngine): { short: number[]; long: number[]; completed: number } {
  const sent = new Map<string, { atMs: number; long: boolean }>();
  for (let n = 0, t = 0; t < 60_000; n += 1, t += 800) {
    const long = n % 10 === 5;
    sent.set(`r${n}`, { atMs: t, long });
    engine.submit({ id: `r${n}`, inputTokens: long ? 4000 : 200, maxNewTokens: long ? 32 : 128 }, t);
  }
  const short: number[] = [];
  const longTtfts: number[] = [];
  let completed = 0;
  for (const event of engine.advanceTo(10_000_000)) {
    if (event.type !== 'done' || event.firstTokenAtMs === undefined) continue;
    const request = sent.get(event.id);
    if (request === undefined) continue;
    completed += 1;
    (request.long ? longTtfts : short).push(event.firstTokenAtMs - request.atMs);
  }
  return { short, long: longTtfts, completed };
}

describe('TGI vs vLLM scheduling on the same hardware', () => {
  it('chunked prefill lowers TTFT p99 under mixed load (long and short prompts): no prefill pass pauses the batch', () => {
    const tgi = mixedLoadTtfts(engineOf('tgi'));
    const vllm = mixedLoadTtfts(engineOf('lmi'));
    expect(tgi.completed).toBe(75);
    expect(vllm.completed).toBe(75);
    const all = (r: typeof tgi): number[] => [...r.short, ...r.long];
    // Simulated: TGI ≈ 2.99 s, vLLM ≈ 1.93 s over all requests; short prompts: TGI ≈ 2.99 s, vLLM ≈ 1.28 s.
    expect(p99(all(vllm))).toBeLessThan(0.75 * p99(all(tgi)));
    expect(p99(vllm.short)).toBeLessThan(0.6 * p99(tgi.short));
    // A lone request is prefilled in one pass of the same physics by both: the gain is scheduling, not hardware.
    const lone = (kind: EngineKind): number => {
      const engine = engineOf(kind);
      engine.submit({ id: 'x', inputTokens: 200, maxNewTokens: 8 }, 0);
      const done = engine.advanceTo(1_000_000).find((e) => e.type === 'done');
      return done?.type === 'done' ? (done.firstTokenAtMs ?? NaN) : NaN;
    };
    expect(lone('lmi')).toBeCloseTo(lone('tgi'), 6);
  });

  it('max_num_seqs caps the running requests: beyond it requests queue (closed loop of 32 workers, cap 8)', () => {
    const engine = engineOf('lmi', { maxRollingBatchSize: 8 });
    let peakRunning = 0;
    let peakInFlight = 0;
    const observed: ServingEngine = {
      get nowMs() {
        return engine.nowMs;
      },
      submit: (request, atMs) => engine.submit(request, atMs),
      cancel: (id, atMs) => engine.cancel(id, atMs),
      nextEventMs: () => engine.nextEventMs(),
      inFlight: () => engine.inFlight(),
      advanceTo: (atMs) => {
        const events = engine.advanceTo(atMs);
        peakRunning = Math.max(peakRunning, ...engine.runningBatchByReplica());
        peakInFlight = Math.max(peakInFlight, engine.inFlight());
        return events;
      },
    };
    const result = simulateClosedLoop(observed, { concurrency: 32, inputTokens: 512, outputTokens: 64, warmupCompletions: 32, measuredCompletions: 64 });
    expect(result.requests.every((r) => r.outcome === 'ok')).toBe(true);
    expect(peakRunning).toBe(8);
    expect(peakInFlight).toBe(32);
  });

  it('plan --engine lmi: throughput flattens at max_num_seqs while TGI keeps batching; TTFT grows with the queue', () => {
    const request = { model, instance, inputTokens: 512, outputTokens: 64, concurrency: [8, 16, 32] };
    const vllm = planWithCurve({ ...request, engine: 'lmi', lmi: { maxRollingBatchSize: 8 } });
    const tgi = planWithCurve({ ...request, engine: 'tgi' });
    expect(vllm.engine).toBe('lmi');
    expect(vllm.vllm).toMatchObject({ maxNumSeqs: 8, maxNumBatchedTokens: 2048, blockSizeTokens: 16 });
    expect(tgi.engine).toBe('tgi');
    const tokensPerS = (plan: typeof vllm): number[] => (plan.curve ?? []).map((l) => l.throughputTokensPerS);
    const [v8, v16, v32] = tokensPerS(vllm);
    const [t8, , t32] = tokensPerS(tgi);
    expect(v16 / v8).toBeGreaterThan(0.9);
    expect(v16 / v8).toBeLessThan(1.1);
    expect(v32 / v8).toBeLessThan(1.1);
    expect(t32 / t8).toBeGreaterThan(1.5);
    const ttft = (plan: typeof vllm): number[] => (plan.curve ?? []).map((l) => l.ttftMsP50);
    // Simulated: c = 8, 16, 32 → LMI 123, 121, 120 tokens/s and TTFT p50 0.28, 4.7, 13.2 s; TGI 106, 156, 190 tokens/s.
    // Four workers per running seat at c = 32: each request waits about three others' service times.
    expect(ttft(vllm)[2]).toBeGreaterThan(5 * ttft(vllm)[0]);
  });

  it('plan defaults to the model JumpStart serves with its engine: LMI for Llama 3.1, TGI for Llama 2', () => {
    const payload = { inputTokens: 256, outputTokens: 64 };
    expect(planWithCurve({ model, instance, ...payload }).engine).toBe('lmi');
    expect(planWithCurve({ model: 'llama-2-7b', instance, ...payload }).engine).toBe('tgi');
  });
});
