import { problem, type DeploymentRule, type ValidationProblem } from './types';

/** Autoscaling minimum ≤ maximum, and the layout's initial size inside the bounds. */
export const autoscalingBounds: DeploymentRule = {
  id: 'autoscaling-bounds',
  description: 'autoscaling min ≤ max, initial size within [min, max]',
  impossibleCombination: false,
  check: (d) => {
    const a = d.autoscaling;
    if (!a) return [];
    const problems: ValidationProblem[] = [];
    const pairs: [string, number | undefined, number | undefined, string, number][] = [
      ['Instances', a.minInstances, a.maxInstances, 'instances', d.instances],
      ['Copies', a.minCopies, a.maxCopies, 'copies', d.copies],
    ];
    for (const [name, min, max, initialName, initial] of pairs) {
      if (min !== undefined && max !== undefined && min > max) {
        problems.push(
          problem('autoscaling-bounds', `autoscaling.min${name}`, `min${name} ${min} exceeds max${name} ${max}; allowed ≤ ${max}`),
        );
        continue;
      }
      if (max !== undefined && initial > max) {
        problems.push(
          problem('autoscaling-bounds', `autoscaling.max${name}`, `max${name} ${max} is below ${initialName} ${initial}; allowed ≥ ${initial}`),
        );
      }
    }
    return problems;
  },
};
