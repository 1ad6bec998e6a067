import type { DeploymentInput } from '../../lib/benchmark/pipeline-state';
import type { LevelResult } from '../../lib/results/records';
import { decideNext } from '../../loadtest/pipeline/decide-next';
import { DEFAULT_AUTO_MAX_CONCURRENCY, nextStep, type NextStep } from '../../loadtest/sweep/next-step';
import type { StopRuleConfig } from '../../loadtest/sweep/stop-rules';
import { rateLevelKey } from '../../lib/results/level-key';
import { levelPlanOf, nextSweepStep } from '../../loadtest/sweep/run-sweep';
import { DEPLOYMENT } from '../pipeline/records-fixture';
import { level } from '../support/levels';

/**
 * The same measured levels through the CLI sweep's decision (run-sweep) and the state machine's
 * (decide-next, as the plan-levels and decide-next handlers call it): identical next steps and
 * stop reasons, and each the step the row expects.
 */

interface Row {
  readonly name: string;
  readonly levels: readonly number[] | 'auto';
  readonly maxConcurrency?: number;
  readonly plateauGain?: number;
  readonly measured: readonly LevelResult[];
  readonly expected: { readonly concurrency: number } | { readonly rule: string; readonly detail: RegExp };
}

const timeout = (c: number, tokensPerS: number): LevelResult => level(c, tokensPerS, { errors: { timeout: 2 } });
const doubling = (...cs: number[]): LevelResult[] => cs.map((c) => level(c, 100 * c));

