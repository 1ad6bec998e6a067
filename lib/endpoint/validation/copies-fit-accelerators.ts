import { problem, type DeploymentRule, type ValidationProblem } from './types';

/** Every copy needs `tp` whole accelerators: copies × TP ≤ accelerators × instances. */
export const copiesFitAccelerators: DeploymentRule = {
  id: 'copies-fit-accelerators',
  description: 'copies × TP must fit the accelerators of all instances',
  impossibleCombination: false,
  check: (d) => {
    const problems: ValidationProblem[] = [];
    if (!Number.isInteger(d.copies) || d.copies < 1) {
      problems.push(problem('copies-fit-accelerators', 'copies', `copies ${d.copies} must be an integer ≥ 1`));
      return problems;
    }
    // An invalid TP is reported by the TP rules; the arithmetic below would only repeat it.
    if (!Number.isInteger(d.tp) || d.tp < 1 || d.tp > d.instance.acceleratorCount) return problems;
    const slots = d.instance.acceleratorCount * d.instances;
    if (d.copies * d.tp > slots) {
      problems.push(
        problem(
          'copies-fit-accelerators',
          'copies',
          `copies ${d.copies} × tp ${d.tp} = ${d.copies * d.tp} accelerators, but ${d.instances} × ${d.instance.name} has ${slots}; allowed copies ≤ ${Math.floor(slots / d.tp)}`,
        ),
      );
    }
    const maxCopies = d.autoscaling?.maxCopies;
    const maxInstances = d.autoscaling?.maxInstances ?? d.instances;
    if (maxCopies !== undefined && maxCopies * d.tp > d.instance.acceleratorCount * maxInstances) {
      const allowed = Math.floor((d.instance.acceleratorCount * maxInstances) / d.tp);
      problems.push(
        problem(
          'copies-fit-accelerators',
          'autoscaling.maxCopies',
          `maxCopies ${maxCopies} × tp ${d.tp} exceeds the accelerators of ${maxInstances} × ${d.instance.name}; allowed maxCopies ≤ ${allowed}`,
        ),
      );
    }
    return problems;
  },
};
