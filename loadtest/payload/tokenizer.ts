import llamaTokenizer from 'llama-tokenizer-js';

/**
 * Token counts with the Llama (SentencePiece BPE) tokenizer shipped in llama-tokenizer-js,
 * BOS included, as a Llama 2 TGI server counts a prompt's input tokens.
 */
export function countTokens(text: string): number {
  return llamaTokenizer.encode(text, true, true).length;
}

/** Tokens of a word with its leading space, no BOS (1 for most common English words). */
export function wordTokens(word: string): number {
  return llamaTokenizer.encode(word, false, true).length;
}
