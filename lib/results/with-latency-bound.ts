import type { Knee, SweepResult } from './records';
import { findKnees, type KneeParams } from './knee';
import { candidateLevels } from './summarize-sweep';

/**
 * The sweep with its knees recomputed for another latency bound (e.g. `llm-bench report
 * --latency-bound 50`). A knee predicted by the planner stays first; other figures are kept as stored.
 * Candidate levels use the default feasibility (no timeouts, ≤ 1 % errors).
 */
export function withLatencyBound(sweep: SweepResult, latencyBoundMsPerToken: number, params: Partial<KneeParams> = {}): SweepResult {
  const predicted: Knee[] = [...(sweep.knees ?? []), ...(sweep.knee ? [sweep.knee] : [])].filter((k) => k.rule === 'predicted').slice(0, 1);
  const knees = [...predicted, ...findKnees(candidateLevels(sweep.levels), { ...params, latencyBoundMsPerToken })];
  const { knee: _knee, knees: _knees, ...rest } = sweep;
  return knees.length > 0 ? { ...rest, knee: knees[0], knees } : rest;
}
