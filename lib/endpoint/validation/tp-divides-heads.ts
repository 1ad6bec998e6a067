import { problem, type DeploymentRule } from './types';

/**
 * TGI shards attention heads evenly across GPUs, so TP must divide the head count; KV heads are
 * split evenly or, when fewer than the shards, replicated (TP a multiple of them). Same rule as
 * the planner's `tpProblem` (lib/planner/fit.ts).
 */
export const tpDividesHeads: DeploymentRule = {
  id: 'tp-divides-heads',
  description: 'TP must be a positive integer dividing the attention heads (and compatible with the KV heads)',
  impossibleCombination: true,
  check: ({ tp, model }) => {
    if (!Number.isInteger(tp) || tp < 1) return [problem('tp-divides-heads', 'tp', `tp ${tp} must be a whole number ≥ 1`)];
    if (model.attentionHeads % tp !== 0) {
      return [problem('tp-divides-heads', 'tp', `tp ${tp} must divide ${model.id}'s ${model.attentionHeads} attention heads`)];
    }
    const kvSplit = model.kvHeads >= tp ? model.kvHeads % tp === 0 : tp % model.kvHeads === 0;
    if (!kvSplit) {
      return [problem('tp-divides-heads', 'tp', `tp ${tp} neither divides nor is a multiple of ${model.id}'s ${model.kvHeads} KV heads`)];
    }
    return [];
  },
};
