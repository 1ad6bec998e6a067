import { SWEEP_RESULT_VERSION, type StopReason, type StopRuleId, type SweepEnd, type SweepResult } from './records';
import { upgradeLevelResult, type StoredLevelResult } from './upgrade-level';

/** One line for consoles and report banners: `rule: detail`. */
export function formatStopReason(reason: StopReason): string {
  return `${reason.rule}: ${reason.detail}`;
}

const STOP_RULE_IDS: readonly StopRuleId[] = ['timeout', 'error-rate', 'latency-slo', 'slo-attainment', 'plateau'];
const SWEEP_ENDS: readonly SweepEnd[] = [...STOP_RULE_IDS, 'completed', 'infeasible', 'aborted', 'failed'];

/**
 * A schemaVersion 1 `stopReason` string as a StopReason. Version 1 writers: the CLI sweep wrote
 * `rule: detail` (and `max concurrency reached` when an adaptive sweep hit its cap), the state
 * machine the rule alone (its detail was not stored), the planner `infeasible at c=N`.
 */
export function stopReasonFromV1(text: string): StopReason {
  if (text === 'max concurrency reached') return { rule: 'completed', detail: 'reached the highest allowed level' };
  if (text.startsWith('infeasible at ')) return { rule: 'infeasible', detail: text.slice('infeasible '.length) };
  const colon = text.indexOf(': ');
  const rule = colon >= 0 ? text.slice(0, colon) : text;
  const detail = colon >= 0 ? text.slice(colon + 2) : '';
  return (SWEEP_ENDS as readonly string[]).includes(rule) ? { rule: rule as SweepEnd, detail } : { rule: 'completed', detail: text };
}

/**
 * A SweepResult as stored by this version, by version 3 (without the SLO figures), by version 2 (LevelResult v1 levels) or by version 1
 * (string `stopReason`, LevelResult v1 levels), in the current shape.
 */
export type StoredSweepResult =
  | SweepResult
  | (Omit<SweepResult, 'schemaVersion'> & { readonly schemaVersion: 3 })
  | (Omit<SweepResult, 'schemaVersion' | 'levels'> & { readonly schemaVersion: 2; readonly levels: readonly StoredLevelResult[] })
  | (Omit<SweepResult, 'schemaVersion' | 'stopReason' | 'levels'> & { readonly schemaVersion: 1; readonly stopReason?: string; readonly levels: readonly StoredLevelResult[] });

/** Reads a stored SweepResult of any supported schemaVersion into the current shape. */
export function upgradeSweepResult(stored: StoredSweepResult): SweepResult {
  if (stored.schemaVersion === SWEEP_RESULT_VERSION) return stored;
  // 3 → 4 only added optional figures.
  if (stored.schemaVersion === 3) return { ...stored, schemaVersion: SWEEP_RESULT_VERSION };
  const levels = stored.levels.map(upgradeLevelResult);
  if (stored.schemaVersion === 2) return { ...stored, schemaVersion: SWEEP_RESULT_VERSION, levels };
  const { stopReason, ...rest } = stored;
  return { ...rest, schemaVersion: SWEEP_RESULT_VERSION, levels, ...(stopReason !== undefined ? { stopReason: stopReasonFromV1(stopReason) } : {}) };
}

/** The schemaVersions `upgradeSweepResult` reads. */
export const READABLE_SWEEP_VERSIONS: readonly number[] = [1, 2, 3, SWEEP_RESULT_VERSION];
