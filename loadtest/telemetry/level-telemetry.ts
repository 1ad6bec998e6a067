import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { LevelResult, RequestRecord } from '../../lib/results/records';
import { SERVER_TELEMETRY_VERSION, type ServerTelemetry } from '../../lib/results/server-telemetry';
import { measuredWindow } from '../../lib/results/summarize-level';
import type { TelemetryTarget } from './queries';
import type { ReadOptions } from './read-server-telemetry';
import { readSettledTelemetry, type SettleOptions } from './settle';
import { toTargetWindow, type TargetClock } from './target-clock';

export interface LevelTelemetryOptions {
  readonly client: CloudWatchClient;
  readonly target: TelemetryTarget;
  /** The endpoint's clock (a time-compressed local endpoint's; REAL_TIME in AWS). */
  readonly clock: TargetClock;
  readonly read?: ReadOptions;
  /** The wait for the window's last period to be published (settle.ts). @default DEFAULT_SETTLE */
  readonly settle?: SettleOptions;
}

/**
 * The level with its `server` block: the CloudWatch metrics of its measured window (earliest send to
 * latest end of its non-warm-up records, on the endpoint's clock), read once the window's last period
 * is published or the bounded wait ends (settle.ts). Telemetry never fails a level: a GetMetricData
 * error becomes the block's note.
 */
export async function levelTelemetry(level: LevelResult, records: readonly RequestRecord[], opts: LevelTelemetryOptions): Promise<LevelResult> {
  const wall = measuredWindow(records);
  return wall === undefined ? level : windowTelemetry(level, wall, opts);
}

/**
 * The same from the measured window itself (epoch ms of the client's clock), when the records are
 * not in memory (LevelAccumulator.measuredWindow of a level streamed to disk).
 */
export async function windowTelemetry(level: LevelResult, wall: { readonly startMs: number; readonly endMs: number }, opts: LevelTelemetryOptions): Promise<LevelResult> {
  const window = toTargetWindow(wall, opts.clock);
  let server: ServerTelemetry;
  try {
    server = await readSettledTelemetry(opts.client, opts.target, window, { clock: opts.clock, ...(opts.read ? { read: opts.read } : {}), ...(opts.settle ? { settle: opts.settle } : {}) });
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    server = { schemaVersion: SERVER_TELEMETRY_VERSION, source: 'cloudwatch', window, periodS: opts.read?.periodS ?? 60, metrics: [], notes: [`GetMetricData failed: ${message}`] };
  }
  return { ...level, server };
}
