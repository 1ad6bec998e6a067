import publishedData from './llama-2-7b-published.json';

/**
 * The published Llama 2 7B sweeps (copied verbatim into this folder so the repository is
 * self-contained): the only data the step-time parameters are fitted on.
 */

export interface PublishedSweep {
  readonly id: string;
  readonly model: string;
  readonly instance: string;
  readonly tp: number;
  readonly instances: number;
  readonly totalTokens: number;
  readonly outputTokens: number;
  /** Output tokens/s per concurrency level; null where the study has no figure (infeasible). */
  readonly throughput: readonly (number | null)[];
  /** ms per output token per concurrency level; null where the study has no figure. */
  readonly latency: readonly (number | null)[];
}

export interface PublishedStudy {
  readonly source: string;
  readonly concurrency: readonly number[];
  readonly sweeps: readonly PublishedSweep[];
}

export const PUBLISHED_STUDY: PublishedStudy = publishedData as PublishedStudy;

/** One published figure pair of one level of one sweep. */
export interface PublishedCell {
  readonly sweep: PublishedSweep;
  readonly concurrency: number;
  readonly throughput: number | null;
  readonly latency: number | null;
}

/** Every level of every sweep with at least one published figure. */
export function publishedCells(study: PublishedStudy = PUBLISHED_STUDY): PublishedCell[] {
  const cells: PublishedCell[] = [];
  for (const sweep of study.sweeps) {
    study.concurrency.forEach((concurrency, i) => {
      const throughput = sweep.throughput[i] ?? null;
      const latency = sweep.latency[i] ?? null;
      if (throughput !== null || latency !== null) cells.push({ sweep, concurrency, throughput, latency });
    });
  }
  return cells;
}