const ROWS: readonly Row[] = [
  { name: 'list: starts at the first listed level', levels: [1, 2, 4, 8], measured: [], expected: { concurrency: 1 } },
  { name: 'list: next unmeasured level in the list order', levels: [1, 2, 4, 8], measured: doubling(1, 2), expected: { concurrency: 4 } },
  { name: 'list: a listed level resumed out of order', levels: [1, 2, 4, 8], measured: doubling(1, 4), expected: { concurrency: 2 } },
  {
    name: 'list: a timeout stops at its level',
    levels: [1, 2, 4, 8],
    measured: [...doubling(1), timeout(2, 190)],
    expected: { rule: 'timeout', detail: /^2 of 100 requests hit the 60000 ms deadline at c=2$/ },
  },
  {
    // The CLI judged only the levels up to the next listed one (and went on to c=2), the pipeline every level.
    name: 'list: a bad level above the next listed one stops the sweep (resumed run)',
    levels: [1, 2, 4, 8],
    measured: [...doubling(1), level(4, 400, { errors: { overloaded: 5 } })],
    expected: { rule: 'error-rate', detail: /^error rate 5.00 % > 1.00 % at c=4 \(overloaded 5\)$/ },
  },
  {
    name: 'list: a plateau stops when the plateau gain is set',
    levels: [1, 2, 4, 8],
    plateauGain: 0.05,
    measured: [level(1, 100), level(2, 190), level(4, 195)],
    expected: { rule: 'plateau', detail: /^throughput rose 2.6 % when concurrency doubled \(from 190.0 tokens\/s at c=2 to 195.0 tokens\/s at c=4\)/ },
  },
  { name: 'list: every level measured', levels: [1, 2, 4, 8], measured: doubling(1, 2, 4, 8), expected: { rule: 'completed', detail: /^every listed level measured \(c = 1, 2, 4, 8\)$/ } },
  { name: 'auto: starts at 1', levels: 'auto', measured: [], expected: { concurrency: 1 } },
  { name: 'auto: ×4 from one level (no slope known yet)', levels: 'auto', measured: doubling(1), expected: { concurrency: 4 } },
  {
    // ms/token 33 → 36 over c 1 → 4: slope 1 ms/token per request; twice the best (66) is predicted at c = 1 + 33 = 34 → grid level 32.
    name: 'auto: jumps to the grid level nearest the predicted half-latency point',
    levels: 'auto',
    measured: [level(1, 30, { msPerToken: 33 }), level(4, 111, { msPerToken: 36 })],
    expected: { concurrency: 32 },
  },
  {
    // Best 80 ms/token: the latency bound (100) is the nearer threshold, predicted at c = 1 + 20 / 2 = 11 → grid level 8.
    name: 'auto: jumps toward the nearer threshold (the latency bound before twice the best)',
    levels: 'auto',
    measured: [level(1, 12, { msPerToken: 80 }), level(4, 46, { msPerToken: 86 })],
    expected: { concurrency: 8 },
  },
  { name: 'auto: flat latency predicts no bend: the largest step (×16)', levels: 'auto', measured: doubling(1, 4), expected: { concurrency: 64 } },
  {
    name: 'auto: at least ×2 when the predicted point is near',
    levels: 'auto',
    measured: [level(1, 30, { msPerToken: 33 }), level(4, 100, { msPerToken: 60 })],
    expected: { concurrency: 8 },
  },
  {
    name: 'auto: ×2 once both thresholds are crossed (the plateau is near)',
    levels: 'auto',
    measured: [level(1, 30, { msPerToken: 33 }), level(4, 111, { msPerToken: 36 }), level(8, 150, { msPerToken: 110 })],
    expected: { concurrency: 16 },
  },
  { name: 'auto: the step stops at the cap', levels: 'auto', maxConcurrency: 12, measured: doubling(1, 4), expected: { concurrency: 12 } },
  {
    // The CLI said 'max concurrency reached', the pipeline 'completed'.
    name: 'auto: the cap reached with no rule firing',
    levels: 'auto',
    maxConcurrency: 8,
    measured: doubling(1, 4, 8),
    expected: { rule: 'completed', detail: /^reached the highest allowed level, c=8/ },
  },
  { name: 'auto: refines at the grid level between the last good and the first bad level', levels: 'auto', measured: [...doubling(1, 4), timeout(64, 6400)], expected: { concurrency: 16 } },
  { name: 'auto: refines below a bad midpoint', levels: 'auto', measured: [...doubling(1, 4), timeout(64, 6400), timeout(16, 1600)], expected: { concurrency: 8 } },
  { name: 'auto: refines above a good midpoint', levels: 'auto', measured: [...doubling(1, 4, 16), timeout(64, 6400)], expected: { concurrency: 32 } },
  {
    name: 'auto: neighbouring grid levels are not refined (the first bad level is placed to one grid level)',
    levels: 'auto',
    measured: [...doubling(1, 4, 16, 32), timeout(64, 6400)],
    expected: { rule: 'timeout', detail: /at c=64$/ },
  },
  {
    // 34 → 36 is closer than a grid level. The stop names the first bad level.
    name: 'auto: no useless step (no c=35 after c=34)',
    levels: 'auto',
    measured: [...doubling(1, 2, 8, 16, 32, 34), timeout(36, 3600), timeout(64, 6400)],
    expected: { rule: 'timeout', detail: /at c=36$/ },
  },
  {
    name: 'auto: a plateau between neighbouring grid levels is not refined, within the noise',
    levels: 'auto',
    plateauGain: 0.05,
    measured: [level(1, 100), level(2, 200), level(8, 780), level(32, 2000), level(64, 1920)],
    expected: { rule: 'plateau', detail: /^throughput fell 4.0 % when concurrency doubled \(from 2000.0 tokens\/s at c=32 to 1920.0 tokens\/s at c=64\)/ },
  },
  {
    // Beyond the noise (10000 requests a level) but one grid level apart: the grid could not place it better.
    name: 'auto: a plateau between neighbouring grid levels is not refined, beyond the noise',
    levels: 'auto',
    plateauGain: 0.05,
    measured: [level(1, 100, { requests: 10000 }), level(2, 200, { requests: 10000 }), level(8, 780, { requests: 10000 }), level(32, 2000, { requests: 10000 }), level(64, 1500, { requests: 10000 })],
    expected: { rule: 'plateau', detail: /^throughput fell 25.0 % when concurrency doubled/ },
  },
  {
    // A skipped grid level may hold the max: refined even when its ends look flat.
    name: 'auto: a plateau across a skipped level is refined',
    levels: 'auto',
    plateauGain: 0.05,
    measured: [level(1, 100), level(2, 200), level(8, 800), level(32, 820)],
    expected: { concurrency: 16 },
  },
  {
    // Judged a whole doubling back (against 4, not 5): 350 → 355 over log2(8/4) = one doubling is 1.4 %.
    name: 'auto: a plateau is judged over a whole doubling, never extrapolated from a small step',
    levels: 'auto',
    plateauGain: 0.05,
    measured: [level(1, 100), level(2, 190), level(4, 350), level(5, 355), level(6, 357), level(8, 355)],
    expected: { rule: 'plateau', detail: /^throughput rose 1.4 % when concurrency doubled \(from 350.0 tokens\/s at c=4 to 355.0 tokens\/s at c=8\)/ },
  },
  {
    // The knee (latency bound 100 ms/token) lies between 4 and 64: bracketed before the search climbs on.
    name: 'auto: the latency bound crossed across skipped levels is refined before climbing',
    levels: 'auto',
    measured: [level(1, 30, { msPerToken: 33 }), level(4, 111, { msPerToken: 36 }), level(64, 600, { msPerToken: 150 })],
    expected: { concurrency: 16 },
  },
  {
    // No level under the bound: the reported knee is the half-latency one (300 = 2 × 150), bracketed instead.
    name: 'auto: twice the best ms/token crossed across skipped levels is refined when no level is under the bound',
    levels: 'auto',
    measured: [level(1, 6, { msPerToken: 150 }), level(4, 24, { msPerToken: 160 }), level(64, 160, { msPerToken: 400 })],
    expected: { concurrency: 16 },
  },
  {
    name: 'auto: a crossing between neighbouring grid levels is not refined',
    levels: 'auto',
    measured: [level(1, 30, { msPerToken: 33 }), level(4, 111, { msPerToken: 36 }), level(32, 470, { msPerToken: 66 }), level(64, 480, { msPerToken: 137 })],
    expected: { concurrency: 128 },
  },
  { name: 'auto: level 1 already fails', levels: 'auto', measured: [level(1, 0, { errors: { network: 100 } })], expected: { rule: 'error-rate', detail: /at c=1 \(network 100\)$/ } },
];

