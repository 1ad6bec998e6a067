import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { UserInputError } from '../../lib/errors';
import type { LevelResult } from '../../lib/results/records';
import type { TargetSpec } from '../targets/types';
import { gpusOf } from './deployment-target';
import { windowTelemetry } from './level-telemetry';
import type { SettleOptions } from './settle';
import { discoverTargetClock } from './target-clock';

export type TelemetryMode = 'on' | 'off';

export function parseTelemetryMode(text: string | undefined, field = '--telemetry'): TelemetryMode {
  const value = text ?? 'on';
  if (value !== 'on' && value !== 'off') throw new UserInputError(field, `must be 'on' or 'off', got '${value}'`);
  return value;
}

/** A CloudWatch client for AWS (`region`, or the SDK's default) or for a local endpoint at `endpointUrl` (dummy credentials). */
export function cloudWatchClientOf(opts: { readonly region?: string; readonly endpointUrl?: string }): CloudWatchClient {
  return new CloudWatchClient({
    ...(opts.region !== undefined ? { region: opts.region } : {}),
    ...(opts.endpointUrl !== undefined ? { endpoint: opts.endpointUrl, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, region: opts.region ?? 'us-east-1' } : {}),
  });
}

export interface SweepTelemetryOptions {
  readonly spec: TargetSpec;
  readonly mode: TelemetryMode;
  readonly region?: string;
  /** SageMaker runtime URL override (a local endpoint): CloudWatch is asked there too. */
  readonly endpointUrl?: string;
  /** Instance type of the endpoint, for GPUs per instance. */
  readonly instanceType?: string;
  /** The wait for each level's last period to be published. @default DEFAULT_SETTLE */
  readonly settle?: SettleOptions;
}

export interface SweepTelemetry {
  /** The level joined to the endpoint's metrics of its measured window (epoch ms of the client's clock). */
  readonly enrichLevel: (level: LevelResult, window: { readonly startMs: number; readonly endMs: number }) => Promise<LevelResult>;
  close(): void;
}

/**
 * The CLI sweep's telemetry: for a SageMaker target (and `--telemetry on`), each level is joined to
 * the endpoint's CloudWatch metrics of its window, read at `--endpoint-url` when given (the local
 * twin, on the clock it advertises in GET /info) or from CloudWatch in `--region`. Other targets have
 * no CloudWatch: undefined.
 */
export async function sweepTelemetry(opts: SweepTelemetryOptions): Promise<SweepTelemetry | undefined> {
  if (opts.mode === 'off' || opts.spec.kind !== 'sagemaker') return undefined;
  const client = cloudWatchClientOf(opts);
  const clock = await discoverTargetClock(opts.endpointUrl);
  const target = {
    endpointName: opts.spec.endpointName,
    ...(opts.spec.inferenceComponent !== undefined ? { inferenceComponent: opts.spec.inferenceComponent } : {}),
    ...gpusOf(opts.instanceType),
  };
  return {
    enrichLevel: (level, window) => windowTelemetry(level, window, { client, target, clock, ...(opts.settle ? { settle: opts.settle } : {}) }),
    close: () => client.destroy(),
  };
}
