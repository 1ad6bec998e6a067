import { getInstanceType, getModel } from '../../lib/catalog';
import { calibrationProvenance, type CalibrationProvenance } from '../../lib/planner/calibration/params';
import { PUBLISHED_STUDY } from '../../lib/planner/calibration/published';
import { checkFit } from '../../lib/planner/deployment-shape';
import { predictCurve, type PredictedCurve } from '../../lib/planner/predict';
import { studyConfigurations, type StudyConfiguration } from './study-configurations';

/** Predictions of every configuration of the published study, as written to reproduce.json. */

export interface ReproducedConfiguration extends StudyConfiguration {
  readonly label: string;
  /** False when the weights (plus one sequence of KV cache) do not fit; then nothing is predicted. */
  readonly fits: boolean;
  readonly fitReason?: string;
  /** Levels up to the first infeasible one (the sweep stops there, as the study's did). */
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
  'Each sweep stops at its first infeasible level (a request over the 60 s invocation limit, or > 1 % errors); later levels are shown as —.',
  'Closed-loop client in virtual time: warm-up of c completions, then a window of max(3c, 16) completions.',
];

export function configurationLabel(config: StudyConfiguration): string {
  const instances = config.instances > 1 ? ` × ${config.instances}` : '';
  return `${config.model} · ${config.instance}${instances} · TP ${config.tp}`;
}

export function reproduceConfiguration(config: StudyConfiguration, concurrency: readonly number[]): ReproducedConfiguration {
  const model = getModel(config.model);
  const instance = getInstanceType(config.instance);
  const label = configurationLabel(config);
  const fit = checkFit(model, instance, config.tp, { tokensPerSequence: config.payload.totalTokens });
  if (!fit.fits) return { ...config, label, fits: false, fitReason: fit.reason ?? 'does not fit' };
  const prediction = predictCurve({
    model,
    instance,
    tp: config.tp,
    instances: config.instances,
    inputTokens: config.payload.inputTokens,
    outputTokens: config.payload.outputTokens,
    concurrency,
    stopAtFirstInfeasible: true,
  });
  return { ...config, label, fits: true, prediction };
}

/** Predicts every configuration of the study. */
export function reproduceStudy(now: Date = new Date()): ReproducedStudy {
  const concurrency = PUBLISHED_STUDY.concurrency;
  return {
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    concurrency,
    calibration: calibrationProvenance(),
    assumptions: REPRODUCE_ASSUMPTIONS,
    configurations: studyConfigurations().map((config) => reproduceConfiguration(config, concurrency)),
  };
}
