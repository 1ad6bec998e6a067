import { supportedInstances } from '../../planner/deployment-shape';
import { problem, type DeploymentRule } from './types';

/**
 * The instance type has a JumpStart default TP for the model: TGI can shard at JumpStart's
 * SM_NUM_GPUS and one request fits (`supportedInstances`).
 */
export const instanceSupported: DeploymentRule = {
  id: 'instance-supported',
  description: 'the instance type is one the model supports at its JumpStart TP',
  impossibleCombination: true,
  check: ({ model, instance }) => {
    const supported = supportedInstances(model).map((s) => s.instance);
    if (supported.length === 0 || supported.includes(instance.name)) return [];
    return [problem('instance-supported', 'instanceType', `${instance.name} is not supported by ${model.id}; allowed ${supported.join(', ')}`)];
  },
};
