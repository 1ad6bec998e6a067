import { worstClientVerdict, clientVerdict } from '../../lib/results/client-verdict';
import { ExactSum } from '../../lib/results/exact-sum';
import { LevelAccumulator, type EncodedLevelAccumulator } from '../../lib/results/level-accumulator';
import { mulberry32 } from '../../lib/planner/engine/prng';
import { REQUEST_RECORD_VERSION, type ErrorKind, type RequestRecord } from '../../lib/results/records';
import { EXACT_SAMPLE_LIMIT } from '../../lib/results/sketch';
import { poolLevelAccumulators, poolLevelRuns, type LevelRunMeasures } from '../../lib/results/pool-runs';
import { levelFromAccumulators, needsSteadyPass, SteadyTokens, summarizeLevel, type SummarizeLevelOptions } from '../../lib/results/summarize-level';

const ERRORS: readonly ErrorKind[] = ['timeout', 'throttled', 'server_error'];

/**
 * A fixed level as `processes` client processes would measure it: each with its own clock origin and
 * `workers` closed-loop workers sending `perWorker` requests back to back (the first one warm-up),
 * streamed with 2-token reads now and then, 1 in 37 failed, over `repeats` measurements.
 */
function levelRecords(processes: number, workers: number, perWorker: number, repeats = 1, seed = 1): RequestRecord[][] {
  const random = mulberry32(seed);
  return Array.from({ length: processes }, (_, p) => {
    const clockOriginMs = 1_700_000_000_000 + p * 13.25;
    const records: RequestRecord[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (let w = 0; w < workers; w++) {
        let t = 1000 + repeat * 60_000 + random() * 5;
        for (let seq = 0; seq < perWorker; seq++) {
          const scheduledMs = t;
          const sentMs = t + random() * 0.7;
          const failed = random() < 1 / 37;
          const outputTokens = failed ? 0 : 8 + Math.floor(random() * 24);
          const firstTokenMs = sentMs + 20 + random() * 60;
          const chunkTokens = Array.from({ length: outputTokens }, () => 1);
          // Every fifth request's stream packs two tokens in one read.
          if (outputTokens > 4 && seq % 5 === 0) chunkTokens.splice(2, 2, 2);
          const interChunkGapsMs = chunkTokens.slice(1).map(() => 5 + random() * 30);
          const endMs = failed ? sentMs + 100 * random() : firstTokenMs + interChunkGapsMs.reduce((a, b) => a + b, 0);
          records.push({
            schemaVersion: REQUEST_RECORD_VERSION,
            concurrency: processes * workers,
            worker: p * workers + w,
            seq,
            clockOriginMs,
            scheduledMs,
            sentMs,
            endMs,
            inputTokens: 64,
            outputTokens,
            ...(failed ? { error: ERRORS[seq % ERRORS.length] } : { firstTokenMs, chunkTokens, interChunkGapsMs }),
            ...(seq === 0 ? { warmup: true } : {}),
            ...(repeat > 0 ? { repeat } : {}),
            ...(seq % 11 === 3 ? { retries: 1 } : {}),
          });
          t = endMs;
        }
      }
    }
    // A process writes its records as they complete: in order of their end.
    return records.sort((a, b) => a.endMs - b.endMs);
  });
}

/** The sweep's path: per process an accumulator per measurement, through JSON, merged; the steady pass over the files in any order. */
function mergedLevel(byProcess: readonly RequestRecord[][], opts: SummarizeLevelOptions, repeats: number): ReturnType<typeof summarizeLevel> {
  const accumulators = Array.from({ length: repeats }, () => new LevelAccumulator(opts.speedup ?? 1, opts.slo));
  for (const records of byProcess) {
    for (let repeat = 0; repeat < repeats; repeat++) {
      const own = new LevelAccumulator(opts.speedup ?? 1, opts.slo);
      for (const r of records) if ((r.repeat ?? 0) === repeat) own.add(r);
      const wire = JSON.parse(JSON.stringify(own.encode())) as EncodedLevelAccumulator;
      accumulators[repeat].merge(LevelAccumulator.decode(wire));
    }
  }
  const sends = needsSteadyPass(repeats, opts) ? accumulators[0].sends() : undefined;
  let steady: SteadyTokens | undefined;
  if (sends !== undefined) {
    steady = new SteadyTokens(sends);
    for (const records of [...byProcess].reverse()) for (const r of records) steady.add(r);
  }
  return levelFromAccumulators(accumulators, opts, steady);
}

describe('a level merged from several processes', () => {
  const slo = { ttftMs: 60, itlMs: 25 };

  it('equals the one-process summary of the same records, exactly, past the exact-sample limit (HDR histograms)', () => {
    const byProcess = levelRecords(3, 8, 220);
    const all = byProcess.flat();
    const opts = { concurrency: 24, speedup: 2, slo };
    const merged = mergedLevel(byProcess, opts, 1);
    const one = summarizeLevel(all, opts);
    expect(one.requests).toBe(3 * 8 * 219);
    // Every measure is past the exact limit: ITL gaps many times over.
    expect(one.ok).toBeGreaterThan(EXACT_SAMPLE_LIMIT);
    expect(merged).toEqual(one);
    expect(merged.steadyThroughputTokensPerS).toBeGreaterThan(0);
    expect(merged.goodput?.attainment).toBeGreaterThan(0);
    expect(merged.goodput?.attainment).toBeLessThan(1);
    expect(Object.values(merged.errors).reduce((a, b) => a + (b ?? 0), 0)).toBe(merged.requests - merged.ok);
  });

  it('equals it while small (exact percentiles), and for repeated measurements with their interval', () => {
    const small = levelRecords(2, 3, 12, 1, 5);
    expect(mergedLevel(small, { concurrency: 6 }, 1)).toEqual(summarizeLevel(small.flat(), { concurrency: 6 }));
    const repeated = levelRecords(2, 4, 30, 3, 7);
    const opts = { concurrency: 8, slo };
    const merged = mergedLevel(repeated, opts, 3);
    expect(merged.repeats?.n).toBe(3);
    expect(merged).toEqual(summarizeLevel(repeated.flat(), opts));
  });

  it('does not depend on the order the records arrive in', () => {
    const byProcess = levelRecords(2, 6, 400, 1, 9);
    const shuffled = byProcess.map((records) => {
      const random = mulberry32(3);
      const copy = [...records];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy;
    });
    expect(mergedLevel(shuffled, { concurrency: 12 }, 1)).toEqual(mergedLevel(byProcess, { concurrency: 12 }, 1));
  });
});

