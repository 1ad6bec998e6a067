import type { InstanceTypeSpec, ModelSpec, TgiSettings } from '../../catalog/types';

/** Autoscaling bounds of a deployment, as the rules see them. */
export interface ScalingBounds {
  readonly minInstances?: number;
  readonly maxInstances?: number;
  readonly minCopies?: number;
  readonly maxCopies?: number;
}

/** Everything a rule may look at: one model on one instance type in one layout. */
export interface DeploymentUnderCheck {
  readonly model: ModelSpec;
  readonly instance: InstanceTypeSpec;
  readonly region: string;
  readonly layout: 'variant' | 'inference-components';
  /** Tensor-parallel degree of one model copy. */
  readonly tp: number;
  /** Model copies across the whole endpoint (1 for the variant layout). */
  readonly copies: number;
  /** Instances behind the endpoint at creation. */
  readonly instances: number;
  readonly tgi: TgiSettings;
  readonly autoscaling?: ScalingBounds;
}

/** One problem: `field` is relative to the deployment (e.g. `tp`, `tgi.maxInputTokens`). */
export interface ValidationProblem {
  readonly rule: string;
  readonly field: string;
  /** Names the value and what is allowed. */
  readonly message: string;
}

/** A synth-time rule: one small check, data in a list (cdk-nag's shape). */
export interface DeploymentRule {
  readonly id: string;
  readonly description: string;
  /**
   * True when a failure means the model × instance × TP combination cannot exist at all
   * (a matrix expansion skips such combinations instead of failing).
   */
  readonly impossibleCombination: boolean;
  check(d: DeploymentUnderCheck): ValidationProblem[];
}

/** Builds a problem with the rule id filled in. */
export function problem(rule: string, field: string, message: string): ValidationProblem {
  return { rule, field, message };
}
