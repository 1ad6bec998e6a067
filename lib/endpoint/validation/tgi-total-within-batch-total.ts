import { problem, type DeploymentRule } from './types';

/** One request must fit the running batch's token budget, else TGI refuses to start. */
export const tgiTotalWithinBatchTotal: DeploymentRule = {
  id: 'tgi-total-within-batch-total',
  description: 'maxTotalTokens ≤ maxBatchTotalTokens (when set)',
  impossibleCombination: false,
  check: ({ tgi }) =>
    tgi.maxBatchTotalTokens === undefined || tgi.maxTotalTokens <= tgi.maxBatchTotalTokens
      ? []
      : [
          problem(
            'tgi-total-within-batch-total',
            'tgi.maxBatchTotalTokens',
            `maxBatchTotalTokens ${tgi.maxBatchTotalTokens} is below maxTotalTokens ${tgi.maxTotalTokens}; allowed ≥ ${tgi.maxTotalTokens} or unset`,
          ),
        ],
};
