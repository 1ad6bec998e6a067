import type { BenchmarkInput, BenchmarkSchedule, ScheduledScenario } from './pipeline-state';

/**
 * The part of a resolved fleet the benchmark pipeline needs (structurally a subset of
 * lib/fleet's ResolvedFleet, so the pipeline does not depend on how fleets are parsed).
 */
/**
 * Benchmark settings of a deployment: what the state machine carries (BenchmarkInput, one field
 * list for both) plus the schedule, which only the triggers read.
 */
export type PipelineBenchmarkSettings = BenchmarkInput & {
  /** EventBridge Scheduler cron (`cron(...)` or its 6 fields) with an IANA time zone, or off: the sweep's schedule. */
  readonly schedule: BenchmarkSchedule;
  /** Autoscaling scenarios of the deployment, each with its own schedule. @default none */
  readonly scenarios?: readonly ScheduledScenario[];
};

export interface PipelineDeployment {
  readonly id: string;
  readonly endpointName: string;
  readonly inferenceComponentName?: string;
  readonly model: { readonly id: string };
  readonly instanceType: { readonly name: string };
  readonly tp: number;
  readonly copies: number;
  readonly instances: number;
  readonly hourlyUsd: number;
  /** Discount of the fleet's prices (the report step re-prices with it). */
  readonly price?: { readonly discount: number };
  /** Set when Application Auto Scaling scales the deployment: the sweep pins the layout while it measures. */
  readonly autoscaling?: { readonly kind: 'instances' | 'copies'; readonly scaleToZero?: boolean };
  readonly benchmark: PipelineBenchmarkSettings;
}

export interface PipelineFleet {
  readonly name: string;
  readonly deployments: readonly PipelineDeployment[];
}
