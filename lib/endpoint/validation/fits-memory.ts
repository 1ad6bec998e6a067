import { checkFit, tpProblem } from '../../planner/deployment-shape';
import { problem, type DeploymentRule } from './types';

/** Weights plus KV cache for one request of maxTotalTokens must fit the accelerators of one copy. */
export const fitsMemory: DeploymentRule = {
  id: 'fits-memory',
  description: 'the model fits accelerator memory at this TP (planner checkFit)',
  impossibleCombination: true,
  check: (d) => {
    // Shape errors are reported by the TP rules; a fit check on an invalid TP would only add noise.
    if (tpProblem(d.model, d.instance, d.tp) !== undefined) return [];
    const fit = checkFit(d.model, d.instance, d.tp, { tokensPerSequence: d.tgi.maxTotalTokens });
    if (fit.fits) return [];
    const shortfall = fit.shortfallGB !== undefined ? `is short by ${fit.shortfallGB.toFixed(1)} GB` : 'does not fit';
    const detail = fit.reason ? ` (${fit.reason})` : '';
    return [
      problem('fits-memory', 'tp', `${d.model.id} at tp ${d.tp} on ${d.instance.name} ${shortfall}${detail}; allowed: a larger tp or instance type`),
    ];
  },
};
