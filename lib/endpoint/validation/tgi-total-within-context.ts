import { problem, type DeploymentRule } from './types';

/** A request's input + new tokens cannot exceed the model's context window. */
export const tgiTotalWithinContext: DeploymentRule = {
  id: 'tgi-total-within-context',
  description: 'maxTotalTokens ≤ model context',
  impossibleCombination: false,
  check: ({ tgi, model }) =>
    tgi.maxTotalTokens <= model.contextTokens
      ? []
      : [
          problem(
            'tgi-total-within-context',
            'tgi.maxTotalTokens',
            `maxTotalTokens ${tgi.maxTotalTokens} exceeds ${model.id}'s context of ${model.contextTokens} tokens; allowed ≤ ${model.contextTokens}`,
          ),
        ],
};
