import type { DeploymentInput } from '../../lib/benchmark/pipeline-state';
import type { LevelResult } from '../../lib/results/records';
import { decideNext } from '../../loadtest/pipeline/decide-next';
import type { NextStep } from '../../loadtest/sweep/next-step';
import { nextSweepStep } from '../../loadtest/sweep/run-sweep';
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
  { name: 'auto: doubles from 1 (no scaling known yet)', levels: 'auto', measured: doubling(1), expected: { concurrency: 2 } },
  { name: 'auto: skips a level (×4) while throughput scales linearly', levels: 'auto', measured: doubling(1, 2), expected: { concurrency: 8 } },
  {
    name: 'auto: doubles (×2) once scaling falls below 75 % efficiency',
    levels: 'auto',
    measured: [level(1, 100), level(2, 200), level(8, 700), level(32, 1600)],
    expected: { concurrency: 64 },
  },
  { name: 'auto: the step stops at the cap', levels: 'auto', maxConcurrency: 12, measured: doubling(1, 2, 8), expected: { concurrency: 12 } },
  {
    // The CLI said 'max concurrency reached', the pipeline 'completed'.
    name: 'auto: the cap reached with no rule firing',
    levels: 'auto',
    maxConcurrency: 8,
    measured: doubling(1, 2, 8),
    expected: { rule: 'completed', detail: /^reached the highest allowed level, c=8/ },
  },
  { name: 'auto: refines at the geometric midpoint after the first bad level', levels: 'auto', measured: [...doubling(1, 2, 8), timeout(32, 3200)], expected: { concurrency: 16 } },
  { name: 'auto: refines below a bad midpoint', levels: 'auto', measured: [...doubling(1, 2, 8), timeout(32, 3200), timeout(16, 1600)], expected: { concurrency: 11 } },
  { name: 'auto: refines above a good midpoint', levels: 'auto', measured: [...doubling(1, 2, 8, 16), timeout(32, 3200)], expected: { concurrency: 23 } },
  {
    // 34 → 35 is a 3 % step: useless (minimum relative step 25 %). The stop names the first bad level.
    name: 'auto: no useless step (no c=35 after c=34)',
    levels: 'auto',
    measured: [...doubling(1, 2, 8, 16, 32, 34), timeout(36, 3600), timeout(64, 6400)],
    expected: { rule: 'timeout', detail: /at c=36$/ },
  },
  {
    // 32 → 64 fell 4 %, within the noise of 100-request levels (±20 % each): nothing to refine.
    name: 'auto: a plateau within the noise is not refined',
    levels: 'auto',
    plateauGain: 0.05,
    measured: [level(1, 100), level(2, 200), level(8, 780), level(32, 2000), level(64, 1920)],
    expected: { rule: 'plateau', detail: /^throughput fell 4.0 % when concurrency doubled \(from 2000.0 tokens\/s at c=32 to 1920.0 tokens\/s at c=64\)/ },
  },
  {
    name: 'auto: a plateau beyond the noise is refined',
    levels: 'auto',
    plateauGain: 0.05,
    measured: [level(1, 100, { requests: 10000 }), level(2, 200, { requests: 10000 }), level(8, 780, { requests: 10000 }), level(32, 2000, { requests: 10000 }), level(64, 1500, { requests: 10000 })],
    expected: { concurrency: 45 },
  },
  {
    // A ×4 step hides a grid level: refined even when its ends look flat.
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
