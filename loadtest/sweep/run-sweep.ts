import { UserInputError } from '../../lib/errors';
import { summarizeSweep } from '../../lib/results';
import type { PayloadSource } from '../payload';
import { createJsonlWriter } from '../records/jsonl';
import type { DeploymentDescription, LevelResult, RequestRecord, StopReason, SweepResult } from '../../lib/results/records';
import { runLevel } from '../runner/run-level';
import type { Target } from '../targets/types';
import { LevelStore } from './level-store';
import { nextStep, type LevelPlan, type NextStep } from './next-step';
import { byConcurrency, type StopRuleConfig } from './stop-rules';

export interface RunSweepOptions {
  readonly target: Target;
  readonly payload: PayloadSource;
  /** Concurrency levels in order, or 'auto' (double from 1 until a stop rule fires, then bisect). */
  readonly levels: readonly number[] | 'auto';
  readonly outDir: string;
  /** Measured window per level in endpoint time: a time-compressed local endpoint runs it `speedup` times faster. */
  readonly durationS?: number;
  readonly requests?: number;
  /** Warm-up requests per level, or a function of the level's concurrency. @default 0 */
  readonly warmupRequests?: number | ((concurrency: number) => number);
  readonly stopRules: StopRuleConfig;
  readonly label: string;
  readonly deployment?: DeploymentDescription;
  /** Highest level an adaptive sweep may reach. @default 256 */
  readonly maxConcurrency?: number;
  /** Time compression of a local endpoint. @default 1 */
  readonly speedup?: number;
  /** Write records as .jsonl.gz. @default false */
  readonly gzipRecords?: boolean;
  /** Knee latency bound passed to summarizeSweep. @default 100 */
  readonly latencyBoundMsPerToken?: number;
  readonly signal?: AbortSignal;
  readonly onLevelStart?: (concurrency: number) => void;
  /** After each level; `resumed` when it was read back from an earlier run. */
  readonly onLevel?: (level: LevelResult, resumed: boolean) => void;
  readonly onRecord?: (record: RequestRecord) => void;
}

function validateLevels(levels: readonly number[] | 'auto'): void {
  if (levels === 'auto') return;
  if (levels.length === 0) throw new UserInputError('levels', "give at least one level, e.g. [1, 2, 4], or 'auto'");
  for (const c of levels) {
    if (!Number.isInteger(c) || c < 1) throw new UserInputError('levels', `level ${c} must be an integer ≥ 1`);
  }
}

/**
 * A sweep over concurrency levels. Each finished level is written to `levels/c-N.json` (records to
 * `records/c-N.jsonl` as they complete) and `sweep.json` is rewritten after every level, so a crash
 * loses nothing already measured; re-running into the same folder skips measured levels.
 */
export async function runSweep(opts: RunSweepOptions): Promise<SweepResult> {
  validateLevels(opts.levels);
  const store = new LevelStore(opts.outDir, opts.gzipRecords);
  const startedAt = store.previousStartedAt() ?? new Date().toISOString();
  const measured = new Map<number, LevelResult>();
  for (const level of store.measuredLevels()) {
    measured.set(level.concurrency, level);
    opts.onLevel?.(level, true);
  }

  const summarize = (extra: { finishedAt?: string; stopReason?: StopReason; failure?: { step: string; message: string } }): SweepResult =>
    summarizeSweep({
      label: opts.label,
      target: { ...opts.target.description, ...(opts.speedup !== undefined && opts.speedup !== 1 ? { speedup: opts.speedup } : {}) },
      payload: opts.payload.describe(),
      deployment: opts.deployment,
      levels: byConcurrency([...measured.values()]),
      startedAt,
      latencyBoundMsPerToken: opts.latencyBoundMsPerToken,
      maxErrorRate: opts.stopRules.maxErrorRate,
      invocationTimeoutMs: opts.stopRules.invocationTimeoutMs,
      ...extra,
    });

  async function measure(concurrency: number): Promise<LevelResult> {
    opts.onLevelStart?.(concurrency);
    store.setAsideInterrupted(concurrency);
    const writer = createJsonlWriter(store.recordsPath(concurrency));
    try {
      const { level } = await runLevel({
        target: opts.target,
        payload: opts.payload,
        concurrency,
        warmupRequests: typeof opts.warmupRequests === 'function' ? opts.warmupRequests(concurrency) : opts.warmupRequests,
        durationS: opts.durationS !== undefined ? opts.durationS / (opts.speedup ?? 1) : undefined,
        requests: opts.requests,
        speedup: opts.speedup,
        signal: opts.signal,
        onRecord: (record) => {
          writer.write(record);
          opts.onRecord?.(record);
        },
      });
      return level;
    } finally {
      await writer.close();
    }
  }

  let stopReason: StopReason;
  const aborted: StopReason = { rule: 'aborted', detail: 'interrupted before the sweep ended' };
  try {
    for (;;) {
      if (opts.signal?.aborted) {
        stopReason = aborted;
        break;
      }
      const next = nextSweepStep(opts, [...measured.values()]);
      if ('stop' in next) {
        stopReason = next.stop;
        break;
      }
      const level = await measure(next.concurrency);
      if (opts.signal?.aborted) {
        stopReason = aborted;
        break; // a level cut short is kept on disk as records but not as a measured level
      }
      measured.set(level.concurrency, level);
      store.saveLevel(level);
      store.saveSweep(summarize({}));
      opts.onLevel?.(level, false);
    }
  } catch (error) {
    const failure = { step: 'measure', message: error instanceof Error ? error.message : String(error) };
    store.saveSweep(summarize({ finishedAt: new Date().toISOString(), stopReason: { rule: 'failed', detail: failure.message }, failure }));
    throw error;
  }
  const sweep = summarize({ finishedAt: new Date().toISOString(), stopReason });
  store.saveSweep(sweep);
  return sweep;
}

/** The level plan of a CLI sweep: its list as given, or the adaptive search up to `maxConcurrency` (default 256). */
export function levelPlanOf(opts: Pick<RunSweepOptions, 'levels' | 'maxConcurrency'>): LevelPlan {
  return opts.levels === 'auto' ? { mode: 'auto', maxConcurrency: opts.maxConcurrency ?? 256 } : { mode: 'list', levels: opts.levels };
}

/** The CLI sweep's next move: the one sweep decision applied to its plan and stop rules. */
export function nextSweepStep(opts: Pick<RunSweepOptions, 'levels' | 'maxConcurrency' | 'stopRules'>, measured: readonly LevelResult[]): NextStep {
  return nextStep(levelPlanOf(opts), measured, opts.stopRules);
}
