/**
 * The part of a resolved fleet the benchmark pipeline needs (structurally a subset of
 * lib/fleet's ResolvedFleet, so the pipeline does not depend on how fleets are parsed).
 */
export interface PipelineBenchmarkSettings {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly concurrency: readonly number[] | 'auto';
  readonly maxConcurrency: number;
  readonly durationS: number;
  readonly warmupRequests: number;
  readonly stream: boolean;
  readonly workers: number;
  readonly latencyBoundMsPerToken: number;
  readonly maxErrorRate: number;
  readonly timeoutS: number;
  readonly plateauGain: number;
  /** EventBridge Scheduler cron (`cron(...)` or its 6 fields) with an IANA time zone, or off. */
  readonly schedule: { readonly cron: string; readonly timeZone: string } | 'off';
  readonly regressionThresholdPct: number;
}

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
  readonly benchmark: PipelineBenchmarkSettings;
}

export interface PipelineFleet {
  readonly name: string;
  readonly deployments: readonly PipelineDeployment[];
}
