import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { UserInputError } from '../../lib/errors';
import type { MetricSeries, PublicationWait, ServerTelemetry } from '../../lib/results/server-telemetry';
import type { TelemetryTarget } from './queries';
import { joinSeries, readMetricSeries, type ReadOptions, type ReadSeries } from './read-server-telemetry';
import { REAL_TIME, type TargetClock } from './target-clock';
import { TELEMETRY_SETTLE_DEFAULTS } from '../../lib/results/defaults';

/**
 * CloudWatch publication delay. SageMaker publishes endpoint metrics per period ("Metrics are
 * available at a 1-minute frequency", https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html):
 * a period's datapoint exists only after the period has closed, and AWS documents no bound on how
 * long after (CloudWatch alarms themselves are built to tolerate datapoints that arrive late:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#CloudWatch-alarms-avoiding-premature-transition).
 * A read made right after a level or scenario window therefore polls GetMetricData until the
 * window's last period has a datapoint, or until `maxWaitS` has passed, and says which.
 */
export interface SettleOptions {
  /** Longest wait for the window's last period, s of the endpoint's clock. @default DEFAULT_SETTLE.maxWaitS */
  readonly maxWaitS?: number;
  /** Time between reads, s of the endpoint's clock. @default DEFAULT_SETTLE.pollS */
  readonly pollS?: number;
}

/**
 * The project's defaults (assumptions, not AWS figures): up to 3 min, which covers a 1-minute period
 * plus a publication delay of two more minutes, read every 15 s. The local twin publishes at once
 * unless told otherwise (`publishDelayMs`), so offline reads end at the first one; with a delay the
 * wait runs on the twin's compressed clock.
 */
export const DEFAULT_SETTLE: Required<SettleOptions> = { ...TELEMETRY_SETTLE_DEFAULTS };

/** Parses a wait given in seconds (flag or environment), naming the field on bad input. */
export function parseSettleSeconds(text: string | undefined, field: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UserInputError(field, `must be a number of seconds ≥ 0, got '${text}'`);
  return value;
}

export interface SettledReadOptions {
  readonly read?: ReadOptions;
  readonly settle?: SettleOptions;
  /** The endpoint's clock: waits are endpoint seconds, slept as wall time ÷ speedup. @default REAL_TIME */
  readonly clock?: TargetClock;
  /** @default setTimeout */
  readonly sleep?: (wallMs: number) => Promise<void>;
  /** Wall clock, epoch ms (tests move it with `sleep`). @default Date.now */
  readonly now?: () => number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Start (epoch ms) of the last period of `periodS` that overlaps the window, periods counted from the query's StartTime. */
export function lastPeriodStartMs(queryStartMs: number, windowEndMs: number, periodS: number): number {
  const periodMs = periodS * 1000;
  return queryStartMs + Math.max(0, Math.floor((windowEndMs - 1 - queryStartMs) / periodMs)) * periodMs;
}

/** The window's last standard period has a datapoint in some metric (SageMaker publishes a period's metrics together). */
export function lastPeriodPublished(series: readonly MetricSeries[], queryStartMs: number, windowEndMs: number, periodS: number): boolean {
  const last = lastPeriodStartMs(queryStartMs, windowEndMs, periodS);
  return series.some((s) => s.periodS === periodS && s.points.some((p) => p.timestampMs >= last));
}

/** A settled read: the series, how the wait went, and the note to add when the last period did not come. */
export interface SettledSeries {
  readonly read: ReadSeries;
  readonly publication: PublicationWait;
  readonly incompleteNote?: string;
}

/** Polls GetMetricData for the window until its last standard period has a datapoint or `maxWaitS` has passed. */
export async function readSettledSeries(
  client: CloudWatchClient,
  target: TelemetryTarget,
  window: { readonly startMs: number; readonly endMs: number },
  opts: SettledReadOptions = {},
): Promise<SettledSeries> {
  const maxWaitS = opts.settle?.maxWaitS ?? DEFAULT_SETTLE.maxWaitS;
  const pollS = opts.settle?.pollS ?? DEFAULT_SETTLE.pollS;
  if (!(maxWaitS >= 0) || !(pollS > 0)) throw new UserInputError('settle', `maxWaitS must be ≥ 0 and pollS > 0, got ${maxWaitS} and ${pollS}`);
  const speedup = (opts.clock ?? REAL_TIME).speedup;
  const sleep = opts.sleep ?? defaultSleep;
  const wallNow = opts.now ?? Date.now;
  const startedWall = wallNow();
  const waitedS = (): number => ((wallNow() - startedWall) / 1000) * speedup;
  let reads = 0;
  for (;;) {
    const read = await readMetricSeries(client, target, window, opts.read);
    reads += 1;
    const complete = lastPeriodPublished(read.series, read.startMs, window.endMs, read.plan.periodS);
    const waited = waitedS();
    if (complete || waited >= maxWaitS) {
      const publication: PublicationWait = { complete, waitedS: round1(waited), reads, maxWaitS };
      if (complete) return { read, publication };
      const from = new Date(lastPeriodStartMs(read.startMs, window.endMs, read.plan.periodS)).toISOString();
      const incompleteNote =
        `incomplete: the window's last ${read.plan.periodS} s period (from ${from}) had no datapoint after waiting ${round1(waited)} s ` +
        `(at most ${maxWaitS} s): CloudWatch had not published it yet; values cover the earlier periods`;
      return { read, publication, incompleteNote };
    }
    await sleep((Math.min(pollS, maxWaitS - waited) * 1000) / speedup);
  }
}

/**
 * Reads a window's metrics once its last period is published (or `maxWaitS` passed), and joins them
 * with `publication` saying how long it waited and whether the last period came.
 */
export async function readSettledTelemetry(
  client: CloudWatchClient,
  target: TelemetryTarget,
  window: { readonly startMs: number; readonly endMs: number },
  opts: SettledReadOptions = {},
): Promise<ServerTelemetry> {
  const { read, publication, incompleteNote } = await readSettledSeries(client, target, window, opts);
  const joined = joinSeries(read.series, read.plan, target, window);
  return { ...joined, notes: incompleteNote === undefined ? joined.notes : [...joined.notes, incompleteNote], publication };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
