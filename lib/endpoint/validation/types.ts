import type { InstanceTypeSpec, LmiSettings, ModelSpec, TgiSettings } from '../../catalog/types';
import type { Rule } from '../../results/rule';

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
  /** TGI settings; for an LMI deployment, the request limits of its settings (`lmiRequestLimits`). */
  readonly tgi: TgiSettings;
  /** Set for an LMI (`djl-inference`) deployment: its settings, judged by LMI's and vLLM's start rules. */
  readonly lmi?: LmiSettings;
  /** Compute dtype the container is told (`DTYPE` for TGI, `OPTION_DTYPE` for LMI). */
  readonly dtype?: string;
  /** Extra container environment over the typed settings (escape hatch), as the container will see it. */
  readonly extraEnv?: Readonly<Record<string, string>>;
  readonly autoscaling?: ScalingBounds;
  /** The benchmark's request: input and output tokens every request of the sweep sends. */
  readonly payload?: { readonly inputTokens: number; readonly outputTokens: number };
}

/**
 * One problem: `field` is the deployment-relative path in fleet-file terms (e.g. `tp`,
 * `tgi.maxInputTokens`, `tgi.env.MAX_INPUT_LENGTH`); constructs map it to their props.
 */
export interface ValidationProblem {
  readonly rule: string;
  readonly field: string;
  /** Names the value and what is allowed. */
  readonly message: string;
}

/** A synth-time rule: one small check, data in a list (cdk-nag's shape). */
export interface DeploymentRule extends Rule<string, [DeploymentUnderCheck], readonly ValidationProblem[]> {
  /**
   * True when a failure means the model × instance × TP combination cannot exist at all
   * (a matrix expansion skips such combinations instead of failing).
   */
  readonly impossibleCombination: boolean;
}

/** Builds a problem with the rule id filled in. */
export function problem(rule: string, field: string, message: string): ValidationProblem {
  return { rule, field, message };
}
