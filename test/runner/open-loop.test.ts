import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPayloadSource } from '../../loadtest/payload';
import { arrivalGaps, gammaVariate } from '../../loadtest/runner/arrivals';
import { runLevel } from '../../loadtest/runner/run-level';
import { runOpenLoop } from '../../loadtest/runner/run-open-loop';
import { createTarget, parseTargetSpec } from '../../loadtest/targets';
import { mulberry32 } from '../../lib/planner/engine/prng';
import { startCpuBurner } from '../support/cpu-burner';
import { startFaultServer } from '../support/fault-server';

const payload = createPayloadSource({ inputTokens: 16, outputTokens: 4 });

function stats(values: readonly number[]): { mean: number; cv: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, cv: Math.sqrt(variance) / mean };
}

describe('arrival processes', () => {
  const draw = (next: () => number, n: number): number[] => Array.from({ length: n }, next);

  it('have the mean gap 1000 / rate and the spread of their process (CV: constant 0, Poisson 1, gamma 1/√k)', () => {
    expect(draw(arrivalGaps({ ratePerS: 4, process: 'constant' }), 10)).toEqual(Array(10).fill(250));
    const poisson = stats(draw(arrivalGaps({ ratePerS: 4, process: 'poisson', seed: 3 }), 40_000));
    expect(poisson.mean).toBeGreaterThan(250 * 0.98);
    expect(poisson.mean).toBeLessThan(250 * 1.02);
    expect(poisson.cv).toBeGreaterThan(0.97);
    expect(poisson.cv).toBeLessThan(1.03);
    for (const k of [0.25, 4]) {
      const gamma = stats(draw(arrivalGaps({ ratePerS: 4, process: 'gamma', burstiness: k, seed: 5 }), 40_000));
      expect(Math.abs(gamma.mean / 250 - 1)).toBeLessThan(0.03);
      expect(Math.abs(gamma.cv / (1 / Math.sqrt(k)) - 1)).toBeLessThan(0.05);
    }
  });

  it('are seeded: the same seed gives the same gaps, another seed others', () => {
    const a = draw(arrivalGaps({ ratePerS: 2, process: 'gamma', burstiness: 0.5, seed: 7 }), 50);
    expect(draw(arrivalGaps({ ratePerS: 2, process: 'gamma', burstiness: 0.5, seed: 7 }), 50)).toEqual(a);
    expect(draw(arrivalGaps({ ratePerS: 2, process: 'gamma', burstiness: 0.5, seed: 8 }), 50)).not.toEqual(a);
    expect(gammaVariate(1, mulberry32(1))).toBeGreaterThan(0);
  });

  it.each([
    [{ ratePerS: 0, process: 'poisson' as const }, /^ratePerS: 0 must be a number of requests\/s > 0/],
    [{ ratePerS: 1, process: 'uniform' as never }, /^arrival: 'uniform' is not one of poisson, gamma, constant/],
    [{ ratePerS: 1, process: 'gamma' as const, burstiness: -1 }, /^burstiness: -1 must be a gamma shape > 0/],
    [{ ratePerS: 1, process: 'poisson' as const, burstiness: 2 }, /^burstiness: applies to arrival 'gamma' only/],
  ])('refuses bad input naming the field (%j)', (opts, message) => {
    expect(() => arrivalGaps(opts)).toThrow(message);
  });
});

describe('runOpenLoop (against loopback servers)', () => {
  it('sends at the offered rate whatever the server does, records intended and actual send times', async () => {
    // A server slower than the gaps: a closed loop of 1 would send 1 / 0.08 s; the open loop keeps 100/s.
    const server = await startFaultServer({ delayMs: 80 });
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 64 });
    try {
      const { records, level } = await runOpenLoop({ target, payload, ratePerS: 100, arrival: 'constant', levelKey: 100_000, requests: 60 });
      expect(records).toHaveLength(60);
      expect(level.offeredRatePerS).toBe(100);
      expect(Math.abs(level.achievedRatePerS! / 100 - 1)).toBeLessThan(0.1);
      expect(level.openLoop).toMatchObject({ arrival: 'constant', waitedForCap: 0 });
      expect(level.openLoop!.peakInFlight).toBeGreaterThanOrEqual(5);
      const sorted = [...records].sort((a, b) => a.seq - b.seq);
      // Intended sends 10 ms apart; the actual send is never before the intended one.
      for (let i = 1; i < sorted.length; i++) expect(sorted[i].scheduledMs - sorted[i - 1].scheduledMs).toBeCloseTo(10, 6);
      for (const r of records) expect(r.sentMs).toBeGreaterThanOrEqual(r.scheduledMs);
      expect(level.client).toBeDefined();
    } finally {
      await target.close();
      await server.close();
    }
  });

  it('with a concurrency cap, arrivals over it wait in order, are counted, and their wait is not send lag', async () => {
    const server = await startFaultServer({ delayMs: 60 });
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 8 });
    try {
      const { records, level } = await runOpenLoop({ target, payload, ratePerS: 200, arrival: 'constant', maxConcurrency: 2, levelKey: 200_000, requests: 20 });
      expect(server.maxInFlight).toBe(2);
      expect(level.requests).toBe(20);
      expect(level.openLoop).toMatchObject({ maxConcurrency: 2, peakInFlight: 2 });
      expect(level.openLoop!.waitedForCap).toBe(records.filter((r) => (r.capWaitMs ?? 0) > 0).length);
      expect(level.openLoop!.waitedForCap).toBeGreaterThanOrEqual(15);
      // The queue builds up: the last arrival waits longest; its send lag beyond the wait stays small.
      const last = records.reduce((a, b) => (a.seq > b.seq ? a : b));
      expect(last.capWaitMs!).toBeGreaterThan(200);
      expect(last.sentMs - last.scheduledMs - last.capWaitMs!).toBeLessThan(20);
      expect(level.clientQueueMs!.max).toBeGreaterThan(200);
    } finally {
      await target.close();
      await server.close();
    }
  });
});

