import { problem, type DeploymentRule } from './types';

/** One model copy cannot span instances: TP is bounded by the GPUs of one instance. */
export const tpFitsAccelerators: DeploymentRule = {
  id: 'tp-fits-accelerators',
  description: 'TP must not exceed the accelerators of one instance',
  impossibleCombination: true,
  check: (d) =>
    d.tp <= d.instance.acceleratorCount
      ? []
      : [
          problem(
            'tp-fits-accelerators',
            'tp',
            `tp ${d.tp} exceeds the ${d.instance.acceleratorCount} accelerators of ${d.instance.name}; allowed 1..${d.instance.acceleratorCount}`,
          ),
        ],
};
