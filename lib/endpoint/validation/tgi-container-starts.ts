import { checkContainerStart, checkFit, fleetPath, propLabel, TGI_START_RULES, tpProblem } from '../../planner/deployment-shape';
import type { DeploymentRule } from './types';

/**
 * The container's environment (typed settings + `extraEnv`) passes TGI's start rules
 * (`TGI_START_RULES`, each citing the launcher line it encodes); one problem per broken rule,
 * under that rule's id.
 */
export const tgiContainerStarts: DeploymentRule = {
  id: 'tgi-container-starts',
  description: "the container environment passes TGI's launcher and warm-up rules",
  impossibleCombination: false,
  check: (d) => {
    if (d.lmi !== undefined) return [];
    // A variant's container sees every GPU of the instance; an inference component's, its accelerators.
    const gpus = d.layout === 'variant' ? d.instance.acceleratorCount : d.tp;
    // KV capacity is judged only where one request fits (otherwise `fits-memory` already reports it).
    const memoryOk = tpProblem(d.model, d.instance, d.tp) === undefined && checkFit(d.model, d.instance, d.tp, { tokensPerSequence: d.tgi.maxTotalTokens }).fits;
    return checkContainerStart(
      { model: d.model, settings: d.tgi, tp: d.tp, extraEnv: d.extraEnv, gpus, memory: memoryOk ? { instance: d.instance, tp: d.tp } : undefined, label: propLabel },
      TGI_START_RULES,
    ).map((p) => ({ rule: p.rule, field: fleetPath(p.field), message: p.message }));
  },
};
