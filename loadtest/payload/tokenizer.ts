import llamaTokenizer from 'llama-tokenizer-js';

/** Literal markers of Llama's special tokens in rendered chat templates (ids 1 and 2). */
export const specialTokenMarkers = { bos: '<s>', eos: '</s>' } as const;

const MARKER = /<\/?s>/;
const MARKERS = /<\/?s>/g;

/**
 * Token counts with the Llama (SentencePiece BPE) tokenizer shipped in llama-tokenizer-js,
 * BOS included, as a Llama 2 TGI server counts a prompt's input tokens. A literal `<s>` or `</s>`
 * inside the text (later turns of a rendered chat template) counts as the one special token a
 * Hugging Face tokenizer reads it as; the text between markers is encoded as its own piece
 * (SentencePiece's dummy prefix space included, as the slow Llama tokenizer does).
 */
export function countTokens(text: string): number {
  if (!MARKER.test(text)) return llamaTokenizer.encode(text, true, true).length;
  const markers = text.match(MARKERS)?.length ?? 0;
  let count = 1 + markers;
  for (const piece of text.split(MARKERS)) if (piece !== '') count += llamaTokenizer.encode(piece, false, true).length;
  return count;
}

/** Tokens of a word with its leading space, no BOS (1 for most common English words). */
export function wordTokens(word: string): number {
  return llamaTokenizer.encode(word, false, true).length;
}
