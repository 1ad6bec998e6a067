import type { InstanceTypeSpec, ModelSpec } from '../catalog/types';
import { validTpDegrees } from '../planner/fit';
import type { MatrixConfig } from './schema';
import type { DeploymentInput } from './resolve-deployment';

/**
 * Expands `models × instanceTypes × tp` into deployment inputs. `tp: 'default'` (or unset) takes
 * JumpStart's default TP for each instance (all its GPUs when the catalog has none).
 */
export function expandMatrix(
  matrix: MatrixConfig,
  models: readonly ModelSpec[],
  instances: readonly InstanceTypeSpec[],
): DeploymentInput[] {
  const inputs: DeploymentInput[] = [];
  for (const model of models) {
    for (const instance of instances) {
      for (const tp of tpDegrees(matrix, model, instance)) {
        inputs.push({
          sourcePath: 'matrix',
          model,
          instance,
          tp,
          copies: matrix.copies,
          instances: matrix.instances,
          layout: matrix.layout,
          acceptEula: matrix.acceptEula,
          tgi: matrix.tgi,
          autoscaling: matrix.autoscaling,
          benchmark: matrix.benchmark,
        });
      }
    }
  }
  return inputs;
}

function tpDegrees(matrix: MatrixConfig, model: ModelSpec, instance: InstanceTypeSpec): readonly number[] {
  if (Array.isArray(matrix.tp)) return matrix.tp;
  const jumpStart = model.defaultTpByInstance[instance.name];
  if (jumpStart !== undefined) return [jumpStart];
  const valid = validTpDegrees(model, instance);
  return [valid[valid.length - 1] ?? instance.acceleratorCount];
}
