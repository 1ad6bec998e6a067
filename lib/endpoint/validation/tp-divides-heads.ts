import { headsProblem, validTpDegrees } from '../../planner/deployment-shape';
import { problem, type DeploymentRule } from './types';

/** TGI shards attention (and KV) heads evenly: the planner's `headsProblem`, cited there. */
export const tpDividesHeads: DeploymentRule = {
  id: 'tp-divides-heads',
  description: 'TP must be a positive integer dividing the attention heads (and the KV heads, unless there is one)',
  impossibleCombination: true,
  check: ({ tp, model, instance }) => {
    if (!Number.isInteger(tp) || tp < 1) return [problem('tp-divides-heads', 'tp', `tp ${tp} must be a whole number ≥ 1`)];
    const heads = headsProblem(model, tp);
    return heads === undefined ? [] : [problem('tp-divides-heads', 'tp', `${heads.replace(/^TP/, 'tp')}; allowed ${validTpDegrees(model, instance).join(', ')}`)];
  },
};
