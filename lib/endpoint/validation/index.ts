import { UserInputError } from '../../errors';
import { autoscalingBounds } from './autoscaling-bounds';
import { copiesFitAccelerators } from './copies-fit-accelerators';
import { fitsMemory } from './fits-memory';
import { instanceSupported } from './instance-supported';
import { lmiContainerStarts } from './lmi-container-starts';
import { regionHasImage } from './region-has-image';
import { constructPropPath } from '../../planner/deployment-shape';
import { payloadFitsLimits } from './payload-fits-limits';
import { tgiContainerStarts } from './tgi-container-starts';
import { tpDividesHeads } from './tp-divides-heads';
import { tpFitsAccelerators } from './tp-fits-accelerators';
import type { DeploymentRule, DeploymentUnderCheck, ValidationProblem } from './types';

export type { DeploymentRule, DeploymentUnderCheck, ScalingBounds, ValidationProblem } from './types';

/** The rule pack, in reporting order. */
export const DEPLOYMENT_RULES: readonly DeploymentRule[] = [
  tpDividesHeads,
  tpFitsAccelerators,
  instanceSupported,
  fitsMemory,
  copiesFitAccelerators,
  tgiContainerStarts,
  lmiContainerStarts,
  payloadFitsLimits,
  regionHasImage,
  autoscalingBounds,
];

/** Runs every rule (or the given ones) and returns all problems found. */
export function checkDeployment(d: DeploymentUnderCheck, rules: readonly DeploymentRule[] = DEPLOYMENT_RULES): ValidationProblem[] {
  return rules.flatMap((rule) => rule.check(d) ?? []);
}

/** Problems that make a model × instance × TP combination impossible (a matrix skips these). */
export function impossibleCombinationProblems(d: DeploymentUnderCheck): ValidationProblem[] {
  return checkDeployment(
    d,
    DEPLOYMENT_RULES.filter((r) => r.impossibleCombination),
  );
}

/** Several problems found at once; `issues` keeps each with its full path. */
export class DeploymentValidationError extends UserInputError {
  public readonly issues: readonly { path: string; message: string }[];

  constructor(issues: readonly { path: string; message: string }[]) {
    const first = issues[0];
    super(first?.path ?? 'deployment', issues.map((i, n) => (n === 0 ? i.message : `${i.path}: ${i.message}`)).join('\n'));
    this.name = 'DeploymentValidationError';
    this.issues = issues;
  }
}

/**
 * Construct-time check: throws one DeploymentValidationError listing every problem, each at
 * `${path}.${prop}` where `prop` is the construct prop holding the field (`fieldToProp`, by default
 * `constructPropPath`: `tp` → `model.settings.tp`, `tgi.env.X` → `model.settings.extraEnv.X`).
 */
export function assertDeploymentValid(path: string, d: DeploymentUnderCheck, fieldToProp: (field: string) => string = constructPropPath): void {
  const problems = checkDeployment(d);
  if (problems.length === 0) return;
  throw new DeploymentValidationError(problems.map((p) => ({ path: `${path}.${fieldToProp(p.field)}`, message: p.message })));
}
