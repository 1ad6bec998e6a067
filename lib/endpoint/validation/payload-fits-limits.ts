import { problem, type DeploymentRule, type ValidationProblem } from './types';

/**
 * Every benchmark request must pass the container's request validation (an LMI deployment: prompt +
 * output ≤ OPTION_MAX_MODEL_LEN). TGI's: input ≤ MAX_INPUT_TOKENS and
 * input + output ≤ MAX_TOTAL_TOKENS, else TGI answers 422 to every request of the sweep
 * (text-generation-inference v2.3.1 router/src/validation.rs lines 154 and 163: "`inputs` tokens + `max_new_tokens` must be <= …", "`inputs` must have less than … tokens").
 */
export const payloadFitsLimits: DeploymentRule = {
  id: 'payload-fits-tgi-limits',
  description: 'the benchmark payload fits MAX_INPUT_TOKENS and MAX_TOTAL_TOKENS',
  impossibleCombination: false,
  check: ({ payload, tgi, lmi }) => {
    if (payload === undefined) return [];
    if (lmi !== undefined) {
      // vLLM refuses a request whose prompt + max_tokens exceed max_model_len (400, "maximum context length").
      const total = payload.inputTokens + payload.outputTokens;
      if (total <= lmi.maxModelLen) return [];
      return [
        problem(
          'payload-fits-tgi-limits',
          'benchmark.outputTokens',
          `inputTokens + outputTokens = ${total} exceeds lmi.maxModelLen ${lmi.maxModelLen} (OPTION_MAX_MODEL_LEN): vLLM would refuse every request; allowed ≤ ${lmi.maxModelLen}, or raise lmi.maxModelLen`,
        ),
      ];
    }
    const problems: ValidationProblem[] = [];
    if (payload.inputTokens > tgi.maxInputTokens) {
      problems.push(
        problem(
          'payload-fits-tgi-limits',
          'benchmark.inputTokens',
          `inputTokens ${payload.inputTokens} exceeds tgi.maxInputTokens ${tgi.maxInputTokens} (MAX_INPUT_TOKENS): TGI would answer 422 to every request; allowed ≤ ${tgi.maxInputTokens}, or raise tgi.maxInputTokens`,
        ),
      );
    }
    const total = payload.inputTokens + payload.outputTokens;
    if (total > tgi.maxTotalTokens) {
      problems.push(
        problem(
          'payload-fits-tgi-limits',
          'benchmark.outputTokens',
          `inputTokens + outputTokens = ${total} exceeds tgi.maxTotalTokens ${tgi.maxTotalTokens} (MAX_TOTAL_TOKENS): TGI would answer 422 to every request; allowed ≤ ${tgi.maxTotalTokens}, or raise tgi.maxTotalTokens`,
        ),
      );
    }
    return problems;
  },
};