describe('pooling a level from accumulators (the CLI sweep) and from records (the pipeline merge)', () => {
  it('gives the same level: peaks of processes side by side added, the worst client named', () => {
    const byProcess = levelRecords(2, 3, 40, 2, 13);
    const ok = clientVerdict({ sendLagMsP99: 1, eventLoopDelayMsP99: 4, cpuPct: 30 });
    const starved = clientVerdict({ sendLagMsP99: 2, eventLoopDelayMsP99: 41, cpuPct: 60 });
    const runs: LevelRunMeasures[] = [
      { repeat: 0, name: 'process 0', client: ok, peakInFlight: 3 },
      { repeat: 0, name: 'process 1', client: ok, peakInFlight: 3 },
      { repeat: 1, name: 'process 0', client: ok, peakInFlight: 2 },
      { repeat: 1, name: 'process 1', client: starved, peakInFlight: 3 },
    ];
    const opts = { concurrency: 6, offeredRatePerS: 5, openLoop: { arrival: 'poisson' as const } };
    const accumulators = [0, 1].map((repeat) => {
      const acc = new LevelAccumulator(1);
      for (const records of byProcess) for (const r of records) if ((r.repeat ?? 0) === repeat) acc.add(r);
      return acc;
    });
    const level = poolLevelAccumulators(accumulators, runs, opts);
    expect(level).toEqual(poolLevelRuns(byProcess.flat(), runs, opts));
    expect(level.openLoop?.peakInFlight).toBe(6);
    expect(level.client).toMatchObject({ verdict: 'client-bound', eventLoopDelayMsP99: 41, reasons: ['process 1: event-loop delay p99 41.0 ms > 25 ms'] });
  });
});

describe('ExactSum', () => {
  it('is correctly rounded whatever the order: sums that plain addition gets wrong', () => {
    const cancel = new ExactSum();
    for (const v of [1e16, 1, -1e16]) cancel.add(v);
    expect(cancel.value()).toBe(1); // plain left-to-right addition gives 0
    const tiny = new ExactSum();
    for (let i = 0; i < 10; i++) tiny.add(0.1);
    expect(tiny.value()).toBe(1); // plain addition gives 0.9999999999999999
    // Half-way rounding across partials (CPython's fsum test case): 1e16 + 1 + 1e-16 rounds up.
    const halfway = new ExactSum();
    for (const v of [1e-16, 1, 1e16]) halfway.add(v);
    expect(halfway.value()).toBe(10000000000000002);
  });

  it('merges and round-trips through JSON exactly', () => {
    const random = mulberry32(11);
    const values = Array.from({ length: 5000 }, () => (random() - 0.3) * 10 ** Math.floor(random() * 12));
    const whole = new ExactSum();
    for (const v of values) whole.add(v);
    const a = new ExactSum();
    const b = new ExactSum();
    values.forEach((v, i) => (i % 3 === 0 ? a : b).add(v));
    const merged = ExactSum.decode(JSON.parse(JSON.stringify(b.encode())) as number[]);
    merged.merge(a);
    expect(merged.value()).toBe(whole.value());
    const reversed = new ExactSum();
    for (const v of [...values].reverse()) reversed.add(v);
    expect(reversed.value()).toBe(whole.value());
  });
});

describe('worstClientVerdict with names', () => {
  it('is client-bound when any process is, with each figure the highest and the reasons naming the process', () => {
    const healthy = clientVerdict({ sendLagMsP99: 2, eventLoopDelayMsP99: 3, cpuPct: 40 });
    const starved = clientVerdict({ sendLagMsP99: 40, eventLoopDelayMsP99: 12, cpuPct: 95 });
    const busier = clientVerdict({ sendLagMsP99: 1, eventLoopDelayMsP99: 20, cpuPct: 60 });
    expect(worstClientVerdict([healthy, starved, busier], ['process 0', 'process 1', 'process 2'])).toEqual({
      verdict: 'client-bound',
      sendLagMsP99: 40,
      eventLoopDelayMsP99: 20,
      cpuPct: 95,
      reasons: ['process 1: send lag p99 40.0 ms > 25 ms', 'process 1: client CPU 95 % ≥ 90 % of a core'],
    });
    expect(worstClientVerdict([healthy, busier], ['process 0', 'process 1'])).toEqual({ verdict: 'ok', sendLagMsP99: 2, eventLoopDelayMsP99: 20, cpuPct: 60 });
    expect(worstClientVerdict([starved, undefined])).toEqual(starved);
    expect(worstClientVerdict([])).toBeUndefined();
  });
});
