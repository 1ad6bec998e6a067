import type { PriceQuote } from '../catalog';
import type { InstanceTypeSpec, LmiSettings, ModelSpec, ServingEngine, TgiSettings } from '../catalog/types';
import type { BenchmarkInput, BenchmarkSchedule, ScheduledScenario } from '../benchmark/pipeline-state';
import type { TgiQuantize } from '../endpoint/tgi-settings-env';
import type { CapacityTimingParams } from '../planner/capacity-timing';

/**
 * Load-test settings of one deployment, all defaults applied: what the state machine carries
 * (BenchmarkInput, documented there) plus when to run it.
 */
export interface BenchmarkSettings extends BenchmarkInput {
  /** EventBridge Scheduler cron with its time zone, or 'off': the sweep's schedule. */
  readonly schedule: BenchmarkSchedule;
  /** Autoscaling scenarios (`benchmark.scenarios` besides `sweep`), each resolved with its own schedule. */
  readonly scenarios: readonly ScheduledScenario[];
}

/** Autoscaling of a deployment: instances (variant layout) or copies (inference components). */
export type ResolvedAutoscaling =
  | {
      readonly kind: 'instances';
      readonly minInstances: number;
      readonly maxInstances: number;
      readonly metric: 'concurrent-requests' | 'invocations';
      readonly targetValue: number;
      readonly scaleInCooldownS: number;
      readonly scaleOutCooldownS: number;
    }
  | {
      readonly kind: 'copies';
      readonly minCopies: number;
      readonly maxCopies: number;
      readonly minInstances: number;
      readonly maxInstances: number;
      readonly metric: 'concurrent-requests' | 'invocations';
      readonly targetValue: number;
      readonly scaleInCooldownS: number;
      readonly scaleOutCooldownS: number;
      readonly scaleToZero: boolean;
    };

export interface ResolvedDeployment {
  readonly id: string;
  /** CloudFormation stack of this deployment: `LlmBench-{fleet}-{id}`. */
  readonly stackName: string;
  readonly endpointName: string;
  readonly model: ModelSpec;
  readonly instanceType: InstanceTypeSpec;
  readonly layout: 'variant' | 'inference-components';
  readonly tp: number;
  /** Model copies across the whole endpoint (`CopyCount`); 1 for the variant layout. */
  readonly copies: number;
  /** Instances at creation. */
  readonly instances: number;
  /** Serving container: TGI, or LMI (djl-inference, vLLM). */
  readonly engine: ServingEngine;
  /**
   * TGI settings; for an LMI deployment the request limits of its LMI settings (`lmiRequestLimits`),
   * what the local twin and the planner serve it with.
   */
  readonly tgi: TgiSettings;
  /** LMI settings of an LMI deployment (rendered as OPTION_* variables). */
  readonly lmi?: LmiSettings;
  readonly quantize?: TgiQuantize;
  readonly dtype?: 'float16' | 'bfloat16';
  readonly extraEnv?: Readonly<Record<string, string>>;
  readonly acceptEula: boolean;
  readonly routing?: 'LEAST_OUTSTANDING_REQUESTS' | 'RANDOM';
  /** Set for the inference-components layout. */
  readonly inferenceComponentName?: string;
  /** Price of the instances at creation in the fleet's region, USD/h (after the discount). */
  readonly hourlyUsd: number;
  /** Price of one instance: region, source, date, discount. */
  readonly price: PriceQuote;
  /** Price at the autoscaling maximum (the initial size without autoscaling), USD/h (after the discount). */
  readonly maxHourlyUsd: number;
  readonly autoscaling?: ResolvedAutoscaling;
  readonly benchmark: BenchmarkSettings;
  /** The offline autoscaling twin's capacity model set in the fleet (`benchmark.twin.capacity`, defaults then deployment); never synthesized. */
  readonly twinCapacity?: Partial<CapacityTimingParams>;
  /** Where the deployment came from in the file (`deployments[2]` or `matrix`). */
  readonly sourcePath: string;
}

export interface ResolvedFleet {
  readonly name: string;
  readonly region: string;
  readonly deployments: readonly ResolvedDeployment[];
  /** Matrix combinations left out, with the reason. */
  readonly skipped: readonly { readonly id: string; readonly reason: string }[];
  /** Cost of all deployments at creation in the fleet's region, USD/h (after the discount). */
  readonly hourlyUsd: number;
  /** Discount applied to every price (0 when none). */
  readonly discount: number;
  /** Cost with every deployment at its autoscaling maximum, USD/h (after the discount): what the cost guard prices. */
  readonly peakHourlyUsd: number;
  /** The ceiling the fleet was checked against: its `maxHourlyUsd`, else DEFAULT_MAX_HOURLY_USD. */
  readonly maxHourlyUsd: number;
  /** True when the fleet file sets `maxHourlyUsd` itself. */
  readonly maxHourlyUsdExplicit: boolean;
}
