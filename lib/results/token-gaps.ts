import type { RequestRecord } from './records';

/**
 * Calls `fn` with every inter-token gap of a streamed record, ms (raw, before any speedup): a network
 * read carrying k token events after g ms (since the previous read carrying tokens) counts as k
 * gaps of g/k, so multi-token reads do not inflate the inter-token latency. Reads before the first
 * token are not gaps; tokens arriving in the same read as the first token have no measurable gap
 * and are not counted. When the server reports more tokens than token events (`outputTokens` >
 * Σ chunkTokens: events carrying several tokens), each read's count is scaled by their ratio.
 * A record without `chunkTokens` (schema 1, or a non-streamed request) has no gaps.
 * Returns the number of gaps.
 */
export function forEachTokenGap(record: Pick<RequestRecord, 'chunkTokens' | 'interChunkGapsMs'> & Partial<Pick<RequestRecord, 'outputTokens'>>, fn: (gapMs: number) => void): number {
  const tokens = record.chunkTokens;
  const gaps = record.interChunkGapsMs;
  if (tokens === undefined || tokens.length < 2) return 0;
  // An event may carry several tokens (an OpenAI-compatible chunk whose text is 3 tokens): when the
  // server reports more tokens than events, each read's count is scaled by tokens / events.
  let events = 0;
  for (const k of tokens) events += k;
  const scale = record.outputTokens !== undefined && events > 0 && record.outputTokens > events ? record.outputTokens / events : 1;
  let i = 0;
  while (i < tokens.length && tokens[i] === 0) i++;
  let count = 0;
  let elapsed = 0;
  for (i += 1; i < tokens.length; i++) {
    elapsed += gaps?.[i - 1] ?? 0;
    if (tokens[i] <= 0) continue;
    const k = Math.max(1, Math.round(tokens[i] * scale));
    const gap = elapsed / k;
    for (let j = 0; j < k; j++) fn(gap);
    count += k;
    elapsed = 0;
  }
  return count;
}
