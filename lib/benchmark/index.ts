export { BenchmarkPipeline, type BenchmarkPipelineProps } from './benchmark-pipeline';
export { BenchmarkFunctions, PIPELINE_STEPS, STEP_ENV, type PipelineStep } from './benchmark-functions';
export { SweepStateMachine, STATE_NAMES, INLINE_MAP_MAX_CONCURRENCY } from './sweep-state-machine';
export { SweepTriggers, scheduleExpression } from './triggers';
export { BenchmarkDashboard, BENCHMARK_NAMESPACE } from './dashboard';
export { ResultsBucket } from './results-bucket';
export { deploymentInputOf } from './deployment-input';
export type { PipelineFleet, PipelineDeployment, PipelineBenchmarkSettings } from './types';