/** The CLI sweep's decision with its flags' stop rules (plateau off unless given, as for lists). */
function cliStep(row: Row): NextStep {
  return nextSweepStep(
    {
      levels: row.levels,
      maxConcurrency: row.maxConcurrency ?? 512,
      stopRules: { invocationTimeoutMs: DEPLOYMENT.benchmark.timeoutS * 1000, maxErrorRate: DEPLOYMENT.benchmark.maxErrorRate, plateauGain: row.plateauGain ?? -Infinity },
    },
    row.measured,
  );
}

/** The state machine's decision for a deployment with the same settings, as a NextStep. */
function pipelineStep(row: Row): NextStep {
  const deployment: DeploymentInput = {
    ...DEPLOYMENT,
    benchmark: { ...DEPLOYMENT.benchmark, concurrency: row.levels, maxConcurrency: row.maxConcurrency ?? 512, plateauGain: row.plateauGain ?? -Infinity },
  };
  const state = decideNext({ deployment, runId: 'r', measured: row.measured, nowEpochMs: 0, startLeadMs: 0 });
  if (state.done) return { stop: state.stopReason! };
  return { concurrency: state.concurrency! };
}

describe('one sweep decision: the CLI sweep and the state machine agree', () => {
  it.each(ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const cli = cliStep(row);
    expect(pipelineStep(row)).toEqual(cli);
    if ('concurrency' in row.expected) {
      expect(cli).toEqual({ concurrency: row.expected.concurrency });
    } else {
      expect('stop' in cli && cli.stop.rule).toBe(row.expected.rule);
      expect('stop' in cli && cli.stop.detail).toMatch(row.expected.detail);
    }
  });

  it('never proposes a level already measured', () => {
    for (const row of ROWS) {
      const step = cliStep(row);
      if ('concurrency' in step) expect(row.measured.map((l) => l.concurrency)).not.toContain(step.concurrency);
    }
  });
});

