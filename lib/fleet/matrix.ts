import { jumpStartEngine } from '../catalog';
import type { InstanceTypeSpec, ModelSpec, ServingEngine } from '../catalog/types';
import { chooseTp, resolveLmiSettings, resolveTgiSettings } from '../planner/deployment-shape';
import type { MatrixConfig } from './schema';
import type { DeploymentInput } from './resolve-deployment';

/**
 * Expands `models × instanceTypes × engines × tp` into deployment inputs (engines: the listed ones,
 * else each model's own). `tp: 'default'` (or unset) takes
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
      const engines = enginesOf(matrix, model);
      for (const engine of engines) {
        for (const tp of tpDegrees(matrix, model, instance, engine)) {
          inputs.push({
            sourcePath: 'matrix',
            model,
            instance,
            engine,
            engineInId: engines.length > 1,
            tp,
            copies: matrix.copies,
            instances: matrix.instances,
            layout: matrix.layout,
            acceptEula: matrix.acceptEula,
            tgi: matrix.tgi,
            lmi: matrix.lmi,
            autoscaling: matrix.autoscaling,
            benchmark: matrix.benchmark,
          });
        }
      }
    }
  }
  return inputs;
}

/** The listed TP degrees, else the one `chooseTp` picks (JumpStart's default, else the smallest that fits). */
function tpDegrees(matrix: MatrixConfig, model: ModelSpec, instance: InstanceTypeSpec, engine: ServingEngine): readonly number[] {
  if (Array.isArray(matrix.tp)) return matrix.tp;
  const tokensPerSequence =
    engine === 'lmi'
      ? resolveLmiSettings(model, instance, { maxModelLen: matrix.lmi?.maxModelLen }).maxModelLen
      : resolveTgiSettings(model, instance, 1, { maxTotalTokens: matrix.tgi?.maxTotalTokens }).maxTotalTokens;
  return [chooseTp({ model, instance, tokensPerSequence }).tp];
}

/** The matrix's engines (one or a list), else the model's own (JumpStart's). */
function enginesOf(matrix: MatrixConfig, model: ModelSpec): readonly ServingEngine[] {
  if (matrix.engine === undefined) return [jumpStartEngine(model.jumpStartId)];
  return Array.isArray(matrix.engine) ? matrix.engine : [matrix.engine];
}
