import { problem, type DeploymentRule } from './types';

/** The longest allowed input must fit one prefill pass. */
export const tgiPrefillCoversInput: DeploymentRule = {
  id: 'tgi-prefill-covers-input',
  description: 'maxBatchPrefillTokens ≥ maxInputTokens',
  impossibleCombination: false,
  check: ({ tgi }) =>
    tgi.maxBatchPrefillTokens >= tgi.maxInputTokens
      ? []
      : [
          problem(
            'tgi-prefill-covers-input',
            'tgi.maxBatchPrefillTokens',
            `maxBatchPrefillTokens ${tgi.maxBatchPrefillTokens} is below maxInputTokens ${tgi.maxInputTokens}; allowed ≥ ${tgi.maxInputTokens}`,
          ),
        ],
};
