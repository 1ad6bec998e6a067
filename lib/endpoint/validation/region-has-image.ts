import { getTgiImage } from '../../catalog';
import { UserInputError } from '../../errors';
import { problem, type DeploymentRule } from './types';

/** The TGI image (Hugging Face LLM DLC) is published per region. */
export const regionHasImage: DeploymentRule = {
  id: 'region-has-image',
  description: 'the region has a TGI image',
  impossibleCombination: false,
  check: ({ region }) => {
    try {
      getTgiImage(region);
      return [];
    } catch (error) {
      if (!(error instanceof UserInputError)) throw error;
      return [problem('region-has-image', 'region', error.message.replace(/^[^:]*:\s*/, ''))];
    }
  },
};
