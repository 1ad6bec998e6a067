/**
 * The rule that makes a closed-loop level long enough: its window of `durationS` is extended until
 * `minCompletionsPerSlot` measured requests per slot (stream held in flight) have completed, at most
 * to MAX_WINDOW_EXTENSION × durationS (and never past `maxWindowS`, e.g. what a Lambda worker's
 * remaining time allows). The CLI's runner, each Lambda worker (through the same runner) and the
 * pipeline's merge (which judges the merged level by it) apply this one rule.
 */

/** A window extended for `minCompletionsPerSlot` ends at the latest this many times `durationS` after it began. */
export const MAX_WINDOW_EXTENSION = 4;

export interface LevelWindowRule {
  /** The window as asked, ms. */
  readonly durationMs: number;
  /** Streams held in flight (a closed loop's concurrency, or one worker's slice of it). */
  readonly slots: number;
  /** Completions per slot the window waits for. @default 0 (no extension) */
  readonly minCompletionsPerSlot?: number;
  /** Hard end of an extended window, ms after it began. @default MAX_WINDOW_EXTENSION × durationMs */
  readonly maxWindowMs?: number;
}

/** Completions the rule asks of a window: minCompletionsPerSlot × slots. */
export function requiredCompletions(rule: Pick<LevelWindowRule, 'slots' | 'minCompletionsPerSlot'>): number {
  return (rule.minCompletionsPerSlot ?? 0) * rule.slots;
}

/** Latest end of the window, ms after it began: the extension cap, never before the window as asked. */
export function windowCapMs(rule: LevelWindowRule): number {
  const cap = rule.durationMs * MAX_WINDOW_EXTENSION;
  return Math.max(rule.durationMs, Math.min(cap, rule.maxWindowMs ?? cap));
}

/**
 * Whether the window is over `elapsedMs` after it began with `completed` measured completions: not
 * before `durationMs`; then as soon as the required completions are in, or at the cap.
 */
export function windowOver(rule: LevelWindowRule, elapsedMs: number, completed: number): boolean {
  if (elapsedMs < rule.durationMs) return false;
  return completed >= requiredCompletions(rule) || elapsedMs >= windowCapMs(rule);
}

/**
 * Judges a measured level by the rule: whether its completed requests (each repeat's, when repeated)
 * reach minCompletionsPerSlot × slots. A window cut at its cap can fall short; the pipeline's merge
 * reports the level's completions per slot and whether they met the minimum.
 */
export function completionsPerSlot(completed: number, slots: number): number {
  return slots > 0 ? completed / slots : 0;
}

export function meetsMinCompletions(completed: number, rule: Pick<LevelWindowRule, 'slots' | 'minCompletionsPerSlot'>): boolean {
  return completed >= requiredCompletions(rule);
}
