import { problem, type DeploymentRule } from './types';

/** TGI refuses to start unless max input tokens < max total tokens (room for ≥ 1 new token). */
export const tgiInputBelowTotal: DeploymentRule = {
  id: 'tgi-input-below-total',
  description: 'maxInputTokens < maxTotalTokens',
  impossibleCombination: false,
  check: ({ tgi }) =>
    tgi.maxInputTokens < tgi.maxTotalTokens
      ? []
      : [
          problem(
            'tgi-input-below-total',
            'tgi.maxInputTokens',
            `maxInputTokens ${tgi.maxInputTokens} must be below maxTotalTokens ${tgi.maxTotalTokens}; allowed ≤ ${tgi.maxTotalTokens - 1}`,
          ),
        ],
};
