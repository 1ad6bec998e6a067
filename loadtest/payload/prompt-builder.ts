import { UserInputError } from '../../lib/errors';
import { createPrng } from './prng';
import { countTokens, wordTokens } from './tokenizer';

/** Common English words; those that are one Llama token each (with their leading space) make prompts. */
const WORDS = (
  'the of and to in is was for on that with as by at from his her it an are were which be this had not but ' +
  'have one all new more other there some time when first two after into also can only many most years made ' +
  'over such would their what then them these so may out about up about people city world state school ' +
  'house water light river music market history system family number order point power small large early ' +
  'open water long great right under while place where story river party service second still high three ' +
  'last good work year before between back through same during found said well known part four each being ' +
  'country area life name early own public under both game group since line team left around held house'
).split(' ');

let singleTokenWords: readonly string[] | undefined;

function vocabulary(): readonly string[] {
  singleTokenWords ??= [...new Set(WORDS)].filter((word) => wordTokens(word) === 1);
  return singleTokenWords;
}

const MAX_ADJUSTMENTS = 64;

/**
 * Builds a prompt of exactly `tokens` Llama tokens (BOS included) from seeded word picks, and
 * verifies it with the tokenizer. With `frame`, the count is that of `frame(prompt)` (a chat
 * template around the text): the returned text is what goes inside it. Throws if no such prompt
 * could be built (never silently off by one).
 */
export function buildPrompt(tokens: number, seed: number, field = 'inputTokens', frame: (text: string) => string = (text) => text): string {
  const overhead = countTokens(frame(vocabulary()[0] as string)) - 1;
  if (!Number.isInteger(tokens) || tokens < overhead + 1) {
    throw new UserInputError(field, `${tokens} must be an integer ≥ ${overhead + 1} (BOS${overhead > 1 ? ', the chat template' : ''} and at least one token)`);
  }
  const words = vocabulary();
  const random = createPrng(seed);
  const picked: string[] = [];
  for (let i = 0; i < tokens - overhead; i++) picked.push(words[Math.floor(random() * words.length)]);
  for (let attempt = 0; attempt < MAX_ADJUSTMENTS; attempt++) {
    const prompt = picked.join(' ');
    const count = countTokens(frame(prompt));
    if (count === tokens) return prompt;
    // A word pair merged (or split): add or drop words until the count is exact.
    if (count < tokens) picked.push(words[Math.floor(random() * words.length)]);
    else picked.pop();
  }
  throw new Error(`could not build a prompt of exactly ${tokens} tokens`);
}
