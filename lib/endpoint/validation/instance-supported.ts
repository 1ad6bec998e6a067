import { problem, type DeploymentRule } from './types';

/** JumpStart lists the instance types each model is packaged and tested for. */
export const instanceSupported: DeploymentRule = {
  id: 'instance-supported',
  description: 'the instance type is one the model supports',
  impossibleCombination: true,
  check: ({ model, instance }) => {
    const supported = Object.keys(model.defaultTpByInstance);
    if (supported.length === 0 || supported.includes(instance.name)) return [];
    return [
      problem(
        'instance-supported',
        'instanceType',
        `${instance.name} is not supported by ${model.id}; allowed ${supported.join(', ')}`,
      ),
    ];
  },
};
