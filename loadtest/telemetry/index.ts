export { planQueries, type QueryPlan, type QueryOptions, type TelemetryTarget } from './queries';
export { readServerTelemetry, type ReadOptions } from './read-server-telemetry';
export { clockFromInfo, discoverTargetClock, REAL_TIME, toTargetWindow, type TargetClock } from './target-clock';
export { levelTelemetry, type LevelTelemetryOptions } from './level-telemetry';
export { parseTelemetryMode, sweepTelemetry, type SweepTelemetry, type SweepTelemetryOptions, type TelemetryMode } from './cli-telemetry';
export { telemetryTargetOf, gpusOf } from './deployment-target';
