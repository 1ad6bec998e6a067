/**
 * `llm-bench plan --concurrency ...`: the planner's view plus the engine's predicted curve,
 * in the shapes the load generator reports.
 */
import { getInstanceType, getModel } from '../catalog';
import type { Knee } from '../results/records';
import { costPerMillionTokensUsd } from '../results/cost';
import type { StepTimeParams } from './calibration/params';
import { planConfiguration, type PlanRequest, type PlanView } from './plan';
import { predictCurve, type PredictedLevel } from './predict';

export interface PlanWithCurveRequest extends PlanRequest {
  /** Concurrency levels to predict; none → no curve. */
  readonly concurrency?: readonly number[];
  /** Step-time parameters (`--params FILE`). @default the shipped calibration */
  readonly stepTimeParams?: StepTimeParams;
}

export interface PlanWithCurve extends PlanView {
  readonly curve?: readonly PredictedLevel[];
  readonly maxFeasibleConcurrency?: number;
  readonly maxThroughput?: { readonly concurrency: number; readonly tokensPerS: number };
  /**
   * The knee of the predicted curve: the spec bound (`predictedKneeConcurrency`, from `kneeBound`)
   * placed at the highest predicted level not above it — the same knee the predicted sweep records
   * (`theoryKnee`, rule 'predicted'). The only knee `plan` prints.
   */
  readonly knee?: Knee;
  /** Cost per 1M output tokens at the predicted max throughput, USD. */
  readonly usdPerMillionTokensAtMaxThroughput?: number;
  /** Why no curve was predicted although levels were asked for (configuration does not fit or is refused). */
  readonly curveSkippedReason?: string;
}

/** The plan, and with `concurrency` the predicted curve, max feasible concurrency, max throughput and knee. */
export function planWithCurve(request: PlanWithCurveRequest): PlanWithCurve {
  const view = planConfiguration(request);
  const levels = request.concurrency ?? [];
  if (levels.length === 0) return view;
  const skip = !view.fits ? view.reason : view.problems.length > 0 ? view.problems.join('; ') : undefined;
  if (skip !== undefined) return { ...view, curve: [], curveSkippedReason: skip };

  const predicted = predictCurve({
    model: typeof request.model === 'string' ? getModel(request.model) : request.model,
    instance: typeof request.instance === 'string' ? getInstanceType(request.instance) : request.instance,
    tp: view.tp,
    copies: view.copies,
    instances: view.instances,
    inputTokens: view.inputTokens,
    outputTokens: view.outputTokens,
    tgi: request.tgi,
    engine: view.engine,
    ...(request.lmi !== undefined ? { lmi: request.lmi } : {}),
    concurrency: levels,
    ...(request.stepTimeParams !== undefined ? { stepTimeParams: request.stepTimeParams } : {}),
  });
  return {
    ...view,
    curve: predicted.curve,
    ...(predicted.maxFeasibleConcurrency !== undefined ? { maxFeasibleConcurrency: predicted.maxFeasibleConcurrency } : {}),
    ...(predicted.maxThroughput !== undefined
      ? {
          maxThroughput: predicted.maxThroughput,
          usdPerMillionTokensAtMaxThroughput: costPerMillionTokensUsd(view.hourlyUsd, predicted.maxThroughput.tokensPerS),
        }
      : {}),
    ...placedKnee(view, predicted.curve),
  };
}

/** The plan's bound placed on the predicted levels (highest level ≤ bound), as `theoryKnee` places it. */
function placedKnee(view: PlanView, curve: readonly PredictedLevel[]): { knee?: Knee } {
  const below = curve.map((l) => l.concurrency).filter((c) => c <= view.predictedKneeConcurrency);
  if (below.length === 0) return {};
  return { knee: { concurrency: Math.max(...below), rule: 'predicted', detail: view.predictedKneeDetail } };
}