describe('one rate search (rates: auto): the CLI sweep and the state machine agree', () => {
  const SLO = { ttftMs: 2000 };
  /** An open-loop level at `rate` requests/s whose requests meet the SLOs in share `attainment`. */
  const rateLevel = (rate: number, attainment: number): LevelResult => ({
    ...level(Math.round(rate * 1000), rate * 100),
    offeredRatePerS: rate,
    slo: SLO,
    goodput: { requestsPerS: rate * attainment, tokensPerS: rate * 100 * attainment, attainment },
  });
  const passing = (...rates: number[]): LevelResult[] => rates.map((r) => rateLevel(r, 0.99));
  const failing = (...rates: number[]): LevelResult[] => rates.map((r) => rateLevel(r, 0.5));
  const clientBound = (rate: number): LevelResult => ({
    ...rateLevel(rate, 0.5),
    client: { verdict: 'client-bound', sendLagMsP99: 50, eventLoopDelayMsP99: 5, cpuPct: 20, reasons: ['send lag p99 50.0 ms > 25 ms'] },
  });

  interface RateRow {
    readonly name: string;
    readonly maxRatePerS: number;
    readonly minSloAttainment?: number;
    readonly measured: readonly LevelResult[];
    readonly expected: { readonly rate: number } | { readonly rule: string; readonly detail: RegExp };
  }
  const RATE_ROWS: readonly RateRow[] = [
    { name: 'starts at 1 request/s', maxRatePerS: 64, measured: [], expected: { rate: 1 } },
    { name: 'starts at the cap when it is below 1 request/s', maxRatePerS: 0.5, measured: [], expected: { rate: 0.5 } },
    { name: 'doubles while every rate passes', maxRatePerS: 64, measured: passing(1, 2, 4), expected: { rate: 8 } },
    { name: 'the step stops at the cap', maxRatePerS: 6, measured: passing(1, 2, 4), expected: { rate: 6 } },
    {
      name: 'the cap reached with every rate passing names the highest passing rate',
      maxRatePerS: 4,
      measured: passing(1, 2, 4),
      expected: { rule: 'completed', detail: /^reached the highest allowed rate, 4 req\/s, with every rate passing: highest passing rate 4 req\/s$/ },
    },
    // √(4 × 8) = 5.657 requests/s (key 5657).
    { name: 'bisects (geometric midpoint) between the highest passing and the lowest failing rate', maxRatePerS: 64, measured: [...passing(1, 2, 4), ...failing(8)], expected: { rate: 5.657 } },
    { name: 'bisects above a passing midpoint', maxRatePerS: 64, measured: [...passing(1, 2, 4, 5.657), ...failing(8)], expected: { rate: 6.727 } },
    {
      // 5.657 → 6.2 is 9.6 % above: within the 10 % resolution.
      name: 'stops when the failing rate is within 10 % of the passing one, naming the highest passing rate',
      maxRatePerS: 64,
      measured: [...passing(1, 2, 4, 5.657), ...failing(6.2, 8)],
      expected: { rule: 'slo-attainment', detail: /^SLO attainment 50.0 % < 90.0 % at 6.2 requests\/s; highest passing rate 5.657 req\/s$/ },
    },
    { name: 'the required attainment is the deployment\'s when set', maxRatePerS: 64, minSloAttainment: 0.4, measured: [...passing(1, 2), ...failing(4)], expected: { rate: 8 } },
    { name: 'a client-bound rate is the upper end of the search (never named passing): bisects below it', maxRatePerS: 64, measured: [...passing(1, 2, 4), clientBound(8)], expected: { rate: 5.657 } },
    {
      name: 'stops at a client-bound rate within 10 %, saying the client was the limit',
      maxRatePerS: 64,
      measured: [...passing(1, 2, 4, 5.657), clientBound(6.2), ...failing(8)],
      expected: { rule: 'completed', detail: /^the client could not send 6.2 req\/s \(client-bound: send lag p99 50.0 ms > 25 ms\); highest passing rate 5.657 req\/s$/ },
    },
    { name: 'a failing first rate is halved', maxRatePerS: 64, measured: failing(1), expected: { rate: 0.5 } },
    { name: 'then bisected once a lower rate passes', maxRatePerS: 64, measured: [...passing(0.25), ...failing(0.5, 1)], expected: { rate: 0.354 } },
    {
      name: 'no rate passes down to 0.001 requests/s',
      maxRatePerS: 64,
      measured: failing(0.001),
      expected: { rule: 'slo-attainment', detail: /; no rate passes \(lowest tried 0.001 req\/s\)$/ },
    },
  ];

  const rules = (row: RateRow): StopRuleConfig => ({
    invocationTimeoutMs: DEPLOYMENT.benchmark.timeoutS * 1000,
    maxErrorRate: DEPLOYMENT.benchmark.maxErrorRate,
    plateauGain: -Infinity,
    ...(row.minSloAttainment !== undefined ? { minSloAttainment: row.minSloAttainment } : {}),
  });

  function cliRateStep(row: RateRow): NextStep {
    return nextSweepStep({ levels: 'auto', openLoop: { rates: 'auto', maxRatePerS: row.maxRatePerS, arrival: 'poisson' }, stopRules: rules(row) }, row.measured);
  }

  function pipelineRateStep(row: RateRow): NextStep {
    const deployment: DeploymentInput = {
      ...DEPLOYMENT,
      benchmark: {
        ...DEPLOYMENT.benchmark,
        mode: 'rate',
        rates: 'auto',
        maxRatePerS: row.maxRatePerS,
        plateauGain: -Infinity,
        slo: SLO,
        ...(row.minSloAttainment !== undefined ? { minSloAttainment: row.minSloAttainment } : {}),
      },
    };
    const state = decideNext({ deployment, runId: 'r', measured: row.measured, nowEpochMs: 0, startLeadMs: 0 });
    if (state.done) return { stop: state.stopReason! };
    return { concurrency: state.concurrency! };
  }

  it.each(RATE_ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const cli = cliRateStep(row);
    expect(pipelineRateStep(row)).toEqual(cli);
    if ('rate' in row.expected) {
      expect(cli).toEqual({ concurrency: rateLevelKey(row.expected.rate) });
    } else {
      expect('stop' in cli && cli.stop.rule).toBe(row.expected.rule);
      expect('stop' in cli && cli.stop.detail).toMatch(row.expected.detail);
    }
  });

  it('refuses a search without a cap, naming the field', () => {
    expect(() => nextStep({ mode: 'rate-auto', maxRatePerS: 0 }, [], rules(RATE_ROWS[0]))).toThrow(/^maxRatePerS: 0 must be ≥ 0.001 requests\/s/);
  });
});

describe("the CLI's adaptive search cap", () => {
  it('defaults to 256 when --max-concurrency is not given', () => {
    expect(DEFAULT_AUTO_MAX_CONCURRENCY).toBe(256);
    expect(levelPlanOf({ levels: 'auto' })).toEqual({ mode: 'auto', maxConcurrency: 256 });
    expect(levelPlanOf({ levels: 'auto', maxConcurrency: 64 })).toEqual({ mode: 'auto', maxConcurrency: 64 });
  });
});
