import { calibrationProvenance, type CalibrationProvenance, type StepTimeParams } from '../../lib/planner/calibration/params';
import { PUBLISHED_STUDY } from '../../lib/planner/calibration/published';
import { planWithCurve } from '../../lib/planner/plan-curve';
import type { PredictedCurve } from '../../lib/planner/predict';
import { studyConfigurations, type StudyConfiguration } from './study-configurations';

/** Predictions of every configuration of the published study, as written to reproduce.json. */

export interface ReproducedConfiguration extends StudyConfiguration {
  readonly label: string;
  /** False when `plan` predicts no curve (the deployment does not fit, or its settings are refused); then fitReason says why. */
  readonly fits: boolean;
  readonly fitReason?: string;
  /** The curve `llm-bench plan` predicts for the same deployment (the same code path). */
  readonly prediction?: PredictedCurve;
}

export interface ReproducedStudy {
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  readonly concurrency: readonly number[];
  readonly calibration: CalibrationProvenance;
  readonly assumptions: readonly string[];
  readonly configurations: readonly ReproducedConfiguration[];
}

export const REPRODUCE_ASSUMPTIONS: readonly string[] = [
  'Payload 512 = 256 input + 256 output tokens (calibration file); payload 4,096 = 3,840 input + 256 output tokens (the study states the total only).',
  'TGI settings from the catalog (containerDefaults: JumpStart spec values, derived ones marked); ml.p4d.24xlarge endpoints admit 512 concurrent requests (JumpStart sets it for Llama 2; for the other models it is derived from the published p4d sweep), and so (assumed) do ml.p4de.24xlarge ones.',
  'Each configuration is predicted by the same code path as `llm-bench plan --concurrency …` for that deployment.',
  'Infeasible levels (a request over the 60 s invocation limit, or > 1 % errors) are shown as —.',
  'Closed-loop client in virtual time: workers start staggered over one request time, warm-up of c completions, then a window of max(3c, 40) completions; the throughput of an error-free level by Little\'s law (c / mean e2e).',
];

export function configurationLabel(config: StudyConfiguration): string {
  const instances = config.instances > 1 ? ` × ${config.instances}` : '';
  return `${config.model} · ${config.instance}${instances} · TP ${config.tp}`;
}

export function reproduceConfiguration(config: StudyConfiguration, concurrency: readonly number[], stepTimeParams?: StepTimeParams): ReproducedConfiguration {
  const label = configurationLabel(config);
  const plan = planWithCurve({
    model: config.model,
    instance: config.instance,
    tp: config.tp,
    instances: config.instances,
    inputTokens: config.payload.inputTokens,
    outputTokens: config.payload.outputTokens,
    concurrency,
    ...(stepTimeParams !== undefined ? { stepTimeParams } : {}),
  });
  if (plan.curveSkippedReason !== undefined || plan.curve === undefined) {
    return { ...config, label, fits: false, fitReason: plan.curveSkippedReason ?? plan.reason ?? 'does not fit' };
  }
  const prediction: PredictedCurve = {
    curve: [...plan.curve],
    ...(plan.maxFeasibleConcurrency !== undefined ? { maxFeasibleConcurrency: plan.maxFeasibleConcurrency } : {}),
    ...(plan.maxThroughput !== undefined ? { maxThroughput: plan.maxThroughput } : {}),
    ...(plan.knee !== undefined ? { knee: plan.knee } : {}),
  };
  return { ...config, label, fits: true, prediction };
}

/** Predicts every configuration of the study. */
export function reproduceStudy(now: Date = new Date(), stepTimeParams?: StepTimeParams): ReproducedStudy {
  const concurrency = PUBLISHED_STUDY.concurrency;
  return {
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    concurrency,
    calibration: stepTimeParams === undefined ? calibrationProvenance() : { ...calibrationProvenance(), procedure: 'parameters from --params', fittedAt: 'see --params file' },
    assumptions: REPRODUCE_ASSUMPTIONS,
    configurations: studyConfigurations().map((config) => reproduceConfiguration(config, concurrency, stepTimeParams)),
  };
}
