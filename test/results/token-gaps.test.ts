import { forEachTokenGap } from '../../lib/results/token-gaps';
import { summarizeLevel } from '../../lib/results/summarize-level';
import { record } from './fixtures';

const gapsOf = (r: Parameters<typeof forEachTokenGap>[0]): number[] => {
  const gaps: number[] = [];
  forEachTokenGap(r, (g) => gaps.push(g));
  return gaps;
};

describe('per-token gaps', () => {
  it('a read of k tokens after g ms counts as k gaps of g/k; tokens of the first read are not gaps', () => {
    // Reads of 3 tokens every 30 ms: 12 tokens, 9 measurable gaps of 10 ms.
    expect(gapsOf({ chunkTokens: [3, 3, 3, 3], interChunkGapsMs: [30, 30, 30] })).toEqual(Array(9).fill(10));
    expect(gapsOf({ chunkTokens: [1, 1, 1], interChunkGapsMs: [5, 7] })).toEqual([5, 7]);
  });

  it('reads without a token (keep-alives, a split event) add their time to the next read with tokens', () => {
    expect(gapsOf({ chunkTokens: [0, 1, 0, 2], interChunkGapsMs: [100, 4, 6] })).toEqual([5, 5]);
  });

  it('events carrying several tokens (fewer events than the server counted) scale each read by tokens / events', () => {
    // 4 chat chunks of 3 tokens each, one event per chunk, usage says 12: 9 gaps of 10 ms.
    expect(gapsOf({ chunkTokens: [1, 1, 1, 1], interChunkGapsMs: [30, 30, 30], outputTokens: 12 })).toEqual(Array(9).fill(10));
    // More events than tokens (TGI's final special token): no scaling.
    expect(gapsOf({ chunkTokens: [1, 1, 1], interChunkGapsMs: [5, 7], outputTokens: 2 })).toEqual([5, 7]);
  });

  it('records without chunk token counts (schema 1, non-streamed) have no gaps', () => {
    expect(gapsOf({ interChunkGapsMs: [5, 7] })).toEqual([]);
    expect(gapsOf({})).toEqual([]);
  });

  it('a level reports ITL over gaps and TPOT per request separately', () => {
    const level = summarizeLevel(
      [
        // 12 tokens in reads of 3: TTFT 100, gaps 9 × 10 ms; TPOT (100 + 90 − 100) / 11.
        record({ sentMs: 0, firstTokenMs: 100, endMs: 190, outputTokens: 12, chunkTokens: [3, 3, 3, 3], interChunkGapsMs: [30, 30, 30] }),
        // 3 tokens one per read: gaps 40 and 60.
        record({ sentMs: 0, firstTokenMs: 50, endMs: 150, outputTokens: 3, chunkTokens: [1, 1, 1], interChunkGapsMs: [40, 60] }),
      ],
      { concurrency: 2 },
    );
    expect(level.itlMs).toEqual({ mean: (90 + 100) / 11, p50: 10, p90: 40, p99: 60, min: 10, max: 60 });
    expect(level.tpotMs?.min).toBeCloseTo(90 / 11, 12);
    expect(level.tpotMs?.max).toBeCloseTo(50, 12);
  });
});
