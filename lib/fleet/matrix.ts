import type { InstanceTypeSpec, ModelSpec } from '../catalog/types';
import { chooseTp, resolveTgiSettings } from '../planner/deployment-shape';
import type { MatrixConfig } from './schema';
import type { DeploymentInput } from './resolve-deployment';

/**
 * Expands `models × instanceTypes × tp` into deployment inputs. `tp: 'default'` (or unset) takes
 * the TP `chooseTp` picks for each instance (JumpStart's default where there is one).
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

/** The listed TP degrees, else the one `chooseTp` picks (JumpStart's default, else the smallest that fits). */
function tpDegrees(matrix: MatrixConfig, model: ModelSpec, instance: InstanceTypeSpec): readonly number[] {
  if (Array.isArray(matrix.tp)) return matrix.tp;
  const tokensPerSequence = resolveTgiSettings(model, instance, 1, { maxTotalTokens: matrix.tgi?.maxTotalTokens }).maxTotalTokens;
  return [chooseTp({ model, instance, tokensPerSequence }).tp];
}