/** A TGI /generate_stream server writing `perRead` token events per write, `gapMs` apart; the last event carries details. */
async function chunkedServer(tokens: number, perRead: number, gapMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let i = 0;
      const write = (): void => {
        let batch = '';
        for (let j = 0; j < perRead && i < tokens; j++, i++) {
          const details = i === tokens - 1 ? `{"finish_reason":"length","generated_tokens":${tokens}}` : 'null';
          batch += `data:{"index":${i + 1},"token":{"id":${i},"text":" t","logprob":0,"special":false},"generated_text":null,"details":${details}}\n\n`;
        }
        if (i < tokens) {
          res.write(batch);
          setTimeout(write, gapMs);
        } else res.end(batch);
      };
      write();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('multi-token reads', () => {
  it('a server sending 3-token chunks gives 3 gaps per chunk after the first, each a third of the chunk gap', async () => {
    const server = await chunkedServer(12, 3, 30);
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 2, stream: true });
    try {
      const { records, level } = await runLevel({ target, payload, concurrency: 2, requests: 6 });
      for (const r of records) {
        expect(r.outputTokens).toBe(12);
        expect(r.chunkTokens).toEqual([3, 3, 3, 3]);
        expect(r.interChunkGapsMs).toHaveLength(3);
      }
      // 6 requests × 9 gaps; each gap ≈ 30 / 3 ms (timers run late on a loaded machine, never early).
      expect(level.itlMs).toBeDefined();
      expect(level.itlMs!.p50).toBeGreaterThanOrEqual(9);
      expect(level.itlMs!.p50).toBeLessThan(20);
      const gaps = records.flatMap((r) => r.interChunkGapsMs!.flatMap((g) => [g / 3, g / 3, g / 3]));
      expect(gaps).toHaveLength(54);
      expect(level.itlMs!.mean).toBeCloseTo(gaps.reduce((a, b) => a + b, 0) / 54, 9);
      // TPOT per request spreads the same time over 11 tokens.
      expect(level.tpotMs!.p50).toBeLessThan(level.itlMs!.p50);
    } finally {
      await target.close();
      await server.close();
    }
  });
});

describe('client-bound verdict', () => {
  const run = async (starve: boolean) => {
    const server = await startFaultServer({ delayMs: 5 });
    const target = createTarget(parseTargetSpec(`tgi:${server.url}`), { maxSockets: 16 });
    const stopBurner = starve ? startCpuBurner() : undefined;
    try {
      return (await runOpenLoop({ target, payload, ratePerS: 50, arrival: 'poisson', levelKey: 50_000, durationS: 1.5 })).level;
    } finally {
      stopBurner?.();
      await target.close();
      await server.close();
    }
  };

  it('a starved client is client-bound, a normal run ok', async () => {
    const starved = await run(true);
    expect(starved.client?.verdict).toBe('client-bound');
    expect(starved.client!.eventLoopDelayMsP99).toBeGreaterThan(25);
    expect(starved.client!.sendLagMsP99).toBeGreaterThan(25);
    // A shared machine's noise can starve any one run (other processes take the cores): the normal
    // client must be ok in at least one of three runs, and never starved the way the burner starves it.
    const normals: Awaited<ReturnType<typeof run>>[] = [];
    for (let i = 0; i < 3 && !normals.some((l) => l.client?.verdict === 'ok'); i++) normals.push(await run(false));
    const normal = normals[normals.length - 1];
    expect(normal.client).toEqual({ verdict: 'ok', sendLagMsP99: expect.any(Number), eventLoopDelayMsP99: expect.any(Number), cpuPct: expect.any(Number) });
    expect(normal.client!.cpuPct).toBeLessThan(90);
    expect(normal.client!.eventLoopDelayMsP99).toBeLessThan(starved.client!.eventLoopDelayMsP99);
  });
});
