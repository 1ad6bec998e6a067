import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ScenarioResult } from '../../lib/results/scenario';
import { SCENARIO_SERVER_VERSION, scenarioServerSeries, withServerSamples, type ScenarioServerTelemetry } from '../../lib/results/scenario-telemetry';
import { SERVER_TELEMETRY_VERSION } from '../../lib/results/server-telemetry';
import type { TelemetryTarget } from './queries';
import { joinSeries, type ReadOptions } from './read-server-telemetry';
import { readSettledSeries, type SettleOptions } from './settle';
import { REAL_TIME, type TargetClock } from './target-clock';

/** A scenario window of the pipeline, on the scenario's clock. */
export interface ScenarioTelemetryWindow {
  readonly index: number;
  readonly fromS: number;
  readonly toS: number;
}

export interface ScenarioTelemetryOptions {
  readonly client: CloudWatchClient;
  readonly target: TelemetryTarget;
  /** The endpoint's clock, for the publication wait (a time-compressed twin's). @default REAL_TIME */
  readonly clock?: TargetClock;
  readonly read?: ReadOptions;
  readonly settle?: SettleOptions;
  readonly sleep?: (wallMs: number) => Promise<void>;
}

/** Reads a finished scenario's telemetry and joins it to the result (`server`, and the samples' endpoint figures). */
export interface ScenarioTelemetry {
  /**
   * `startEndpointMs`: endpoint epoch ms of scenario time 0 (the same mapping as the rest of the
   * result). Telemetry never fails a scenario: a GetMetricData error becomes `server.notes`.
   */
  attach(result: ScenarioResult, startEndpointMs: number, windows?: readonly ScenarioTelemetryWindow[]): Promise<ScenarioResult>;
}

/**
 * One GetMetricData read of the whole scenario [0, durationS) once its last period is published (the
 * bounded wait of settle.ts), then, from that read: the whole run as one `server` block, each
 * pipeline window joined alike, the per-period series, and the samples' endpoint figures. Standard
 * metrics come at their published period (60 s by default), the concurrency metrics at 10 s; a sample
 * of a few seconds takes the value of the period that holds it.
 */
export function createScenarioTelemetry(opts: ScenarioTelemetryOptions): ScenarioTelemetry {
  return {
    async attach(result, startEndpointMs, windows) {
      const window = { startMs: startEndpointMs, endMs: startEndpointMs + result.durationS * 1000 };
      const hasComponents = opts.target.inferenceComponent !== undefined;
      let server: ScenarioServerTelemetry;
      try {
        const { read, publication, incompleteNote } = await readSettledSeries(opts.client, opts.target, window, {
          clock: opts.clock ?? REAL_TIME,
          ...(opts.read ? { read: opts.read } : {}),
          ...(opts.settle ? { settle: opts.settle } : {}),
          ...(opts.sleep ? { sleep: opts.sleep } : {}),
        });
        const whole = joinSeries(read.series, read.plan, opts.target, window);
        const points = scenarioServerSeries(read.series, { startEpochMs: startEndpointMs, hasComponents, ...(opts.target.gpusPerInstance !== undefined ? { gpusPerInstance: opts.target.gpusPerInstance } : {}) });
        const notes = [...whole.notes, ...(incompleteNote !== undefined ? [incompleteNote] : [])];
        server = {
          schemaVersion: SCENARIO_SERVER_VERSION,
          source: 'cloudwatch',
          whole: { ...whole, notes, publication },
          ...(windows !== undefined
            ? {
                windows: windows.map((w) => ({
                  ...w,
                  server: joinSeries(read.series, read.plan, opts.target, { startMs: startEndpointMs + w.fromS * 1000, endMs: startEndpointMs + w.toS * 1000 }),
                })),
              }
            : {}),
          ...points,
          publication,
          notes,
        };
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        const note = `GetMetricData failed: ${message}`;
        const whole = { schemaVersion: SERVER_TELEMETRY_VERSION, source: 'cloudwatch' as const, window, periodS: opts.read?.periodS ?? 60, metrics: [], notes: [note] };
        server = { schemaVersion: SCENARIO_SERVER_VERSION, source: 'cloudwatch', whole, series: [], concurrency: [], notes: [note] };
      }
      return { ...result, samples: withServerSamples(result.samples, result.spec.sampleS, server), server };
    },
  };
}

/** Endpoint epoch ms of a client epoch ms on a clock given as an anchor pair (the scenario's EndpointClock). */
export function endpointMsOf(clock: { readonly speedup: number; readonly anchorWallMs: number; readonly anchorVirtualMs: number }, wallMs: number): number {
  return clock.anchorVirtualMs + (wallMs - clock.anchorWallMs) * clock.speedup;
}

