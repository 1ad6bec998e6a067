import { checkLmiContainerStart, lmiFleetPath, lmiPropLabel } from '../../planner/deployment-shape';
import type { DeploymentRule } from './types';

/**
 * An LMI deployment's container environment (typed settings + `extraEnv`) passes LMI's and vLLM's
 * start rules (`LMI_START_RULES`, each citing the line it encodes); one problem per broken rule,
 * under that rule's id, at the fleet path of the field (`lmi.maxNumBatchedTokens`, `lmi.env.X`).
 */
export const lmiContainerStarts: DeploymentRule = {
  id: 'lmi-container-starts',
  description: "the LMI container environment passes djl-serving's and vLLM's start rules",
  impossibleCombination: false,
  check: (d) => {
    if (d.lmi === undefined) return [];
    // A variant's container sees every GPU of the instance; an inference component's, its accelerators.
    const gpus = d.layout === 'variant' ? d.instance.acceleratorCount : d.tp;
    return checkLmiContainerStart({ model: d.model, settings: d.lmi, tp: d.tp, dtype: d.dtype, extraEnv: d.extraEnv, gpus, label: lmiPropLabel }).map((p) => ({
      rule: p.rule,
      field: lmiFleetPath(p.field),
      message: p.message,
    }));
  },
};
