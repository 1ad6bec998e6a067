export { planQueries, type QueryPlan, type QueryOptions, type TelemetryTarget } from './queries';
export { readServerTelemetry, readMetricSeries, joinSeries, type ReadOptions, type ReadSeries } from './read-server-telemetry';
export { DEFAULT_SETTLE, lastPeriodPublished, parseSettleSeconds, readSettledTelemetry, type SettleOptions, type SettledReadOptions } from './settle';
export { clockFromInfo, discoverTargetClock, REAL_TIME, toTargetWindow, type TargetClock } from './target-clock';
export { levelTelemetry, type LevelTelemetryOptions } from './level-telemetry';
export { cloudWatchClientOf, parseTelemetryMode, sweepTelemetry, type SweepTelemetry, type SweepTelemetryOptions, type TelemetryMode } from './cli-telemetry';
export { telemetryTargetOf, gpusOf } from './deployment-target';
export { createScenarioTelemetry, endpointMsOf, type ScenarioTelemetry, type ScenarioTelemetryOptions, type ScenarioTelemetryWindow } from './scenario-telemetry';
